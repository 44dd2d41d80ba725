/// An exact rational number with 128-bit numerator and denominator.
///
/// Every value Tally computes is exact: money written as decimals stays decimal
/// under `+ - ×`, and conversions such as "per day in per month" (× 730/24)
/// stay exact fractions until they are printed. Operations report overflow
/// instead of trapping, so hostile input becomes a diagnostic.
package struct Rational: Hashable, Sendable {
    /// Always reduced; the denominator is always positive.
    package let numerator: Int128
    package let denominator: Int128

    package static let zero = Rational(uncheckedNumerator: 0, denominator: 1)
    package static let one = Rational(uncheckedNumerator: 1, denominator: 1)

    package init(uncheckedNumerator numerator: Int128, denominator: Int128) {
        self.numerator = numerator
        self.denominator = denominator
    }

    package init(_ value: Int) {
        self.init(uncheckedNumerator: Int128(value), denominator: 1)
    }

    package init(_ value: Int128) {
        self.init(uncheckedNumerator: value, denominator: 1)
    }

    /// `numerator / denominator`, reduced; nil when the denominator is zero or a
    /// value does not fit.
    package init?(_ numerator: Int128, _ denominator: Int128) {
        guard denominator != 0 else { return nil }
        guard numerator != .min, denominator != .min else { return nil }
        if denominator == 1 {
            self.init(uncheckedNumerator: numerator, denominator: 1)
            return
        }
        var n = numerator
        var d = denominator
        if d < 0 { n = -n; d = -d }
        let g = Rational.gcd(n.magnitude, d.magnitude)
        if g > 1 {
            n /= Int128(g)
            d /= Int128(g)
        }
        self.init(uncheckedNumerator: n, denominator: d)
    }

    /// Greatest common divisor. Values that fit in 64 bits (nearly all of
    /// them) use the processor's division; larger ones Stein's binary method,
    /// since 128-bit division is a slow library call.
    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        if a <= UInt128(UInt64.max) && b <= UInt128(UInt64.max) {
            var x = UInt64(truncatingIfNeeded: a)
            var y = UInt64(truncatingIfNeeded: b)
            while y != 0 { (x, y) = (y, x % y) }
            return UInt128(x)
        }
        if a == 0 { return b }
        if b == 0 { return a }
        var x = a
        var y = b
        let shift = (x | y).trailingZeroBitCount
        x >>= x.trailingZeroBitCount
        repeat {
            y >>= y.trailingZeroBitCount
            if x > y { swap(&x, &y) }
            y -= x
        } while y != 0
        return x << shift
    }

    package var isZero: Bool { numerator == 0 }
    package var isNegative: Bool { numerator < 0 }
    package var isInteger: Bool { denominator == 1 }
    package var sign: Int { numerator == 0 ? 0 : (numerator < 0 ? -1 : 1) }

    package var negated: Rational {
        Rational(uncheckedNumerator: -numerator, denominator: denominator)
    }

    package var magnitude: Rational {
        Rational(uncheckedNumerator: numerator < 0 ? -numerator : numerator, denominator: denominator)
    }

    package func adding(_ other: Rational) -> Rational? {
        if denominator == other.denominator {
            guard case let (n, false) = numerator.addingReportingOverflow(other.numerator) else { return nil }
            return Rational(n, denominator)
        }
        // a/b + c/d over lcm(b, d) keeps intermediate values small.
        let g = Int128(Rational.gcd(denominator.magnitude, other.denominator.magnitude))
        let bg = denominator / g
        let dg = other.denominator / g
        guard case let (left, false) = numerator.multipliedReportingOverflow(by: dg),
              case let (right, false) = other.numerator.multipliedReportingOverflow(by: bg),
              case let (sum, false) = left.addingReportingOverflow(right),
              case let (den, false) = denominator.multipliedReportingOverflow(by: dg)
        else { return nil }
        return Rational(sum, den)
    }

    /// The exact sum; nil when a partial sum cannot be held, never a partial result.
    package static func sum<S: Sequence<Rational>>(_ values: S) -> Rational? {
        var total = Rational.zero
        for value in values {
            guard let next = total.adding(value) else { return nil }
            total = next
        }
        return total
    }

    package func subtracting(_ other: Rational) -> Rational? {
        adding(other.negated)
    }

    package func multiplied(by other: Rational) -> Rational? {
        // Whole numbers, the usual case for token counts: no common factors to find.
        if denominator == 1 && other.denominator == 1 {
            guard case let (n, false) = numerator.multipliedReportingOverflow(by: other.numerator), n != .min else { return nil }
            return Rational(uncheckedNumerator: n, denominator: 1)
        }
        // Cross-reduce first so that products of already-reduced values overflow late.
        let g1 = Int128(Rational.gcd(numerator.magnitude, other.denominator.magnitude))
        let g2 = Int128(Rational.gcd(other.numerator.magnitude, denominator.magnitude))
        let n1 = g1 == 0 ? numerator : numerator / g1
        let d2 = g1 == 0 ? other.denominator : other.denominator / g1
        let n2 = g2 == 0 ? other.numerator : other.numerator / g2
        let d1 = g2 == 0 ? denominator : denominator / g2
        guard case let (n, false) = n1.multipliedReportingOverflow(by: n2),
              case let (d, false) = d1.multipliedReportingOverflow(by: d2)
        else { return nil }
        return Rational(n, d)
    }

    /// nil on division by zero as well as on overflow; callers check `isZero` first
    /// when they need to tell the two apart.
    package func divided(by other: Rational) -> Rational? {
        guard !other.isZero else { return nil }
        return multiplied(by: Rational(uncheckedNumerator: other.denominator, denominator: other.numerator).normalizedSign)
    }

    private var normalizedSign: Rational {
        denominator < 0 ? Rational(uncheckedNumerator: -numerator, denominator: -denominator) : self
    }

    /// Integer power with a small exponent.
    package func power(_ exponent: Int) -> Rational? {
        var result = Rational.one
        let base = exponent < 0 ? (Rational.one.divided(by: self)) : self
        guard let base else { return nil }
        for _ in 0..<exponent.magnitude {
            guard let next = result.multiplied(by: base) else { return nil }
            result = next
        }
        return result
    }

    /// The value rounded half away from zero to `fractionDigits` decimal places.
    package func rounded(fractionDigits: Int) -> Rational? {
        guard let scale = Rational(10).power(fractionDigits), let scaled = multiplied(by: scale) else { return nil }
        let (q, r) = scaled.numerator.quotientAndRemainder(dividingBy: scaled.denominator)
        let twice = r.magnitude.multipliedReportingOverflow(by: 2)
        let roundAway = twice.overflow || twice.partialValue >= scaled.denominator.magnitude
        let integer = roundAway ? (scaled.numerator < 0 ? q - 1 : q + 1) : q
        return Rational(integer, 1).flatMap { $0.divided(by: scale) }
    }

    /// The smallest integer not below the value.
    package var ceiling: Int128 {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return r > 0 ? q + 1 : q
    }

    /// The largest integer not above the value.
    package var floor: Int128 {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return r < 0 ? q - 1 : q
    }
}

