/// How numbers, money and quantities read in text output.
///
/// Money shows cents; an amount under a dollar keeps three significant
/// digits, so a non-zero line never reads `$0.00`. Other numbers are grouped
/// by thousands and rounded to six significant digits at most.
package enum Format {
    package static func money(_ value: Rational) -> String {
        let magnitude = value.magnitude
        let digits: Int
        if magnitude >= .one || magnitude.isZero {
            digits = 2
        } else {
            digits = max(2, significantFractionDigits(magnitude, significant: 3))
        }
        // Keep at least cents, drop zeros past the significant digits.
        return value.decimalText(prefix: "$", fractionDigits: digits, keepFractionDigits: 2, groupThousands: true)
    }

    /// A price as published: exact when it has at most six decimals (`$4.125`,
    /// `$0.00875`), at least cents, else as `money` rounds it.
    package static func price(_ value: Rational) -> String {
        guard let exact = value.magnitude.terminatingDecimal else { return money(value) }
        let fraction = exact.split(separator: ".").dropFirst().first.map(String.init) ?? ""
        guard fraction.count <= 6 else { return money(value) }
        let digits = max(2, fraction.count)
        return (value.isNegative ? "-$" : "$") + value.magnitude.decimalString(fractionDigits: digits, groupThousands: true)
    }

    /// A count such as tokens or requests: grouped, at most two decimals above
    /// 1,000 and six significant digits below.
    package static func count(_ value: Rational) -> String {
        if value.isInteger { return value.decimalString(fractionDigits: 0, groupThousands: true) }
        let magnitude = value.magnitude
        let digits: Int
        if magnitude >= Rational(1000) {
            digits = 2
        } else if magnitude >= .one {
            digits = max(0, 6 - integerDigits(magnitude))
        } else {
            digits = significantFractionDigits(magnitude, significant: 6)
        }
        return value.decimalString(fractionDigits: digits, trimTrailingZeros: true, groupThousands: true)
    }

    /// A count as a table shows it to people: whole units from one up
    /// (`304,167`, not `304,166.67`), half away from zero; below one as
    /// `count` shows it, so a small count never reads `0`. JSON, CSV and
    /// `--exact` show `count`.
    package static func wholeCount(_ value: Rational) -> String {
        guard value.magnitude >= .one else { return count(value) }
        return value.decimalString(fractionDigits: 0, groupThousands: true)
    }

    package static func wholeCount(_ low: Rational, _ high: Rational?) -> String {
        guard let high, high != low else { return wholeCount(low) }
        return wholeCount(low) + "–" + wholeCount(high)
    }

    /// `1 request`, `2 requests`: the noun after a count as shown.
    package static func counted(_ shown: String, _ singular: String, _ plural: String) -> String {
        shown + " " + (shown == "1" ? singular : plural)
    }

    /// Two figures that differ, each with as many decimals as it takes for
    /// their text to differ too (a failing `==` never reads `$17.51 == $17.51`):
    /// nil when they read differently already or are equal.
    package static func distinguished(_ a: Quantity, _ b: Quantity) -> (String, String)? {
        guard quantity(a) == quantity(b), a.value != b.value || a.upper != b.upper else { return nil }
        let (av, unit) = displayParts(a.end(.high))
        let (bv, _) = displayParts(b.end(.high))
        let isMoney = a.dimension[.money] == 1
        for digits in 3...24 {
            let x = av.decimalString(fractionDigits: digits, groupThousands: true)
            let y = bv.decimalString(fractionDigits: digits, groupThousands: true)
            guard x != y else { continue }
            func text(_ number: String) -> String {
                let n = isMoney ? (number.hasPrefix("-") ? "-$" + number.dropFirst() : "$" + number) : number
                return unit.isEmpty ? n : unit.hasPrefix("/") ? n + unit : n + " " + unit
            }
            return (text(x), text(y))
        }
        return nil
    }

    /// Fraction digits needed to show `significant` digits of a value below one.
    static func significantFractionDigits(_ magnitude: Rational, significant: Int) -> Int {
        // Leading zeros: while magnitude < 1/10, that is 10·n < d (so 10·n
        // cannot overflow), scale by ten.
        var n = magnitude.numerator.magnitude
        let d = magnitude.denominator.magnitude
        var leadingZeros = 0
        while leadingZeros < 80 {
            let (scaled, overflow) = n.multipliedReportingOverflow(by: 10)
            guard !overflow, scaled < d else { break }
            n = scaled
            leadingZeros += 1
        }
        return leadingZeros + significant
    }

    static func integerDigits(_ magnitude: Rational) -> Int {
        var rest = magnitude.floor
        var digits = 1
        while rest >= 10 { rest /= 10; digits += 1 }
        return digits
    }

    /// A quantity with its unit: `$536.55/month`, `91,250/month`,
    /// `1,000 tokens`, `$3.00/1M tokens`.
    package static func quantity(_ q: Quantity) -> String {
        var (value, unit) = displayParts(q)
        // `1 token`, `1 request/month`: one, exactly, takes the singular.
        if !q.isRange, value.magnitude == .one { unit = displayParts(q, singular: true).1 }
        let isMoney = q.dimension[.money] == 1
        var number = isMoney ? money(value) : count(value)
        if q.isRange {
            let (high, _) = displayParts(q.end(.high))
            number += "–" + (isMoney ? money(high) : count(high))
        }
        if unit.isEmpty { return number }
        if unit.hasPrefix("/") { return number + unit }
        return number + " " + unit
    }

    /// The value in display units, and the unit text after the number (empty,
    /// `/month`, `tokens/request`, `/1M tokens`).
    package static func displayParts(_ q: Quantity, singular: Bool = false) -> (Rational, String) {
        var value = q.value
        var numerator: [String] = []
        var denominator: [String] = []
        let d = q.dimension
        // Money per token reads per million tokens, as price lists do.
        let perMillionTokens = d[.money] == 1 && d[.tokens] == -1
        for base in BaseDimension.allCases {
            let e = d[base]
            if e == 0 || base == .money { continue }
            var unit = base == .time ? (q.timeUnit ?? Units.display(for: base, exponent: e)) : Units.display(for: base, exponent: e)
            if let scale = unit.factor.power(Int(e)), let scaled = value.divided(by: scale) {
                value = scaled
            } else {
                // Too large to rescale exactly: show it in the base unit instead.
                unit = Units.second
            }
            if base == .tokens && perMillionTokens {
                value = value.multiplied(by: Rational(1_000_000)) ?? value
                denominator.append("1M tokens")
                continue
            }
            let name = e > 0 && !(singular && e == 1) ? unit.plural : unit.singular
            let power = abs(Int(e)) == 1 ? "" : "^\(abs(Int(e)))"
            if e > 0 { numerator.append(name + power) } else { denominator.append(name + power) }
        }
        if d[.money] > 1 { numerator.insert("$^\(d[.money])", at: 0) }
        if d[.money] < 0 { denominator.insert(d[.money] == -1 ? "$" : "$^\(-d[.money])", at: 0) }
        var text = numerator.joined(separator: "·")
        if !denominator.isEmpty {
            text += "/" + (denominator.count == 1 ? denominator[0] : "(" + denominator.joined(separator: "·") + ")")
        }
        return (value, text)
    }

    /// The unit alone, as JSON output names it: `$/month`, `tokens`, `1/month`.
    package static func unitText(_ q: Quantity) -> String {
        let (_, unit) = displayParts(q)
        let isMoney = q.dimension[.money] == 1
        if isMoney { return "$" + unit }
        if unit.hasPrefix("/") { return "1" + unit }
        return unit
    }

    /// The exact value in display units: its decimal expansion when it has one,
    /// else rounded to 20 decimal places.
    package static func exactDecimal(_ q: Quantity) -> String {
        let (value, _) = displayParts(q.end(.low))
        return value.terminatingDecimal ?? value.decimalString(fractionDigits: 20, trimTrailingZeros: true)
    }

    /// A money amount or a range of them: `$1,200.00–$3,000.00`.
    package static func money(_ low: Rational, _ high: Rational?) -> String {
        guard let high, high != low else { return money(low) }
        return money(low) + "–" + money(high)
    }

    package static func count(_ low: Rational, _ high: Rational?) -> String {
        guard let high, high != low else { return count(low) }
        return count(low) + "–" + count(high)
    }

    /// A share such as a cache hit rate: `60%`.
    package static func percent(_ share: Rational) -> String {
        let scaled = share.multiplied(by: Rational(100)) ?? share
        return count(scaled) + "%"
    }
}
