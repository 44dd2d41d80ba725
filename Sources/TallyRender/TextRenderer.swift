import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// Renders values for people: breakdown tables aligned in columns, quantities
/// with their units.
package struct TextRenderer {
    package var color: Bool
    /// Bars beside breakdown lines (on a terminal) and in forecasts.
    package var charts: ChartStyle
    /// Counts as `Format.count` shows them (`--exact`), not in whole units.
    package var exact: Bool

    package init(color: Bool = false, charts: ChartStyle = .none, exact: Bool = false) {
        self.color = color
        self.charts = charts
        self.exact = exact
    }

    /// A count of things (tokens, requests, text units, images, pages) in
    /// whole units unless `exact`; a measure (GB-months, unit-hours) as is.
    func count(_ low: Rational, _ high: Rational?, unit: String = "requests") -> String {
        TextRenderer.count(low, high, unit: unit, exact: exact)
    }

    static func count(_ low: Rational, _ high: Rational?, unit: String, exact: Bool) -> String {
        let measure = ["hour", "minute", "second", "month", "GB", "share", "multiplier"].contains { unit.contains($0) }
        return exact || measure ? Format.count(low, high) : Format.wholeCount(low, high)
    }

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }

    /// A value on one line, or a table for workloads and `total`.
    package func render(_ value: Value) -> String {
        switch value {
        case .quantity(let q): Format.quantity(q) + "\n"
        case .boolean(let b): "\(b)\n"
        case .string(let s): Escaping.visible(s) + "\n"
        case .workload(_, let b): breakdown(b)
        case .total(let plan): total(plan)
        }
    }

    /// What `show` printed, in order; tables are set off by a blank line.
    package func render(_ items: [ShowItem]) -> String {
        var out = ""
        var previousWasTable = false
        for item in items {
            let isTable: Bool
            switch item.value {
            case .workload, .total: isTable = true
            default: isTable = item.report != nil
            }
            if !out.isEmpty && (isTable || previousWasTable) { out += "\n" }
            out += render(item)
            previousWasTable = isTable
        }
        return out
    }

    /// What `show` prints for one item.
    package func render(_ item: ShowItem) -> String {
        if let report = item.report { return ReportRenderer.text(report, renderer: self) }
        switch item.value {
        case .quantity, .boolean, .string:
            let text = render(item.value)
            let trimmed = String(text.dropLast())
            return item.source == trimmed ? text : "\(Escaping.visible(item.source)) = \(text)"
        default:
            return render(item.value)
        }
    }

    package func breakdown(_ b: Breakdown) -> String {
        let high = b.high?.breakdown
        var header: [String] = []
        if b.kind != .inference { header.append(b.kind.rawValue) }
        header.append(b.modelDisplayName.map { "\($0) (\(b.model))" } ?? b.model)
        if b.kind == .inference { header.append(b.mode) }
        header.append(b.region)
        if let endpoint = b.endpoint { header.append("\(endpoint.rawValue) endpoint") }
        var out = bold(Escaping.visible(b.name)) + " — " + Escaping.visible(header.filter { !$0.isEmpty }.joined(separator: " · ")) + "\n"
        var summary = b.summary(exact: exact)
        if let high, high.summary.count == summary.count {
            summary = zip(summary, high.summary(exact: exact)).map { $0 == $1 ? $0 : "\($0) to \($1)" }
        }
        if !summary.isEmpty { out += "  " + Escaping.visible(summary.joined(separator: " · ")) + "\n" }
        out += "\n"

        let parts = TextRenderer.parts(b, exact: exact)
        var rows: [[String]] = [["", "quantity/month", "", "rate", "", "per month"]]
        for line in parts.lines {
            var row = [line.label, line.quantity, line.unit, line.rate, line.references, line.amount]
            if charts != .none {
                row.append(line.share.map { $0.isZero ? "" : charts.bar($0, width: 20) } ?? "")
            }
            rows.append(row)
        }
        rows.append(["total", "", "", "", "", Format.money(b.total, high?.total)])
        out += table(rows, rightAligned: [1, 5], boldRows: [0, rows.count - 1])
        out += "\n"
        out += "  " + parts.totals.joined(separator: " · ") + "\n"
        if !parts.assumptions.isEmpty {
            out += "  " + dim(Escaping.visible("assumed: " + parts.assumptions.joined(separator: "; "))) + "\n"
        }
        for (i, rate) in parts.sources.enumerated() {
            out += dim(Escaping.visible("  [\(i + 1)] " + TextRenderer.footnote(rate))) + "\n"
        }
        if b.lines.contains(where: { $0.rates.contains(where: \.overridden) }) {
            out += dim("  * overrides the built-in catalog's rate") + "\n"
        }
        return out
    }

    /// A breakdown as people read it, for text and HTML alike: each line's
    /// cells (the high end beside the low where the workload is a range, lines
    /// only the high end has at the end), each distinct rate source numbered
    /// once in order of first use, the per-request/day/month line and the
    /// assumptions (the high end's own marked).
    struct BreakdownParts {
        struct Line {
            let label, quantity, unit, rate, references, amount: String
            /// The line's share of the whole, for a bar; nil for a line only the high end has.
            let share: Rational?
        }
        var lines: [Line] = []
        var sources: [Rate] = []
        var totals: [String] = []
        var assumptions: [String] = []
    }

    static func parts(_ b: Breakdown, exact: Bool) -> BreakdownParts {
        let high = b.high?.breakdown
        var parts = BreakdownParts()
        func reference(_ rate: Rate) -> Int {
            if let i = parts.sources.firstIndex(where: { $0.origin == rate.origin && $0.source == rate.source }) { return i + 1 }
            parts.sources.append(rate)
            return parts.sources.count
        }
        let whole = high?.total ?? b.total
        for line in b.lines {
            let upper = high?.lines.first { $0.label == line.label }
            var refs: [Int] = []
            for rate in line.rates + (upper?.rates ?? []) where !refs.contains(reference(rate)) { refs.append(reference(rate)) }
            var rate = line.rateText
            if let upper, upper.rateText != line.rateText { rate += " to " + upper.rateText }
            parts.lines.append(BreakdownParts.Line(
                label: line.label,
                quantity: line.rates.isEmpty ? "" : count(line.quantity, upper?.quantity, unit: line.unit, exact: exact),
                unit: line.rates.isEmpty ? "" : line.unit,
                rate: rate + (line.rates.contains(where: \.overridden) ? " *" : ""),
                references: refs.isEmpty ? "" : "[" + refs.map(String.init).joined(separator: ",") + "]",
                amount: Format.money(line.amount, upper?.amount),
                share: whole.isZero ? .zero : ((upper?.amount ?? line.amount).divided(by: whole) ?? .zero)))
        }
        // Lines only the high end has (a long-context tier it crosses, say).
        for line in high?.lines ?? [] where !b.lines.contains(where: { $0.label == line.label }) {
            parts.lines.append(BreakdownParts.Line(label: line.label, quantity: count(.zero, line.quantity, unit: line.unit, exact: exact), unit: line.unit,
                                                   rate: line.rateText, references: "", amount: Format.money(.zero, line.amount), share: nil))
        }
        if let month = b.oneOffMonth {
            parts.totals.append("paid once, in month \(month) of a forecast: \(Format.money(b.total, high?.total)) (in no monthly total)")
        } else if let perRequest = b.perRequest {
            parts.totals.append("per \(b.kind == .knowledgeBase ? "retrieval" : "request") \(Format.money(perRequest, high?.perRequest))")
        }
        if b.oneOffMonth == nil {
            parts.totals.append("per day \(Format.money(b.perDay, high?.perDay))")
            parts.totals.append("per month \(Format.money(b.total, high?.total))")
        }
        parts.assumptions = b.assumptions
        for a in high?.assumptions ?? [] where !parts.assumptions.contains(a) { parts.assumptions.append(a + " (high end)") }
        return parts
    }

    /// A rate's source as its footnote reads: `bedrock.tally:755: AWS price list, as of 2026-11`.
    static func footnote(_ rate: Rate) -> String {
        var text = "\(rate.origin): \(rate.source)"
        if let asOf = rate.asOf { text += ", as of \(asOf)" }
        if let since = rate.since { text += ", since \(since)" }
        return text
    }

    package func total(_ plan: PlanTotal) -> String {
        let all = plan.breakdowns
        var rows: [[String]] = [["", "model", "requests/month", "per month"]]
        rows.reserveCapacity(all.count + 2)
        for b in all {
            let high = b.high
            let requests = b.requestsPerMonth.map { count($0, high?.breakdown.requestsPerMonth) } ?? ""
            rows.append([b.name, b.model, requests, Format.money(b.total, high?.breakdown.total)])
        }
        rows.append(["total", "", "", Format.money(plan.total, plan.upperTotal)])
        let workloads = all.count == 1 ? "1 workload" : "\(all.count) workloads"
        return bold("total") + " — " + workloads + "\n\n" + table(rows, rightAligned: [2, 3], boldRows: [0, rows.count - 1])
    }

    /// Columns padded to their widest cell, two spaces apart, indented by two;
    /// each cell shown visibly, one Character a scalar. Built as bytes: a
    /// `total` of 10,000 workloads is 10,000 rows.
    package func table(_ rows: [[String]], rightAligned: Set<Int>, boldRows: Set<Int>) -> String {
        var columns = 0
        for row in rows { columns = max(columns, row.count) }
        // Each cell shown visibly, and its width, row by row in one flat list.
        var cells: [String] = []
        var widths: [Int] = []
        cells.reserveCapacity(rows.count * columns)
        widths.reserveCapacity(rows.count * columns)
        var columnWidths = [Int](repeating: 0, count: columns)
        var bytes = 0
        for row in rows {
            for (i, cell) in row.enumerated() {
                let shown = Escaping.visible(cell)
                let width = Escaping.width(shown)
                cells.append(shown)
                widths.append(width)
                columnWidths[i] = max(columnWidths[i], width)
                bytes += shown.utf8.count
            }
        }
        var right = [Bool](repeating: false, count: columns)
        for i in rightAligned where i < columns { right[i] = true }
        let (boldOn, boldOff) = color ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
        // Every byte is counted first, then written once.
        var capacity = bytes
        for row in rows {
            capacity += 3
            for i in row.indices { capacity += columnWidths[i] + (i > 0 ? 2 : 0) }
        }
        capacity += boldRows.count * (boldOn.utf8.count + boldOff.utf8.count)
        let space = UInt8(ascii: " ")
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
            var at = 0
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    for byte in bytes { buffer[at] = byte; at += 1 }
                }
            }
            var cell = 0
            for (r, row) in rows.enumerated() {
                let isBold = boldRows.contains(r)
                if isBold { put(boldOn) }
                buffer[at] = space; buffer[at + 1] = space; at += 2
                for i in row.indices {
                    if i > 0 { buffer[at] = space; buffer[at + 1] = space; at += 2 }
                    let pad = columnWidths[i] - widths[cell]
                    if right[i] { for _ in 0..<pad { buffer[at] = space; at += 1 } }
                    put(cells[cell])
                    if !right[i] { for _ in 0..<pad { buffer[at] = space; at += 1 } }
                    cell += 1
                }
                while at > 0, buffer[at - 1] == space { at -= 1 }
                if isBold { put(boldOff) }
                buffer[at] = UInt8(ascii: "\n"); at += 1
            }
            written = at
        }
        return String(decoding: out, as: UTF8.self)
    }
}
