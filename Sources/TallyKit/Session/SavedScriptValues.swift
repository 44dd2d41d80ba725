// `:save`: values compared wherever they were declared, and written back as source text.
import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

extension SavedScript {
    // MARK: Comparing values, wherever they were declared

    /// True when two values print the same, apart from where their rates were declared.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.quantity(let x), .quantity(let y)): x == y
        case (.boolean(let x), .boolean(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        // A workload under another name (`let result-2 = chat with < … >`) is the same estimate.
        case (.workload(_, let x), .workload(_, let y)): fingerprint(x.named("")) == fingerprint(y.named(""))
        case (.total(let x), .total(let y)): x.breakdowns.map(fingerprint) == y.breakdowns.map(fingerprint)
        default: false
        }
    }

    /// A table (`compare`, `forecast`, …) by what it prints; a value by itself.
    static func same(_ a: ShowItem, _ b: ShowItem) -> Bool {
        switch (a.report, b.report) {
        case (nil, nil): same(a.value, b.value)
        case (let x?, let y?): ReportRenderer.text(x, renderer: TextRenderer()) == ReportRenderer.text(y, renderer: TextRenderer())
        default: false
        }
    }

    static func same(_ a: AssertionResult, _ b: AssertionResult) -> Bool {
        a.passed == b.passed && a.message == b.message && a.actual == b.actual && a.bound == b.bound
            && a.group?.key == b.group?.key && a.group?.value == b.group?.value
    }

    /// Everything a breakdown shows except the places its rates were declared.
    static func fingerprint(_ b: Breakdown) -> [String] {
        var parts = [b.name, b.kind.rawValue, b.model, b.modelDisplayName ?? "", b.region, b.endpoint?.rawValue ?? "", b.mode,
                     "\(b.requestsPerMonth.map(\.description) ?? "")", "\(b.inputTokens.map(\.description) ?? "")",
                     "\(b.outputTokens.map(\.description) ?? "")", "\(b.cacheRead)", "\(b.cacheWrite)", "\(b.total)"]
        parts += b.summary + b.assumptions + b.tags.map { "\($0.key)=\($0.value)" }
        for line in b.lines {
            parts.append("\(line.label) \(line.quantity) \(line.unit) \(line.amount) \(line.rateText)")
            for rate in line.rates {
                parts.append("\(rate.kind.name) \(rate.amount) \(rate.asOf ?? "") \(rate.since ?? "") \(rate.isBuiltin) \(rate.overridden)")
            }
        }
        if let high = b.high?.breakdown { parts += ["high"] + fingerprint(high) }
        return parts
    }

    // MARK: Values as source text

    /// Source text that evaluates to exactly `value`, when there is one.
    static func literal(_ value: Value) -> String? {
        switch value {
        case .boolean(let b): return String(b)
        case .string(let s):
            // A literal holds a line end or a tab as an escape, and no other control character.
            let exact = !s.unicodeScalars.contains { $0 != "\n" && $0 != "\t" && SourceText.isControl($0) }
            return exact ? SourceText.stringLiteral(s) : nil
        case .quantity(let q): return quantityLiteral(q)
        case .workload, .total: return nil
        }
    }

    /// The names that give a quantity its dimension: one of each base unit.
    static let baseUnits: [BaseDimension: String] = [
        .money: "$", .time: "second", .tokens: "tokens", .requests: "requests", .images: "images",
        .words: "words", .characters: "characters", .data: "GB",
    ]

    /// `(N / D) * $ / month`: the number in the time unit the quantity is
    /// shown in, times or divided by each base unit, so the value, the
    /// dimension and the unit it prints in all come back. A range is
    /// `(0..1) * (HIGH - LOW) + LOW`, which interval arithmetic makes exact.
    static func quantityLiteral(_ q: Quantity) -> String? {
        let time = Int(q.dimension[.time])
        var scale = Rational.one
        var timeName = "second"
        if time != 0 {
            guard let unit = q.timeUnit, let s = unit.factor.power(time) else { return nil }
            scale = s
            timeName = unit.singular
        }
        guard let low = q.value.divided(by: scale) else { return nil }
        var number = number(low)
        if let high = q.high {
            guard let h = high.divided(by: scale), let width = h.subtracting(low), !width.isNegative else { return nil }
            number = "((0..1) * \(self.number(width)) + \(number))"
        }
        var factors = ""
        for base in BaseDimension.allCases {
            let exponent = Int(q.dimension[base])
            guard exponent != 0, let name = base == .time ? timeName : baseUnits[base] else { continue }
            factors += String(repeating: (exponent > 0 ? " * " : " / ") + name, count: abs(exponent))
        }
        return number + factors
    }

    /// A rational as a literal: a decimal when it has a short one, else a fraction.
    static func number(_ r: Rational) -> String {
        let magnitude = r.magnitude
        let text: String
        if let decimal = magnitude.terminatingDecimal, decimal.count <= 30 {
            text = decimal
        } else {
            text = "(\(magnitude.numerator) / \(magnitude.denominator))"
        }
        return r.isNegative ? "(-\(text))" : text
    }

}
