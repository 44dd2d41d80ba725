import TallyQuantities
import TallyPricing
import TallyActuals

extension HTMLReport {
    /// `usage --format html`: each group's spend as sorted bars, or by day
    /// (`--by day`) as a line through the days; then each group's total and
    /// the lines `tally usage` prints, every rate and amount exact.
    package static func usage(_ report: UsageReport) -> String {
        let (keys, _) = UsageRenderer.headings(report)
        var body = ""
        if let first = report.first, let last = report.last { body += "<p class=\"summary\">\(HTML.escape("\(first) … \(last)"))</p>\n" }
        let c = report.counts
        body += "<p class=\"summary\">\(HTML.escape("records: \(c.read) read · \(c.priced) priced · \(c.unpriced) unpriced · \(c.failed) failed · \(c.malformed) malformed · \(c.outsidePeriod) outside the period"))</p>\n"
        // Each group summed as the report sums its total; a group that cannot be held exactly is not drawn.
        let groups = report.sortedGroups.compactMap { group -> (label: String, atto: Int128, records: Int)? in
            var sum = UsageTotals()
            for model in group.models { guard sum.add(model.totals) else { return nil } }
            guard let atto = sum.totalAtto else { return nil }
            return (group.key.isEmpty ? "all" : group.key.joined(separator: " · "), atto, sum.records)
        }
        let byDay = report.by == [.day]
        if !groups.isEmpty {
            body += heading(byDay ? "spend by day" : "spend by " + (keys.isEmpty ? "model" : keys.joined(separator: ", ")))
            let items = groups.map { HTMLChart.Item($0.label, UsageRenderer.dollars($0.atto), UsageRenderer.money($0.atto)) }
            body += byDay ? HTMLChart.line(items, title: "spend per day") : HTMLChart.bars(items.sorted { $0.value != $1.value ? $0.value > $1.value : $0.label < $1.label }, title: "spend by group")
            var rows = groups.map { [$0.label, String($0.records), UsageRenderer.money($0.atto)] }
            if let total = report.total?.totalAtto { rows.append(["total", String(report.counts.priced), UsageRenderer.money(total)]) }
            body += HTML.table([keys.isEmpty ? "group" : keys.joined(separator: ", "), "records", "usd"], rows, numeric: [1, 2], total: report.total != nil)
        }
        let (header, rows) = UsageRenderer.rows(report)
        body += heading("every line, exact")
        body += HTML.table(header, rows, numeric: Set(header.indices.filter { ["tokens", "usd_per_1m_tokens", "usd"].contains(header[$0]) }),
                           total: report.total != nil)
        let unpriced = report.unpriced.sorted { $0.key < $1.key }.map { key, totals in
            "unpriced: \(key.modelId) in \(key.region), \(totals.records) record\(totals.records == 1 ? "" : "s") (\(key.reason)) — left out, never $0"
        }
        if !unpriced.isEmpty { body += "<ul>\n" + unpriced.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul>\n" }
        return HTML.page(title: "Tally usage", body: body)
    }
}