extension Rational: Comparable {
    /// a/b < c/d exactly: denominators are positive, so compare a·d with c·b,
    /// each product held in 256 bits.
    package static func < (lhs: Rational, rhs: Rational) -> Bool {
        if lhs.denominator == rhs.denominator { return lhs.numerator < rhs.numerator }
        // Both in 64 bits, the usual case: each product fits in 128.
        if let a = Int64(exactly: lhs.numerator), let b = Int64(exactly: lhs.denominator),
           let c = Int64(exactly: rhs.numerator), let d = Int64(exactly: rhs.denominator) {
            return Int128(a) * Int128(d) < Int128(c) * Int128(b)
        }
        let left = lhs.numerator.multipliedFullWidth(by: rhs.denominator)
        let right = rhs.numerator.multipliedFullWidth(by: lhs.denominator)
        return left.high < right.high || (left.high == right.high && left.low < right.low)
    }
}

extension Rational {
    /// Parses a plain decimal literal such as `3000`, `3_000`, `0.035`; nil when
    /// it does not fit.
    package init?(decimalLiteral text: Substring) {
        var numerator: Int128 = 0
        var denominator: Int128 = 1
        var seenPoint = false
        var sawDigit = false
        for character in text.utf8 {
            switch character {
            case UInt8(ascii: "_"):
                continue
            case UInt8(ascii: "."):
                guard !seenPoint else { return nil }
                seenPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                guard case let (times10, false) = numerator.multipliedReportingOverflow(by: 10),
                      case let (next, false) = times10.addingReportingOverflow(Int128(character - UInt8(ascii: "0")))
                else { return nil }
                numerator = next
                if seenPoint {
                    guard case let (d, false) = denominator.multipliedReportingOverflow(by: 10) else { return nil }
                    denominator = d
                }
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        self.init(numerator, denominator)
    }

    /// The exact decimal expansion when there is one, else nil.
    package var terminatingDecimal: String? {
        var d = denominator
        var twos = 0
        var fives = 0
        while d % 2 == 0 { d /= 2; twos += 1 }
        while d % 5 == 0 { d /= 5; fives += 1 }
        guard d == 1 else { return nil }
        return decimalString(fractionDigits: max(twos, fives), trimTrailingZeros: true)
    }

    /// The value rounded half away from zero to `fractionDigits` places.
    package func decimalString(fractionDigits: Int, trimTrailingZeros: Bool = false, groupThousands: Bool = false) -> String {
        decimalText(prefix: "", fractionDigits: fractionDigits, keepFractionDigits: trimTrailingZeros ? 0 : fractionDigits,
                    groupThousands: groupThousands)
    }

    /// `-` when the value is negative and a digit shown is not zero, then
    /// `prefix`, then the magnitude as `appendMagnitude` writes it; built in
    /// a buffer on the stack, the one allocation the String's own.
    package func decimalText(prefix: StaticString, fractionDigits: Int, keepFractionDigits: Int, groupThousands: Bool) -> String {
        let capacity = 1 + prefix.utf8CodeUnitCount + 52 + max(0, fractionDigits)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var count = 1
            for k in 0..<prefix.utf8CodeUnitCount { buffer[count] = prefix.utf8Start[k]; count += 1 }
            let nonzero = writeMagnitude(into: buffer, at: &count, fractionDigits: fractionDigits,
                                         keepFractionDigits: keepFractionDigits, groupThousands: groupThousands)
            let negative = isNegative && nonzero
            if negative { buffer[0] = UInt8(ascii: "-") }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[(negative ? 0 : 1)..<count]), as: UTF8.self)
        }
    }

    /// Writes the magnitude rounded half away from zero to `fractionDigits`
    /// places, as ASCII, into `buffer` from `at` (which it advances; room for
    /// 52 bytes and the fraction): the integer part (grouped by thousands
    /// when asked), then the fraction with trailing zeros dropped down to
    /// `keepFractionDigits`. Returns whether any digit shown is not zero.
    /// Works digit by digit, so no power of ten can overflow.
    func writeMagnitude(into buffer: UnsafeMutableBufferPointer<UInt8>, at position: inout Int, fractionDigits: Int,
                        keepFractionDigits: Int, groupThousands: Bool) -> Bool {
        let count = max(0, fractionDigits)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 1) { fraction in
            let n = numerator.magnitude
            let d = denominator.magnitude
            var integerPart = n / d
            var remainder = n % d
            // Ten times the remainder fits in 64 bits, the usual case: no 128-bit division.
            if d <= UInt128(UInt64.max / 10) {
                let small = UInt64(d)
                var rest = UInt64(remainder)
                for index in 0..<count {
                    rest *= 10
                    fraction[index] = UInt8(rest / small)
                    rest %= small
                }
                remainder = UInt128(rest)
            } else {
                for index in 0..<count {
                    // remainder < d, and d <= Int128.max, so remainder * 10 may need care.
                    let (r10, overflow) = remainder.multipliedReportingOverflow(by: 10)
                    if overflow {
                        // Long division by halves: remainder*10 = remainder*8 + remainder*2.
                        var q: UInt8 = 0
                        var acc: UInt128 = 0
                        for _ in 0..<10 {
                            if acc >= d - remainder { acc = acc - (d - remainder); q += 1 } else { acc += remainder }
                        }
                        fraction[index] = q
                        remainder = acc
                    } else {
                        fraction[index] = UInt8(r10 / d)
                        remainder = r10 % d
                    }
                }
            }
            // Round half away from zero: compare 2 × remainder with d.
            if remainder != 0 && remainder >= d - remainder {
                var index = count - 1
                var carry = true
                while carry && index >= 0 {
                    if fraction[index] == 9 { fraction[index] = 0; index -= 1 } else { fraction[index] += 1; carry = false }
                }
                if carry { integerPart += 1 }
            }
            var shown = count
            while shown > max(0, keepFractionDigits), fraction[shown - 1] == 0 { shown -= 1 }
            var nonzero = integerPart != 0
            // The integer part's digits, least significant first (at most 39).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { integer in
                var digits = 0
                if integerPart <= UInt128(UInt64.max) {
                    var small = UInt64(integerPart)
                    repeat { integer[digits] = UInt8(small % 10); digits += 1; small /= 10 } while small > 0
                } else {
                    var rest = integerPart
                    repeat { integer[digits] = UInt8(rest % 10); digits += 1; rest /= 10 } while rest > 0
                }
                for index in stride(from: digits - 1, through: 0, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + integer[index]
                    position += 1
                    if groupThousands, index > 0, index % 3 == 0 { buffer[position] = UInt8(ascii: ","); position += 1 }
                }
            }
            if shown > 0 {
                buffer[position] = UInt8(ascii: ".")
                position += 1
                for index in 0..<shown {
                    nonzero = nonzero || fraction[index] != 0
                    buffer[position] = UInt8(ascii: "0") + fraction[index]
                    position += 1
                }
            }
            return nonzero
        }
    }
}

extension Rational: CustomStringConvertible {
    package var description: String {
        terminatingDecimal ?? "\(numerator)/\(denominator)"
    }
}
