import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// How bars are drawn: Unicode eighth blocks on a terminal, `#` when asked
/// for plain ASCII, or none.
package enum ChartStyle: Sendable {
    case none, unicode, ascii

    /// A bar `share` (0…1) of `width` characters long.
    func bar(_ share: Rational, width: Int) -> String {
        guard self != .none, share > .zero else { return "" }
        let clamped = min(share, .one)
        let eighths = Int(clamped.multiplied(by: Rational(width * 8))?.rounded(fractionDigits: 0)?.numerator ?? 0)
        switch self {
        case .ascii:
            return String(repeating: "#", count: max(1, (eighths + 4) / 8))
        case .unicode:
            let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
            let full = eighths / 8
            let rest = eighths % 8
            let text = String(repeating: "█", count: full) + blocks[rest]
            return text.isEmpty ? "▏" : text
        case .none:
            return ""
        }
    }
}

/// `compare`, `advise`, `forecast` and `show … by tag`, as text, JSON, CSV
/// and Markdown.
package enum ReportRenderer {
    static func change(_ value: Rational, of base: Rational) -> String {
        DiffRenderer.change(value, of: base)
    }

    // MARK: Text

    package static func text(_ report: Report, renderer: TextRenderer) -> String {
        switch report {
        case .comparison(let c): comparisonText(c, renderer)
        case .advice(let a): adviceText(a, renderer)
        case .forecast(let f): forecastText(f, renderer)
        case .tags(let t): tagsText(t, renderer)
        }
    }

    /// Each variant: its monthly cost, its change against the first, its cost per request.
    static func comparisonRows(_ c: Comparison) -> [[String]] {
        let first = c.rows.first?.breakdown.total ?? .zero
        return c.rows.enumerated().map { i, row in
            let b = row.breakdown
            let delta = i == 0 ? "" : (c.changes[i].isZero ? "same" : change(c.changes[i], of: first))
            return [row.label, Format.money(b.total, b.high?.breakdown.total), delta, b.perRequest.map { Format.money($0, b.high?.breakdown.perRequest) } ?? ""]
        }
    }

    static func comparisonText(_ c: Comparison, _ r: TextRenderer) -> String {
        let rows = [["", "per month", "change", "per request"]] + comparisonRows(c)
        return r.bold("compare") + "\n\n" + r.table(rows, rightAligned: [1, 2, 3], boldRows: [0])
    }

    static func adviceText(_ a: Advice, _ r: TextRenderer) -> String {
        var out = r.bold(Escaping.visible("advice for \(a.subject)")) + " — \(Format.money(a.baseline))/month now\n\n"
        if a.recommendations.isEmpty {
            out += "  nothing to change that would save money\n"
        } else {
            var rows: [[String]] = [["", "workload", "change", "saves", "", "then"]]
            for (i, rec) in a.recommendations.enumerated() {
                let share = CostDiff.share(rec.saving, of: rec.before.total)
                rows.append(["\(i + 1).", rec.workload, rec.change ?? "remove \(rec.workload)",
                             Format.money(rec.saving) + "/month", share.map { "(\(CheckRenderer.signedPercent($0.negated)))" } ?? "",
                             (rec.after.map { Format.money($0.total) } ?? "$0.00") + "/month"])
            }
            let table = r.table(rows, rightAligned: [3], boldRows: [0]).split(separator: "\n").map(String.init)
            out += table[0] + "\n"
            for (i, rec) in a.recommendations.enumerated() {
                out += table[i + 1] + "\n"
                out += "      " + r.dim(Escaping.visible(rec.note.text)) + "\n"
            }
        }
        if !a.notes.isEmpty {
            out += "\n" + a.notes.map { "  " + r.dim(Escaping.visible("· " + $0.text)) }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func forecastText(_ f: Forecast, _ r: TextRenderer) -> String {
        let style: ChartStyle = r.charts == .none ? .unicode : r.charts
        let peak = f.months.map { $0.high ?? $0.cost }.max() ?? .zero
        let calendar = f.months.first?.calendar
        var rows: [[String]] = [calendar == nil ? ["month", "cost", ""] : ["month", "calendar", "days", "cost", ""]]
        for m in f.months {
            let share = peak.isZero ? Rational.zero : ((m.high ?? m.cost).divided(by: peak) ?? .zero)
            let month = m.calendar.map { [String(m.month), $0.description, String($0.days)] } ?? [String(m.month)]
            rows.append(month + [Format.money(m.cost, m.high), style.bar(share, width: 40)])
        }
        let span = calendar.map { "\(f.months.count) calendar months from \($0)" } ?? "\(f.months.count) months"
        var out = r.bold(Escaping.visible("forecast of \(f.subject)")) + " — \(span), growth \(Format.percent(f.growth))/month\n\n"
        out += r.table(rows, rightAligned: calendar == nil ? [0, 1] : [0, 2, 3], boldRows: [0])
        out += "\n  total over \(f.months.count) months: \(Format.money(f.total, f.highTotal))\n"
        return out
    }

    /// Each group of the tag, then the total.
    static func tagRows(_ t: TagGroups) -> [[String]] {
        t.groups.map { [$0.value ?? "untagged", $0.workloads.joined(separator: ", "), Format.money($0.cost, $0.high)] }
            + [["total", "", Format.money(t.total, t.highTotal)]]
    }

    static func tagsText(_ t: TagGroups, _ r: TextRenderer) -> String {
        let rows = [[t.key, "workloads", "per month"]] + tagRows(t)
        return r.bold(Escaping.visible("by tag \(t.key)")) + "\n\n" + r.table(rows, rightAligned: [2], boldRows: [0, rows.count - 1])
            + (t.oneOffs.isEmpty ? "" : r.dim(Escaping.visible("  paid once, in no monthly group: " + t.oneOffs.joined(separator: ", "))) + "\n")
    }

    // MARK: JSON

    static func exact(_ r: Rational?) -> JSON { r.map(JSONRenderer.exact) ?? .null }

    package static func json(_ report: Report) -> JSON {
        switch report {
        case .comparison(let c):
            return .object([("compare", .array(zip(c.rows, c.changes).map { row, change in
                .object([
                    ("label", .string(row.label)),
                    ("usd_per_month", exact(row.breakdown.total)),
                    ("usd_per_month_high", exact(row.breakdown.high?.breakdown.total)),
                    ("change", exact(change)),
                    ("usd_per_request", exact(row.breakdown.perRequest)),
                    ("breakdown", JSONRenderer.breakdown(row.breakdown)),
                ])
            }))])
        case .advice(let a):
            return .object([
                ("advise", .string(a.subject)),
                ("usd_per_month", exact(a.baseline)),
                ("recommendations", .array(a.recommendations.map { rec in
                    .object([
                        ("kind", .string(rec.kind)),
                        ("workload", .string(rec.workload)),
                        ("change", rec.change.map { .string($0) } ?? .null),
                        ("saving_usd_per_month", exact(rec.saving)),
                        ("usd_per_month_before", exact(rec.before.total)),
                        ("usd_per_month_after", exact(rec.after?.total ?? .zero)),
                        ("note", .string(rec.note.text)),
                    ])
                })),
                ("notes", .array(a.notes.map { .string($0.text) })),
            ])
        case .forecast(let f):
            return .object([
                ("forecast", .string(f.subject)),
                ("growth_per_month", exact(f.growth)),
                ("months", .array(f.months.map { m in
                    // Under `month calendar`, also the calendar month and its days.
                    .object([("month", .number(String(m.month)))]
                        + (m.calendar.map { [("calendar_month", .string($0.description)), ("days", .number(String($0.days)))] } ?? [])
                        + [("usd", exact(m.cost)), ("usd_high", exact(m.high))])
                })),
                ("usd_total", exact(f.total)),
                ("usd_total_high", exact(f.highTotal)),
            ])
        case .tags(let t):
            return .object([
                ("by_tag", .string(t.key)),
                ("groups", .array(t.groups.map { g in
                    .object([
                        ("value", g.value.map { .string($0) } ?? .null),
                        ("workloads", .array(g.workloads.map { .string($0) })),
                        ("usd_per_month", exact(g.cost)),
                        ("usd_per_month_high", exact(g.high)),
                    ])
                })),
                ("one_offs", .array(t.oneOffs.map { .string($0) })),
            ])
        }
    }

    // MARK: CSV and Markdown

    static func decimal(_ r: Rational?) -> String { r.map(TableRenderer.exact) ?? "" }

    /// Rows in `tally run --format csv`'s columns: `item` names the row,
    /// `quantity` carries its number, `usd_per_month` its money.
    package static func csv(_ report: Report, prefix: [String]) -> String {
        switch report {
        case .comparison(let c):
            return c.rows.map { TableRenderer.row(prefix + [$0.label, "variant", "", "", "", "", decimal($0.breakdown.total)]) }.joined()
        case .advice(let a):
            return a.recommendations.map { rec in
                TableRenderer.row(prefix + [rec.workload, rec.change ?? "remove", decimal(rec.saving), "saving $/month", "", "", decimal(rec.after?.total ?? .zero)])
            }.joined()
        case .forecast(let f):
            return f.months.map { m in
                TableRenderer.row(prefix + [f.subject, "month \(m.month)" + (m.calendar.map { " (\($0))" } ?? ""), String(m.month), "month", "", "",
                                            decimal(m.cost)])
            }.joined() + TableRenderer.row(prefix + [f.subject, "total", String(f.months.count), "months", "", "", decimal(f.total)])
        case .tags(let t):
            return t.groups.map { g in
                TableRenderer.row(prefix + [g.value ?? "untagged", "tag \(t.key)", String(g.workloads.count), "workloads", "", "", decimal(g.cost)])
            }.joined()
        }
    }

    package static func markdown(_ report: Report) -> String {
        switch report {
        case .comparison(let c):
            let first = c.rows.first?.breakdown.total ?? .zero
            var out = "| variant | per month | change | per request |\n|---|---:|---:|---:|\n"
            for (i, row) in c.rows.enumerated() {
                let delta = i == 0 ? "" : (c.changes[i].isZero ? "same" : change(c.changes[i], of: first))
                out += "| \(Escaping.markdownText(row.label)) | \(Format.money(row.breakdown.total)) | \(delta) | \(row.breakdown.perRequest.map(Format.money) ?? "") |\n"
            }
            return out
        case .advice(let a):
            var out = "| # | workload | change | saves per month | note |\n|---:|---|---|---:|---|\n"
            for (i, rec) in a.recommendations.enumerated() {
                out += "| \(i + 1) | \(Escaping.markdownText(rec.workload)) | \(Escaping.markdownText(rec.change ?? "remove")) | \(Format.money(rec.saving)) | \(Escaping.markdownText(rec.note.text)) |\n"
            }
            return out
        case .forecast(let f):
            var out = "| month | cost |\n|---:|---:|\n"
            for m in f.months { out += "| \(m.month)\(m.calendar.map { " (\($0))" } ?? "") | \(Format.money(m.cost, m.high)) |\n" }
            return out + "| **total** | **\(Format.money(f.total, f.highTotal))** |\n"
        case .tags(let t):
            var out = "| \(Escaping.markdownText(t.key)) | workloads | per month |\n|---|---|---:|\n"
            for g in t.groups { out += "| \(Escaping.markdownText(g.value ?? "untagged")) | \(Escaping.markdownText(g.workloads.joined(separator: ", "))) | \(Format.money(g.cost, g.high)) |\n" }
            if !t.oneOffs.isEmpty { out += "\nPaid once, in no monthly group: " + Escaping.markdownText(t.oneOffs.joined(separator: ", ")) + "\n" }
            return out
        }
    }
}
