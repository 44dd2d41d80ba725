import TallyQuantities
import TallyPricing
import TallyLanguage

extension HTMLReport {
    /// `diff --format html`: each file's workloads before and after as pairs
    /// of bars, then the table `tally diff` prints.
    package static func diff(_ diffs: [CostDiff], all: CostDiff.Totals) -> String {
        var body = ""
        for (i, diff) in diffs.enumerated() {
            body += heading("\(diff.file): \(diff.beforeLabel) → \(diff.afterLabel) (per month)")
            let pairs = diff.entries.map { e in
                (label: e.name, first: HTMLChart.Item(e.name, e.before?.total ?? .zero, DiffRenderer.money(e.before)),
                 second: HTMLChart.Item(e.name, e.after?.total ?? .zero, DiffRenderer.money(e.after)))
            }
            body += HTMLChart.pairs(pairs, names: ("before", "after"), title: "\(diff.file): per month, before and after", id: "d\(i + 1)")
            body += HTML.table(DiffRenderer.header, DiffRenderer.tableRows(diff), numeric: [1, 2, 3], total: true)
        }
        if diffs.count > 1 { body += "<p class=\"summary\">\(HTML.escape(DiffRenderer.grandTotal(all)))</p>\n" }
        return HTML.page(title: "Tally cost diff", body: body)
    }
}
