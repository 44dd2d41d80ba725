import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// `run --format html` and `check --format html`: each figure drawn, then
/// the same figures in a table, every rate with its source.
package enum HTMLReport {
    /// What a script shows, one section an item, on one page.
    package static func run(_ items: [ShowItem], title: String) -> String {
        var body = ""
        for (i, item) in items.enumerated() { body += section(item, id: "s\(i + 1)") }
        if items.isEmpty { body += "<p class=\"note\">The script shows nothing.</p>\n" }
        return HTML.page(title: title, body: body)
    }

    static func section(_ item: ShowItem, id: String) -> String {
        if let report = item.report { return self.report(report, id: id) }
        switch item.value {
        case .workload(_, let b): return breakdown(b, id: id)
        case .total(let plan): return total(plan)
        default:
            let value = String(TextRenderer().render(item.value).dropLast())
            return "<p class=\"value\"><code>\(HTML.escape(item.source))</code> = <strong>\(HTML.escape(value))</strong></p>\n"
        }
    }

    static func heading(_ text: String) -> String { "<h2>\(HTML.escape(text))</h2>\n" }

    static func breakdown(_ b: Breakdown, id: String) -> String {
        var out = heading(b.name + " — " + (b.modelDisplayName.map { "\($0) (\(b.model))" } ?? b.model))
        if !b.summary.isEmpty { out += "<p class=\"summary\">\(HTML.escape(b.summary.joined(separator: " · ")))</p>\n" }
        out += HTMLChart.stacked(b.lines.map { HTMLChart.Item($0.label, $0.amount, Format.money($0.amount)) }, title: "\(b.name): per month, by line", id: id)
        let parts = TextRenderer.parts(b, exact: false)
        var rows = parts.lines.map { [$0.label, [$0.quantity, $0.unit].filter { !$0.isEmpty }.joined(separator: " "), $0.rate, $0.references, $0.amount] }
        rows.append(["total", "", "", "", Format.money(b.total, b.high?.breakdown.total)])
        out += HTML.table(["", "quantity/month", "rate", "source", "per month"], rows, numeric: [1, 4], total: true)
        out += "<p class=\"summary\">\(HTML.escape(parts.totals.joined(separator: " · ")))</p>\n"
        if !parts.assumptions.isEmpty { out += "<p class=\"assumed\">assumed: \(HTML.escape(parts.assumptions.joined(separator: "; ")))</p>\n" }
        if !parts.sources.isEmpty {
            out += "<ol class=\"sources\">\n" + parts.sources.map { "<li>\(HTML.escape(TextRenderer.footnote($0)))</li>\n" }.joined() + "</ol>\n"
        }
        return out
    }

    static func total(_ plan: PlanTotal) -> String {
        var out = heading("total — \(plan.breakdowns.count == 1 ? "1 workload" : "\(plan.breakdowns.count) workloads")")
        let sorted = plan.breakdowns.sorted { $0.upperTotal != $1.upperTotal ? $0.upperTotal > $1.upperTotal : $0.name < $1.name }
        out += HTMLChart.bars(sorted.map { HTMLChart.Item($0.name, $0.upperTotal, Format.money($0.total, $0.high?.breakdown.total)) }, title: "per month, by workload")
        var rows = plan.breakdowns.map { b in
            [b.name, b.model, b.requestsPerMonth.map { TextRenderer.count($0, b.high?.breakdown.requestsPerMonth, unit: "requests", exact: false) } ?? "",
             Format.money(b.total, b.high?.breakdown.total)]
        }
        rows.append(["total", "", "", Format.money(plan.total, plan.upperTotal)])
        return out + HTML.table(["workload", "model", "requests/month", "per month"], rows, numeric: [2, 3], total: true)
    }

    static func report(_ report: Report, id: String) -> String {
        switch report {
        case .comparison(let c):
            var out = heading("compare")
            out += HTMLChart.bars(c.rows.map { HTMLChart.Item($0.label, $0.breakdown.upperTotal, Format.money($0.breakdown.total, $0.breakdown.high?.breakdown.total)) },
                                  title: "per month, side by side")
            return out + HTML.table(["", "per month", "change", "per request"], ReportRenderer.comparisonRows(c), numeric: [1, 2, 3])
        case .forecast(let f):
            let span = f.months.first?.calendar.map { "\(f.months.count) calendar months from \($0)" } ?? "\(f.months.count) months"
            var out = heading("forecast of \(f.subject) — \(span), growth \(Format.percent(f.growth))/month")
            out += HTMLChart.line(f.months.map { HTMLChart.Item($0.calendar?.description ?? String($0.month), $0.high ?? $0.cost, Format.money($0.cost, $0.high)) },
                                  title: "cost per month, by month")
            var rows = f.months.map { m in [m.calendar.map { "\(m.month) (\($0))" } ?? String(m.month), Format.money(m.cost, m.high)] }
            rows.append(["total", Format.money(f.total, f.highTotal)])
            return out + HTML.table(["month", "cost"], rows, numeric: [0, 1], total: true)
        case .tags(let t):
            var out = heading("by tag \(t.key)")
            out += HTMLChart.bars(t.groups.map { HTMLChart.Item($0.value ?? "untagged", $0.high ?? $0.cost, Format.money($0.cost, $0.high)) }, title: "per month, by \(t.key)")
            out += HTML.table([t.key, "workloads", "per month"], ReportRenderer.tagRows(t), numeric: [2], total: true)
            if !t.oneOffs.isEmpty { out += "<p class=\"note\">paid once, in no monthly group: \(HTML.escape(t.oneOffs.joined(separator: ", ")))</p>\n" }
            return out
        case .advice(let a):
            var out = heading("advice for \(a.subject) — \(Format.money(a.baseline))/month now")
            if a.recommendations.isEmpty {
                out += "<p class=\"note\">nothing to change that would save money</p>\n"
            } else {
                out += HTMLChart.bars(a.recommendations.map { HTMLChart.Item("\($0.workload): \($0.change ?? "remove")", $0.saving, Format.money($0.saving) + "/month") },
                                      title: "saving per month, by change")
                let rows = a.recommendations.enumerated().map { i, rec in
                    ["\(i + 1).", rec.workload, rec.change ?? "remove \(rec.workload)", Format.money(rec.saving) + "/month",
                     (rec.after.map { Format.money($0.total) } ?? "$0.00") + "/month", rec.note.text]
                }
                out += HTML.table(["", "workload", "change", "saves", "then", "what to weigh"], rows, numeric: [3, 4])
            }
            if !a.notes.isEmpty { out += "<ul>\n" + a.notes.map { "<li class=\"note\">\(HTML.escape($0.text))</li>\n" }.joined() + "</ul>\n" }
            return out
        }
    }

    /// `check --format html`: each assertion's verdict in words and marks,
    /// its two sides drawn as a pair of bars, and the table.
    package static func check(_ report: CheckReport) -> String {
        var body = "<p class=\"summary\">\(HTML.escape(report.summary))</p>\n"
        let drawn = report.assertions.compactMap { a -> (label: String, first: HTMLChart.Item, second: HTMLChart.Item)? in
            guard let actual = a.actualQuantity, let bound = a.boundQuantity, actual.dimension == bound.dimension,
                  let actualText = a.actual, let boundText = a.bound else { return nil }
            let label = CheckRenderer.label(a)
            return (label, HTMLChart.Item(label, actual.value.magnitude, actualText), HTMLChart.Item(label, bound.value.magnitude, boundText))
        }
        if !drawn.isEmpty { body += HTMLChart.pairs(drawn, names: ("actual", "bound"), title: "each assertion: actual and bound", id: "check") }
        if !report.assertions.isEmpty {
            body += "<table>\n<thead><tr><th scope=\"col\">verdict</th><th scope=\"col\">where</th><th scope=\"col\">assertion</th>"
                + "<th class=\"n\" scope=\"col\">actual</th><th class=\"n\" scope=\"col\">bound</th><th class=\"n\" scope=\"col\">margin</th></tr></thead>\n<tbody>\n"
            for a in report.assertions {
                let verdict = a.passed ? "<td class=\"verdict-pass\">pass</td>" : "<td class=\"verdict-fail\">FAIL</td>"
                body += "<tr>\(verdict)<td>\(HTML.escape("\(a.span.file.name):\(a.span.line)"))</td><td>\(HTML.escape(CheckRenderer.label(a)))</td>"
                    + "<td class=\"n\">\(HTML.escape(a.actual ?? ""))</td><td class=\"n\">\(HTML.escape(CheckRenderer.bound(a)))</td>"
                    + "<td class=\"n\">\(HTML.escape(CheckRenderer.margin(a)))</td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        let problems = report.diagnostics.map { d in
            "\(d.severity.rawValue) \(d.span.map { "\($0.file.name):\($0.line):\($0.column)" } ?? "tally"): \(d.message)"
        } + report.unreadable.map { "error \($0.path): \($0.message)" }
        if !problems.isEmpty { body += "<ul>\n" + problems.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul>\n" }
        return HTML.page(title: "Tally check", body: body)
    }
}
