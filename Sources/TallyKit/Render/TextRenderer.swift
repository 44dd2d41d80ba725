/// Renders values for people: breakdown tables aligned in columns, quantities
/// with their units.
public struct TextRenderer {
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }

    /// A value on one line, or a table for workloads and `total`.
    public func render(_ value: Value) -> String {
        switch value {
        case .quantity(let q): Format.quantity(q) + "\n"
        case .boolean(let b): "\(b)\n"
        case .string(let s): s + "\n"
        case .workload(_, let b): breakdown(b)
        case .total(let all): total(all)
        }
    }

    /// What `show` printed, in order; tables are set off by a blank line.
    public func render(_ items: [ShowItem]) -> String {
        var out = ""
        var previousWasTable = false
        for item in items {
            let isTable: Bool
            switch item.value {
            case .workload, .total: isTable = true
            default: isTable = false
            }
            if !out.isEmpty && (isTable || previousWasTable) { out += "\n" }
            out += render(item)
            previousWasTable = isTable
        }
        return out
    }

    /// What `show` prints for one item.
    public func render(_ item: ShowItem) -> String {
        switch item.value {
        case .quantity, .boolean, .string:
            let text = render(item.value)
            let trimmed = String(text.dropLast())
            return item.source == trimmed ? text : "\(item.source) = \(text)"
        default:
            return render(item.value)
        }
    }

    public func breakdown(_ b: Breakdown) -> String {
        var header = [b.modelDisplayName.map { "\($0) (\(b.model))" } ?? b.model, b.mode, b.region]
        if let endpoint = b.endpoint { header.append("\(endpoint.rawValue) endpoint") }
        var out = bold(b.name) + " — " + header.joined(separator: " · ") + "\n"
        var traits = ["\(Format.count(b.requestsPerMonth)) requests/month",
                      "\(Format.count(b.inputTokens)) input + \(Format.count(b.outputTokens)) output tokens/request"]
        if !b.cacheRead.isZero { traits.append("cache read \(Format.percent(b.cacheRead))") }
        if !b.cacheWrite.isZero { traits.append("cache write \(Format.percent(b.cacheWrite))") }
        if !b.tags.isEmpty { traits.append(b.tags.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) }
        out += "  " + traits.joined(separator: " · ") + "\n\n"

        // Number each distinct source once.
        var sources: [(origin: String, rate: Rate)] = []
        func reference(_ rate: Rate) -> Int {
            if let i = sources.firstIndex(where: { $0.origin == rate.origin && $0.rate.source == rate.source }) { return i + 1 }
            sources.append((rate.origin, rate))
            return sources.count
        }
        var rows: [[String]] = [["", "tokens/month", "rate", "", "per month"]]
        for line in b.lines {
            let rate = Format.quantity(Quantity(line.rate.amount, Dimension(exponents: SIMD8(1, 0, -1, 0, 0, 0, 0, 0))))
            rows.append([line.label, Format.count(line.quantity), rate + (line.rate.overridden ? " *" : ""),
                         "[\(reference(line.rate))]", Format.money(line.amount)])
        }
        rows.append(["total", "", "", "", Format.money(b.total)])
        out += table(rows, rightAligned: [1, 4], boldRows: [0, rows.count - 1])
        out += "\n"
        var totals: [String] = []
        if let perRequest = b.perRequest { totals.append("per request \(Format.money(perRequest))") }
        totals.append("per day \(Format.money(b.perDay))")
        totals.append("per month \(Format.money(b.total))")
        out += "  " + totals.joined(separator: " · ") + "\n"
        if !b.assumptions.isEmpty {
            out += "  " + dim("assumed: " + b.assumptions.joined(separator: "; ")) + "\n"
        }
        for (i, source) in sources.enumerated() {
            var text = "  [\(i + 1)] \(source.origin): \(source.rate.source)"
            if let asOf = source.rate.asOf { text += ", as of \(asOf)" }
            out += dim(text) + "\n"
        }
        if b.lines.contains(where: { $0.rate.overridden }) {
            out += dim("  * overrides the built-in catalog's rate") + "\n"
        }
        return out
    }

    public func total(_ all: [Breakdown]) -> String {
        var rows: [[String]] = [["workload", "model", "requests/month", "per month"]]
        var sum = Rational.zero
        for b in all {
            rows.append([b.name, b.model, Format.count(b.requestsPerMonth), Format.money(b.total)])
            sum = sum.adding(b.total) ?? sum
        }
        rows.append(["total", "", "", Format.money(sum)])
        let count = all.count == 1 ? "1 workload" : "\(all.count) workloads"
        return bold("total") + " — " + count + "\n\n" + table(rows, rightAligned: [2, 3], boldRows: [0, rows.count - 1])
    }

    /// Columns padded to their widest cell, two spaces apart, indented by two.
    func table(_ rows: [[String]], rightAligned: Set<Int>, boldRows: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for (r, row) in rows.enumerated() {
            var cells: [String] = []
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                cells.append(rightAligned.contains(i) ? pad + cell : cell + pad)
            }
            var line = "  " + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += (boldRows.contains(r) ? bold(line) : line) + "\n"
        }
        return out
    }
}
