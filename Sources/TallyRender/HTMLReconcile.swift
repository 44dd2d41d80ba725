import TallyQuantities
import TallyPricing
import TallyActuals

extension HTMLReport {
    /// `reconcile --format html`: each workload's planned and actual monthly
    /// cost as a pair of bars, labelled with the ratio and the assumption
    /// that moved most; then the tables `tally reconcile` prints.
    package static func reconcile(_ r: Reconciliation, _ c: ReconcileRenderer.Context) -> String {
        var body = "<p class=\"summary\">\(HTML.escape("\(Format.count(Rational(c.records.priced))) records priced, \(c.period), per 730-hour month"))</p>\n"
        let left = c.records.unpriced + c.records.malformed
        if left > 0 || c.records.failed > 0 {
            body += "<p class=\"note\">\(HTML.escape("left out: \(c.records.unpriced) unpriced, \(c.records.malformed) malformed (see `tally usage`); \(c.records.failed) failed call\(c.records.failed == 1 ? "" : "s"), not billed"))</p>\n"
        }
        let logged = r.rows.filter { $0.actual != nil }
        let pairs = logged.map { row in
            (label: row.workload,
             first: HTMLChart.Item(row.workload, row.plannedHigh ?? row.planned, Format.money(row.planned, row.plannedHigh)),
             second: HTMLChart.Item(row.workload, row.actual ?? .zero,
                                    (row.actual.map(Format.money) ?? "—") + " · " + ReconcileRenderer.ratio(row.ratio)
                                        + (row.moved.map { " · " + $0.assumption.rawValue } ?? "")))
        }
        body += heading("planned and actual, per month")
        body += HTMLChart.pairs(pairs, names: ("planned", "actual"), title: "each workload: planned and actual per month", id: "r")
        body += HTML.table(ReconcileRenderer.header, ReconcileRenderer.tableRows(r), numeric: [1, 2, 3], total: true)
        let unlogged = r.rows.filter { $0.actual == nil }
        if !unlogged.isEmpty {
            body += "<p class=\"note\">\(HTML.escape("not in the logs (no total above counts them): " + unlogged.map { "\($0.workload) \(Format.money($0.planned))" }.joined(separator: ", ")))</p>\n"
        }
        for row in logged where !row.steps.isEmpty {
            let start = row.plannedHigh == nil ? Format.money(row.planned) : "\(Format.money(row.planned)) (the low end of its range)"
            body += heading("\(row.workload): \(start) → \(Format.money(row.actual ?? .zero)) a month, one assumption at a time")
            body += HTML.table(["assumption", "planned → actual", "ratio", "moves the cost"], ReconcileRenderer.stepRows(row), numeric: [2, 3])
            if let failed = row.failedShare, !failed.isZero {
                body += "<p class=\"note\">failed calls: \(HTML.escape(ReconcileRenderer.percent(failed))) of calls (not billed)</p>\n"
            }
        }
        return HTML.page(title: "Tally reconcile: " + c.plan, body: body)
    }
}
