import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// Breakdowns as CSV rows (one per line of each breakdown, for spreadsheets)
/// and as Markdown tables.
package enum TableRenderer {
    package static let csvHeader = "file,line,expression,workload,item,quantity,unit,rate,rate_unit,usd_per_month\n"

    static func exact(_ r: Rational) -> String {
        r.terminatingDecimal ?? r.decimalString(fractionDigits: 20, trimTrailingZeros: true)
    }

    static func row(_ cells: [String]) -> String {
        cells.map(Escaping.csvField).joined(separator: ",") + "\n"
    }

    static func rows(_ b: Breakdown, prefix: [String]) -> String {
        var out = ""
        for line in b.lines {
            let rate = line.rates.first
            let (value, unit) = rate.map { Format.rateValue($0.amount, kind: $0.kind) } ?? (.zero, "")
            out += row(prefix + [b.name, line.label, exact(line.quantity), line.unit, rate == nil ? "" : exact(value), unit, exact(line.amount)])
        }
        out += row(prefix + [b.name, "total", "", "", "", "", exact(b.total)])
        return out
    }

    package static func csv(_ item: ShowItem, file: String) -> String {
        let prefix = [file, String(item.span.line), item.source]
        if let report = item.report { return ReportRenderer.csv(report, prefix: prefix) }
        switch item.value {
        case .workload(_, let b): return rows(b, prefix: prefix)
        case .total(let plan): return plan.breakdowns.map { rows($0, prefix: prefix) }.joined()
        case .quantity(let q):
            return row(prefix + ["", "value", Format.exactDecimal(q), Format.unitText(q), "", "", ""])
        case .boolean(let v):
            return row(prefix + ["", "value", String(v), "", "", "", ""])
        case .string(let v):
            return row(prefix + ["", "value", v, "", "", "", ""])
        }
    }

    package static func markdown(_ item: ShowItem) -> String {
        if let report = item.report { return ReportRenderer.markdown(report) }
        switch item.value {
        case .workload(_, let b): return markdown(b)
        case .total(let plan):
            var out = "| workload | model | per month |\n|---|---|---:|\n"
            for b in plan.breakdowns { out += "| \(Escaping.markdownText(b.name)) | \(Escaping.markdownText(b.model)) | \(Format.money(b.total)) |\n" }
            out += "| **total** | | **\(Format.money(plan.total))** |\n"
            return out
        default:
            return Escaping.markdownText(item.source) + " = " + Escaping.markdownText(String(TextRenderer().render(item.value).dropLast())) + "\n"
        }
    }

    package static func markdown(_ b: Breakdown) -> String {
        var out = "#### \(Escaping.markdownText(b.name)) — \(Escaping.markdownText(b.modelDisplayName.map { "\($0) (\(b.model))" } ?? b.model))\n\n"
        if !b.summary.isEmpty { out += Escaping.markdownText(b.summary.joined(separator: " · ")) + "\n\n" }
        out += "| item | quantity/month | rate | per month |\n|---|---:|---|---:|\n"
        for line in b.lines {
            let quantity = line.rates.isEmpty ? "" : "\(TextRenderer.count(line.quantity, nil, unit: line.unit, exact: false)) \(line.unit)"
            out += "| \(Escaping.markdownText(line.label)) | \(quantity) | \(line.rateText) | \(Format.money(line.amount)) |\n"
        }
        out += "| **total** | | | **\(Format.money(b.total))** |\n"
        if !b.assumptions.isEmpty { out += "\nAssumed: " + Escaping.markdownText(b.assumptions.joined(separator: "; ")) + "\n" }
        return out
    }
}
