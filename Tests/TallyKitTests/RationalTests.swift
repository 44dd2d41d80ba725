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
