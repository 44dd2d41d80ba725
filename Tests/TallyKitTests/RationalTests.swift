import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

@Suite struct RationalTests {
    @Test func decimalLiteralsAreExact() {
        let tenth = rational("0.1")
        let fifth = rational("0.2")
        #expect(tenth.adding(fifth) == rational("0.3"))
        #expect(rational("3_000") == Rational(3000))
        #expect(rational("0.035").description == "0.035")
    }

    @Test func reducesAndKeepsSignInNumerator() {
        let r = Rational(6, -8)
        #expect(r?.numerator == -3)
        #expect(r?.denominator == 4)
        #expect(Rational(1, 0) == nil)
    }

    @Test func overflowIsReportedNotTrapped() {
        let big = Rational(Int128.max / 2, 1)!
        #expect(big.multiplied(by: Rational(3)) == nil)
        #expect(big.adding(big)?.adding(big) == nil)
        #expect(Rational(decimalLiteral: "1000000000000000000000000000000000000000") == nil)
    }

    @Test func divisionByZeroIsNil() {
        #expect(Rational(5).divided(by: .zero) == nil)
    }

    @Test func comparesWithoutOverflow() {
        let a = Rational(Int128.max - 1, Int128.max)!
        let b = Rational(Int128.max - 2, Int128.max - 1)!
        #expect(b < a)
        #expect(!(a < b))
        #expect(Rational(-1, 3)! < Rational(1, 3)!)
    }

    @Test func roundsHalfAwayFromZero() {
        #expect(rational("16.425").decimalString(fractionDigits: 2) == "16.43")
        #expect(rational("-16.425").decimalString(fractionDigits: 2) == "-16.43")
        #expect(rational("2/3").decimalString(fractionDigits: 4) == "0.6667")
        #expect(rational("9.999").decimalString(fractionDigits: 2) == "10.00")
        #expect(rational("1234567.891").decimalString(fractionDigits: 2, groupThousands: true) == "1,234,567.89")
    }

    @Test func terminatingDecimalOnlyWhenExact() {
        #expect(rational("1/8").terminatingDecimal == "0.125")
        #expect(rational("1/3").terminatingDecimal == nil)
    }

    @Test func ceilingAndFloor() {
        #expect(rational("5.6").ceiling == 6)
        #expect(rational("5.6").floor == 5)
        #expect(rational("-5.6").ceiling == -5)
        #expect(rational("-5.6").floor == -6)
    }
}

/// `<` (256-bit cross products) and `decimalString` (digits written as bytes)
/// against slower references: continued fractions, and integer rounding.
@Suite struct RationalReferenceTests {
    /// Compares by continued-fraction steps: integer parts, then reciprocals.
    static func compare(_ a: Rational, _ b: Rational) -> Int {
        var (a, b, flip) = (a, b, 1)
        for _ in 0..<400 {
            if a.sign != b.sign { return (a.sign < b.sign ? -1 : 1) * flip }
            if a.sign < 0 { (a, b, flip) = (a.negated, b.negated, -flip); continue }
            let (qa, ra) = a.numerator.quotientAndRemainder(dividingBy: a.denominator)
            let (qb, rb) = b.numerator.quotientAndRemainder(dividingBy: b.denominator)
            if qa != qb { return (qa < qb ? -1 : 1) * flip }
            if ra == 0 || rb == 0 { return (ra == rb ? 0 : (ra == 0 ? -1 : 1)) * flip }
            (a, b) = (Rational(uncheckedNumerator: b.denominator, denominator: rb),
                      Rational(uncheckedNumerator: a.denominator, denominator: ra))
        }
        return 0
    }

    static func random(_ generator: inout Generator, _ i: Int) -> Rational {
        let bits = [8, 40, 63, 100, 126][i % 5]
        func draw() -> Int128 { Int128(truncatingIfNeeded: UInt128(generator.next()) << 64 | UInt128(generator.next())) >> (127 - bits) }
        let n = i % 7 == 0 ? -draw() : draw()
        return Rational(n, max(1, abs(draw()))) ?? .one
    }

    @Test func comparisonAgreesWithContinuedFractions() {
        var generator = Generator(state: 11)
        for i in 0..<20_000 {
            let a = Self.random(&generator, i)
            let b = i % 3 == 0 ? Self.random(&generator, i + 1) : Self.random(&generator, i)
            let expected = Self.compare(a, b)
            #expect((a < b) == (expected < 0), "\(a) < \(b)")
            #expect((b < a) == (expected > 0), "\(b) < \(a)")
        }
    }

    /// Rounded half away from zero: n·10^k / d by integer division, where it fits.
    @Test func decimalStringAgreesWithIntegerRounding() {
        var generator = Generator(state: 12)
        for i in 0..<20_000 {
            let digits = i % 7
            let n = Int128(generator.next() % 2_000_000_000) - 1_000_000_000
            let d = Int128(generator.next() % 1_000_000 + 1)
            guard let value = Rational(n, d) else { continue }
            var scale: Int128 = 1
            for _ in 0..<digits { scale *= 10 }
            let (q, r) = (n.magnitude * UInt128(scale)).quotientAndRemainder(dividingBy: d.magnitude)
            let rounded = q + (r * 2 >= d.magnitude ? 1 : 0)
            var text = String(rounded / UInt128(scale))
            if digits > 0 {
                let fraction = String(rounded % UInt128(scale))
                text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
            }
            if n < 0, rounded != 0 { text = "-" + text }
            #expect(value.decimalString(fractionDigits: digits) == text, "\(n)/\(d) to \(digits)")
        }
    }
}

@Suite struct GCDTests {
    static func euclid(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// The fast paths agree with Euclid's algorithm, small and large.
    @Test func agreesWithEuclid() {
        var generator = Generator(state: 5)
        for i in 0..<5_000 {
            let shift = UInt128(1) << (i % 3 == 0 ? 80 : 20)
            let common = UInt128(generator.next() % 1_000_000 + 1)
            let a = (UInt128(generator.next() % (1 << 20)) * shift + UInt128(generator.next())) * common
            let b = (UInt128(generator.next() % 1_000_000) * shift + UInt128(generator.next() % 999)) * common
            #expect(Rational.gcd(a, b) == Self.euclid(a, b))
        }
        #expect(Rational.gcd(0, 12) == 12)
        #expect(Rational.gcd(12, 0) == 12)
        #expect(Rational.gcd(UInt128(1) << 120, UInt128(1) << 100) == UInt128(1) << 100)
    }
}
