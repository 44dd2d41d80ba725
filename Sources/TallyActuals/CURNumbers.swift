import TallyQuantities
import TallyPricing

/// The numbers and dates of a Cost and Usage Report, read exactly.
package enum CURNumbers {
    /// `12.5`, `-0.0000031`, `1.2E-5`, `+3`: exactly, or nil when the text
    /// is no decimal or does not fit (no float is ever involved).
    package static func decimal(_ text: String) -> Rational? {
        var body = Substring(text)
        guard !body.isEmpty, body.utf8.count <= 64 else { return nil }
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var digits = body[body.index(after: e)...]
            var sign = 1
            if let first = digits.first, first == "-" || first == "+" {
                sign = first == "-" ? -1 : 1
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
            exponent = sign * n
            body = body[..<e]
        }
        // Digits and at most one point: no `_`, which the language's literals allow.
        guard !body.contains("_"), body.first != ".", body.last != ".", var value = Rational(decimalLiteral: body) else { return nil }
        if exponent != 0 {
            guard let scale = Rational(10).power(abs(exponent)),
                  let scaled = exponent > 0 ? value.multiplied(by: scale) : value.divided(by: scale) else { return nil }
            value = scaled
        }
        return negative ? value.negated : value
    }

    /// The day of `2026-11-01T00:00:00Z`, `2026-11-01 00:00:00` or `2026-11-01`.
    package static func day(_ text: String) -> CatalogDay? {
        guard text.utf8.count >= 10, text.utf8.count <= 40 else { return nil }
        let date = String(text.prefix(10))
        let rest = text.dropFirst(10)
        guard rest.isEmpty || rest.first == "T" || rest.first == " " else { return nil }
        return date.count == 10 ? CatalogDay(date) : nil
    }
}
