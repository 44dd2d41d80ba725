// LiteLLM's JSON numbers as exact decimal text, and the JSON value the import reads them as.

/// Moves the decimal point of a number's text by whole digits: exact, with no
/// floating-point arithmetic.
enum ExactDecimal {
    /// At most this many digits before the point (a rate of a quadrillion
    /// dollars is not a rate) and after it, so Tally's 128-bit fractions hold it.
    static let maximumIntegerDigits = 15
    static let maximumFractionDigits = 20

    /// The shortest round-trip text of `value` (Swift's `description`, such as
    /// `3e-06`) times 10^`shift`, as plain decimal text: `3e-06`, 6 → `3`.
    /// Nil for a negative, non-finite or unwritably small or large value.
    static func text(of value: Double, timesPowerOfTen shift: Int) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return "0" }
        return text(value.description, timesPowerOfTen: shift)
    }

    /// `digits[.digits][e[±]digits]` times 10^`shift`, as plain decimal text
    /// without an exponent, leading zeros or trailing fraction zeros:
    /// `1.5e-05`, 6 → `15`; `3.5e-08`, 6 → `0.035`; `0.06`, 0 → `0.06`.
    /// Nil when the text is not of that form, or the result has more than
    /// `maximumIntegerDigits` or `maximumFractionDigits` digits.
    static func text(_ text: String, timesPowerOfTen shift: Int) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

        var digits: [UInt8] = []
        var fractionCount = 0
        while index < bytes.count, isDigit(bytes[index]) {
            digits.append(bytes[index])
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                digits.append(bytes[index])
                index += 1
            }
            fractionCount = index - start
            guard fractionCount > 0 else { return nil }
        }
        // The exponent, bounded so that no arithmetic on it can overflow.
        let exponentLimit = 100_000
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                guard exponent <= exponentLimit else { return nil }
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            guard index > start else { return nil }
            if negative { exponent = -exponent }
        }
        guard index == bytes.count, shift >= -exponentLimit, shift <= exponentLimit, digits.count <= exponentLimit else { return nil }

        // value = digits × 10^scale
        var scale = exponent - fractionCount + shift
        let leading = digits.firstIndex { $0 != UInt8(ascii: "0") }
        guard let first = leading else { return "0" }
        digits.removeFirst(first)
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            scale += 1
        }

        let integerDigits = digits.count + scale
        guard integerDigits <= maximumIntegerDigits, -scale <= maximumFractionDigits else { return nil }
        if scale >= 0 {
            return String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: scale)
        }
        let fractionDigits = -scale
        if digits.count > fractionDigits {
            let split = digits.count - fractionDigits
            return String(decoding: digits[..<split], as: UTF8.self) + "." + String(decoding: digits[split...], as: UTF8.self)
        }
        return "0." + String(repeating: "0", count: fractionDigits - digits.count) + String(decoding: digits, as: UTF8.self)
    }
}

/// A JSON value, as LiteLLM's file holds it. A number is kept as the Double
/// the decoder read; `ExactDecimal` takes its shortest text.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// A value the decoder could not read as any of the above, such as a
    /// number out of Double's range.
    case unreadable

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let o = try? container.decode([String: JSONValue].self) {
            self = .object(o)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .unreadable
        }
    }
}
