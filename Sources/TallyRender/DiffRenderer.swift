import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// `tally diff` for people (text, a pull-request comment in Markdown) and for
/// machines (JSON). Amounts are monthly.
package enum DiffRenderer {
    static func change(_ change: Rational, of before: Rational) -> String {
        let sign = change.isNegative ? "−" : "+"
        var text = sign + Format.money(change.magnitude)
        if let share = CostDiff.share(change, of: before) { text += " (\(CheckRenderer.signedPercent(share)))" }
        return text
    }

    static func changeCell(_ e: CostDiff.Entry) -> String {
        switch e.status {
        case .added: "new"
        case .removed: "removed"
        case .unchanged: "no change"
        case .changed: change(e.change, of: e.beforeMonthly)
        }
    }

    static func what(_ e: CostDiff.Entry) -> String {
        e.changes.map { "\($0.field) \($0.before) → \($0.after)" }.joined(separator: "; ")
    }

    static func money(_ b: Breakdown?) -> String { b.map { Format.money($0.total) } ?? "—" }

    static let header = ["workload", "before", "after", "change", "what changed"]

    /// Each workload of a file, then its total: the table text and HTML print.
    static func tableRows(_ diff: CostDiff) -> [[String]] {
        diff.entries.map { e in [e.name, money(e.before), money(e.after), changeCell(e), what(e)] }
            + [["total", Format.money(diff.beforeTotal), Format.money(diff.afterTotal),
                diff.change.isZero ? "no change" : change(diff.change, of: diff.beforeTotal), ""]]
    }

    package static func text(_ diffs: [CostDiff], all: CostDiff.Totals, color: Bool = false) -> String {
        var out = ""
        for diff in diffs {
            if !out.isEmpty { out += "\n" }
            out += Escaping.visible("\(diff.file): \(diff.beforeLabel) → \(diff.afterLabel) (per month)") + "\n\n"
            let rows = [header] + tableRows(diff)
            out += TextRenderer(color: color).table(rows, rightAligned: [1, 2, 3], boldRows: [0, rows.count - 1])
        }
        if diffs.count > 1 { out += "\n" + grandTotal(all) + "\n" }
        return out
    }

    static func grandTotal(_ all: CostDiff.Totals) -> String {
        let (before, after, delta) = (all.before, all.after, all.change)
        return "all files: \(Format.money(before)) → \(Format.money(after)) per month (\(delta.isZero ? "no change" : change(delta, of: before)))"
    }

    /// Ready to post as a pull-request comment.
    package static func markdown(_ diffs: [CostDiff], all: CostDiff.Totals) -> String {
        var out = "### Tally cost diff\n"
        for diff in diffs {
            out += "\n**\(Escaping.markdownText(diff.file))** (\(Escaping.markdownText(diff.beforeLabel)) → \(Escaping.markdownText(diff.afterLabel)))\n\n"
            out += "| workload | before | after | change | what changed |\n|---|---:|---:|---:|---|\n"
            for e in diff.entries {
                out += "| \(Escaping.markdownText(e.name)) | \(money(e.before)) | \(money(e.after)) | \(changeCell(e)) | \(Escaping.markdownText(what(e))) |\n"
            }
            out += "| **total** | **\(Format.money(diff.beforeTotal))** | **\(Format.money(diff.afterTotal))** | **\(diff.change.isZero ? "no change" : change(diff.change, of: diff.beforeTotal))** | |\n"
        }
        if diffs.count > 1 { out += "\n" + grandTotal(all) + "\n" }
        out += "\nMonthly estimates in USD, from Tally's price catalog.\n"
        return out
    }

    static func amount(_ r: Rational?) -> JSON { r.map(JSONRenderer.exact) ?? .null }

    /// The documented, versioned diff: see the README's "diff --format json".
    package static func json(_ diffs: [CostDiff], all: CostDiff.Totals, limit: DiffLimit?) -> JSON {
        let (before, after, delta) = (all.before, all.after, all.change)
        return .object([
            ("schema", .number("1")),
            ("files", .array(diffs.map { diff in
                .object([
                    ("file", .string(diff.file)),
                    ("before", .string(diff.beforeLabel)),
                    ("after", .string(diff.afterLabel)),
                    ("workloads", .array(diff.entries.map { e in
                        .object([
                            ("name", .string(e.name)),
                            ("status", .string(e.status.rawValue)),
                            ("usd_per_month_before", amount(e.before?.total)),
                            ("usd_per_month_after", amount(e.after?.total)),
                            ("change", JSONRenderer.exact(e.change)),
                            ("change_percent", amount(CostDiff.share(e.change, of: e.beforeMonthly).flatMap { $0.multiplied(by: Rational(100)) })),
                            ("changes", .array(e.changes.map { c in
                                .object([("field", .string(c.field)), ("before", .string(c.before)), ("after", .string(c.after))])
                            })),
                        ])
                    })),
                    ("usd_per_month_before", JSONRenderer.exact(diff.beforeTotal)),
                    ("usd_per_month_after", JSONRenderer.exact(diff.afterTotal)),
                    ("change", JSONRenderer.exact(diff.change)),
                ])
            })),
            ("total", .object([
                ("usd_per_month_before", JSONRenderer.exact(before)),
                ("usd_per_month_after", JSONRenderer.exact(after)),
                ("change", JSONRenderer.exact(delta)),
                ("change_percent", amount(CostDiff.share(delta, of: before).flatMap { $0.multiplied(by: Rational(100)) })),
            ])),
            ("fail_above", limit.map { .string($0.text) } ?? .null),
            ("failed", .bool(limit?.breach(all) != nil)),
        ])
    }
}

extension DiffLimit {
    /// The increase that passes the limit, described; nil when none does.
    package func breach(_ all: CostDiff.Totals) -> String? {
        let before = all.before
        let increase = all.change
        guard !increase.isNegative, !increase.isZero else { return nil }
        if let perMonth, increase > perMonth {
            return "+\(Format.money(increase))/month"
        }
        if let share {
            guard let actual = CostDiff.share(increase, of: before) else { return "+\(Format.money(increase))/month from $0" }
            if actual > share { return "+\(Format.money(increase))/month (\(CheckRenderer.signedPercent(actual)))" }
        }
        return nil
    }
}
