import TallyQuantities
import TallyPricing
import TallyActuals

/// `tally reconcile PLAN LOGS…` in text, JSON and Markdown.
package enum ReconcileRenderer {
    /// What was reconciled against what.
    package struct Context: Sendable {
        package let plan: String
        package let records: UsageReport.Counts
        package let first: String?
        package let last: String?
        package let from: String?
        package let to: String?
        package let seconds: Rational

        package init(plan: String, records: UsageReport.Counts, first: String?, last: String?, from: String?, to: String?, seconds: Rational) {
            (self.plan, self.records, self.first, self.last, self.from, self.to, self.seconds) = (plan, records, first, last, from, to, seconds)
        }

        var period: String {
            let days = seconds.divided(by: Rational(86_400)).map { Format.count($0) } ?? "?"
            return "\(from ?? first ?? "?") to \(to ?? last ?? "?") (\(days) day\(days == "1" ? "" : "s"))"
        }
    }

    /// `1.25×`
    static func ratio(_ r: Rational?) -> String {
        guard let r else { return "—" }
        return r.decimalString(fractionDigits: 2, trimTrailingZeros: false) + "×"
    }

    static func signed(_ r: Rational) -> String { (r.isNegative ? "−" : "+") + Format.money(r.magnitude) }

    /// A step's values: `30,417 → 60,833/month`, `20% → 45%`.
    static func values(_ step: Reconciliation.Step) -> String {
        func text(_ v: Rational) -> String {
            switch step.assumption {
            case .cacheRead, .cacheWrite, .retries: percent(v)
            case .requests: Format.wholeCount(v) + "/month"
            default: Format.wholeCount(v)
            }
        }
        switch (step.planned, step.actual) {
        case let (p?, a?): return "\(text(p)) → \(text(a))"
        case let (nil, a?): return "none → \(text(a))"
        case let (p?, nil): return "\(text(p)) → none"
        default: return ""
        }
    }

    /// A share to a tenth of a percent: `2.4%`.
    static func percent(_ share: Rational) -> String {
        (share.multiplied(by: Rational(100)) ?? share).decimalString(fractionDigits: 1, trimTrailingZeros: true) + "%"
    }

    static func moved(_ row: Reconciliation.Row) -> String {
        guard row.actual != nil else { return "not in the logs" }
        guard let step = row.moved else { return "as planned" }
        return "\(step.assumption.rawValue)\(step.ratio.map { " " + ratio($0) } ?? "") \(signed(step.impact))"
    }

    /// A step worth a line: it moved the cost, or its value changed; the
    /// remainder always.
    static func shown(_ step: Reconciliation.Step) -> Bool {
        step.assumption == .mix || !step.impact.isZero || (step.planned ?? .zero) != (step.actual ?? .zero)
    }

    static let header = ["workload", "planned", "actual", "ratio", "moved most"]

    /// The workloads in the logs, then the unplanned spend and the total: the
    /// table text and HTML both print.
    static func tableRows(_ r: Reconciliation) -> [[String]] {
        var rows = r.rows.filter { $0.actual != nil }.map { row in
            [row.workload, Format.money(row.planned, row.plannedHigh), row.actual.map(Format.money) ?? "—", ratio(row.ratio), moved(row)]
        }
        rows.append(["unplanned", "—", Format.money(r.unplanned), "—",
                     r.unplannedRequests.isZero ? "" : Format.counted(Format.wholeCount(r.unplannedRequests), "request", "requests") + "/month no workload claims"])
        rows.append(["total", Format.money(r.plannedTotal, r.plannedTotalHigh), Format.money(r.actualTotal), ratio(r.totalRatio), ""])
        return rows
    }

    /// A workload's walk from planned to actual, one assumption a row.
    static func stepRows(_ row: Reconciliation.Row) -> [[String]] {
        row.steps.filter(shown).map { step in [step.assumption.rawValue, values(step), step.ratio.map { ratio($0) } ?? "", signed(step.impact)] }
    }

    package static func text(_ r: Reconciliation, _ c: Context, color: Bool) -> String {
        let renderer = TextRenderer(color: color)
        var out = "reconcile \(Escaping.visible(c.plan)): \(Format.count(Rational(c.records.priced))) records priced, \(c.period), per 730-hour month\n"
        let left = c.records.unpriced + c.records.malformed
        if left > 0 || c.records.failed > 0 {
            out += "  left out: \(c.records.unpriced) unpriced, \(c.records.malformed) malformed (see `tally usage`); "
                + "\(c.records.failed) failed call\(c.records.failed == 1 ? "" : "s"), not billed\n"
        }
        out += "\n"
        let rows = [header] + tableRows(r).map { [Escaping.visible($0[0])] + $0.dropFirst() }
        out += renderer.table(rows, rightAligned: [1, 2, 3], boldRows: [0, rows.count - 1])
        let unlogged = r.rows.filter { $0.actual == nil }
        if !unlogged.isEmpty {
            out += "  not in the logs (no total above counts them): "
                + unlogged.map { "\(Escaping.visible($0.workload)) \(Format.money($0.planned))" }.joined(separator: ", ") + "\n"
        }
        for row in r.rows where row.actual != nil && !row.steps.isEmpty {
            let start = row.plannedHigh == nil ? Format.money(row.planned) : "\(Format.money(row.planned)) (the low end of its range)"
            out += "\n\(Escaping.visible(row.workload)): \(start) → \(Format.money(row.actual ?? .zero)) a month, one assumption at a time\n"
            out += renderer.table(stepRows(row).map { ["  " + $0[0]] + $0.dropFirst() }, rightAligned: [2, 3], boldRows: [])
            if let failed = row.failedShare, !failed.isZero { out += "  failed calls: \(percent(failed)) of calls (not billed)\n" }
        }
        return out
    }

    static func exact(_ r: Rational?) -> JSON {
        guard let r else { return .null }
        return .string(r.terminatingDecimal ?? r.decimalString(fractionDigits: 20, trimTrailingZeros: true))
    }

    package static func json(_ r: Reconciliation, _ c: Context) -> String {
        let rows: [JSON] = r.rows.map { row in
            .object([
                ("workload", .string(row.workload)),
                ("usd_planned", exact(row.planned)),
                ("usd_planned_high", exact(row.plannedHigh)),
                ("usd_actual", exact(row.actual)),
                ("ratio", exact(row.ratio)),
                ("moved", row.moved.map { .string($0.assumption.rawValue) } ?? .null),
                ("failed_share", exact(row.failedShare)),
                ("steps", .array(row.steps.map { step in
                    .object([("assumption", .string(step.assumption.rawValue)), ("planned", exact(step.planned)), ("actual", exact(step.actual)),
                             ("ratio", exact(step.ratio)), ("usd", exact(step.impact))])
                })),
            ])
        }
        let json = JSON.object([
            ("plan", .string(c.plan)),
            ("period", .object([("from", c.from.map { .string($0) } ?? .null), ("to", c.to.map { .string($0) } ?? .null),
                                ("first", c.first.map { .string($0) } ?? .null), ("last", c.last.map { .string($0) } ?? .null),
                                ("seconds", exact(c.seconds))])),
            ("records", .object([("priced", .number(String(c.records.priced))), ("unpriced", .number(String(c.records.unpriced))),
                                 ("failed", .number(String(c.records.failed))), ("malformed", .number(String(c.records.malformed)))])),
            ("per", .string("month of 730 hours")),
            ("workloads", .array(rows)),
            ("unplanned", .object([("usd", exact(r.unplanned)), ("requests", exact(r.unplannedRequests))])),
            ("usd_planned", exact(r.plannedTotal)),
            ("usd_planned_high", exact(r.plannedTotalHigh)),
            ("usd_actual", exact(r.actualTotal)),
            ("ratio", exact(r.totalRatio)),
        ])
        return json.rendered() + "\n"
    }

    package static func markdown(_ r: Reconciliation, _ c: Context) -> String {
        var out = "Reconciled `\(Escaping.markdownText(c.plan))`: \(c.records.priced) records priced, \(c.period), per 730-hour month.\n\n"
        out += "| workload | planned | actual | ratio | moved most |\n|---|---:|---:|---:|---|\n"
        for row in r.rows where row.actual != nil {
            out += "| \(Escaping.markdownText(row.workload)) | \(Format.money(row.planned, row.plannedHigh)) | \(row.actual.map(Format.money) ?? "—") | \(ratio(row.ratio)) | \(moved(row)) |\n"
        }
        out += "| unplanned | — | \(Format.money(r.unplanned)) | — | |\n"
        out += "| **total** | **\(Format.money(r.plannedTotal, r.plannedTotalHigh))** | **\(Format.money(r.actualTotal))** | **\(ratio(r.totalRatio))** | |\n"
        let unlogged = r.rows.filter { $0.actual == nil }
        if !unlogged.isEmpty {
            out += "\nNot in the logs: " + unlogged.map { "\(Escaping.markdownText($0.workload)) \(Format.money($0.planned))" }.joined(separator: ", ") + ".\n"
        }
        return out
    }
}
