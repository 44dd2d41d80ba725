import Foundation
import Testing
@testable import TallyKit
@testable import TallyQuantities

/// What text tables show people: counts in whole units (their decimals with
/// `--exact`, and always in JSON and CSV), one in the singular, close
/// figures with the digits that tell them apart. The goldens
/// `newcomer/whole-counts`, `singular`, `show-name` and `check/close-figures`
/// show each as a user sees it.
@Suite struct DisplayTests {
    static let plan = "Tests/Fixtures/newcomer/whole-counts.tally"

    @Test func exactKeepsTheDecimals() throws {
        let rounded = try TallyBinary.run(["run", Self.plan])
        #expect(rounded.stdout.contains("304,167 requests/month") && rounded.stdout.contains("608,333,333  tokens"))
        let exact = try TallyBinary.run(["run", "--exact", Self.plan])
        #expect(exact.status == 0)
        #expect(exact.stdout.contains("304,166.67 requests/month") && exact.stdout.contains("608,333,333.33  tokens"))
        let eval = try TallyBinary.run(["eval", "--exact", "-f", Self.plan, "total"])
        #expect(eval.stdout.contains("304,166.67"))
        // The machine formats were exact all along.
        let json = try TallyBinary.run(["run", "--format", "json", Self.plan])
        #expect(json.stdout.contains("304166.66666666666666666667"))
        let csv = try TallyBinary.run(["run", "--format", "csv", Self.plan])
        #expect(csv.stdout.contains("608333333.33333333333333333333"))
    }

    @Test func wholeCountsRoundHalfAwayFromZeroAndNeverShowZero() {
        #expect(Format.wholeCount(Rational(uncheckedNumerator: 5, denominator: 2)) == "3")
        #expect(Format.wholeCount(Rational(uncheckedNumerator: -5, denominator: 2)) == "-3")
        #expect(Format.wholeCount(Rational(uncheckedNumerator: 1_234_567, denominator: 2)) == "617,284")
        #expect(Format.wholeCount(Rational(uncheckedNumerator: 1, denominator: 3)) == "0.333333")
        #expect(Format.wholeCount(Rational(uncheckedNumerator: 3, denominator: 2), Rational(uncheckedNumerator: 7, denominator: 2)) == "2–4")
    }

    @Test func closeFiguresAreToldApart() throws {
        let a = Quantity(Rational(uncheckedNumerator: 17508, denominator: 1000), .money)
        let b = Quantity(Rational(uncheckedNumerator: 1751, denominator: 100), .money)
        #expect(Format.quantity(a) == Format.quantity(b))
        let shown = try #require(Format.distinguished(a, b))
        #expect(shown.0 == "$17.508" && shown.1 == "$17.510")
        #expect(Format.distinguished(a, a) == nil)
    }
}
