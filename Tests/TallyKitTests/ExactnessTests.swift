import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Every figure Tally reports is exact or an error at its source: never a
/// fallback to zero, to the first operand, or to a partial sum.
@Suite struct ExactnessTests {
    /// Input rates of $1/1M tokens over 3^40 and 7^22 tokens a request: each
    /// monthly total is 1/(10^6 · 3^40) or 1/(10^6 · 7^22), fine alone; their
    /// sum needs a denominator of 10^6 · 3^40 · 7^22 ≈ 4.8·10^43, past Int128.
    static let coprime = """
        price m < input $1/1M tokens; output $1/1M tokens; source "test" >
        workload a < model m; requests 1/month; input 1 tokens / 12157665459056928801; output 0 tokens; tag team=x >
        workload b < model m; requests 1/month; input 1 tokens / 3909821048582534449; output 0 tokens; tag team=x >

        """

    func firstError(_ outcome: Outcome) -> (line: Int, column: Int, message: String)? {
        outcome.diagnostics.first { $0.severity == .error }.map { ($0.span?.line ?? 0, $0.span?.column ?? 0, $0.message) }
    }

    @Test func eachWorkloadOfTheOverflowingPairIsExact() throws {
        guard case .workload(_, let a) = try evaluate("a", after: Self.coprime).get(),
              case .workload(_, let b) = try evaluate("b", after: Self.coprime).get() else {
            Issue.record("a and b are workloads")
            return
        }
        #expect(a.total == Rational(1, 1_000_000 * 12157665459056928801))
        #expect(b.total == Rational(1, 1_000_000 * 3909821048582534449))
        #expect(a.total.adding(b.total) == nil)
    }

    @Test func aSumOfWorkloadTotalsThatOverflowsIsAnErrorNotAPartialSum() {
        let outcome = runSource(Self.coprime + "show total\n")
        #expect(outcome.shown.isEmpty)
        let error = firstError(outcome)
        #expect(error?.line == 4 && error?.column == 6)
        #expect(error?.message == "the total of every workload cannot be computed exactly")
        // `total` in arithmetic, too.
        #expect(show("total in $/month", after: Self.coprime) == "error: the total of every workload cannot be computed exactly")
    }

    @Test func reportsOverTheOverflowingPairAreErrors() {
        for (statement, message) in [
            ("show total by tag team", "the total of every workload cannot be computed exactly"),
            ("advise total", "the total of every workload cannot be computed exactly"),
            ("compare a, b", "the comparison cannot be computed exactly"),
            ("forecast total over 12 months", "the total of every workload cannot be computed exactly"),
        ] {
            let outcome = runSource(Self.coprime + statement + "\n")
            #expect(outcome.shown.isEmpty, "\(statement)")
            #expect(firstError(outcome)?.line == 4, "\(statement)")
            #expect(firstError(outcome)?.message == message, "\(statement)")
        }
    }

    @Test func planTotalsAndAdviceThrowRatherThanDropATerm() throws {
        var session = try Session.standard().get()
        _ = session.run(SourceFile(name: "test.tally", text: Self.coprime))
        let breakdowns = session.environment.workloads.map(\.1)
        #expect(breakdowns.count == 2)
        #expect(throws: InexactFigure.self) { try PlanTotal(breakdowns) }
        #expect(throws: InexactFigure.self) { try Advisor.advise(subject: "total", workloads: session.environment.workloads, catalog: session.environment.catalog) }
    }

    /// $10^-31 per 1M tokens × 3 tokens × 1 request: $3·10^-37 a month. Per day
    /// that is 36/(365·10^37), a denominator past Int128: it used to fall back
    /// to the monthly figure, so `usd_per_day` equalled `usd_per_month`.
    static let tiny = """
        price my-model < input $0.0000000000000000000000000000001/1M tokens; output $0/1M tokens; source "test" >
        workload w < model my-model; requests 1/month; input 3 tokens; output 0 tokens >
        show w

        """

    @Test func aTinyRateWhosePerDayCannotBeHeldIsAnError() {
        let outcome = runSource(Self.tiny)
        #expect(outcome.shown.isEmpty)
        let error = firstError(outcome)
        #expect(error?.line == 2 && error?.column == 10)
        #expect(error?.message == "the cost of `w` per day, per request or per second cannot be held exactly")
    }

    @Test func aTinyRateThatCanBeHeldHasItsOwnPerDay() throws {
        let script = Self.tiny.replacingOccurrences(of: "$0.0000000000000000000000000000001/1M", with: "$0.000000000000000000000001/1M")
        guard case .workload(_, let b) = try evaluate("w", after: script).get() else {
            Issue.record("w is a workload")
            return
        }
        // 3 · 10^-24 / 10^6 = 3 · 10^-30 a month; × 12/365 a day.
        #expect(b.total == Rational(3, 1_000_000_000_000_000_000_000_000_000_000))
        #expect(b.perDay == Rational(36, 365 * 1_000_000_000_000_000_000_000_000_000_000))
        #expect(b.perDay != b.total)
        #expect(b.perRequest == b.total)
    }

    /// Per day is checked on its own: $2^124 a month has an exact per-second
    /// figure (2^119 / (3^2 · 5^3 · 73)) but 12 · 2^124 does not fit.
    @Test func perDayIsCheckedOnItsOwn() throws {
        guard case .workload(_, var b) = try evaluate("w", after: Self.tiny.replacingOccurrences(of: "$0.0000000000000000000000000000001/1M", with: "$1/1M")).get() else {
            Issue.record("w is a workload")
            return
        }
        b.total = Rational(Int128(1) << 124)
        #expect(b.total.divided(by: Units.month.factor) != nil)
        let huge = b.deriveFigures()
        #expect(!huge)
        b.total = Rational(Int128(1) << 120)
        let large = b.deriveFigures()
        #expect(large)
        #expect(b.perDay == Rational((Int128(1) << 120) * 12, 365))
        #expect(b.perSecond == Rational((Int128(1) << 120), 2_628_000))
    }

    @Test func aTinyRateExitsTwoOnTheCommandLine() throws {
        let path = NSTemporaryDirectory() + "tally-exact-\(UUID().uuidString).tally"
        try Self.tiny.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try TallyBinary.run(["run", "--format", "json", path])
        #expect(r.status == 2)
        #expect(!r.stdout.contains("usd_per_day"))
        #expect(r.stderr.contains(":2:10: error: the cost of `w` per day, per request or per second cannot be held exactly"))
    }

    @Test func aForecastWhoseCompoundingOverflowsIsAnError() {
        let outcome = runSource("workload w < model sonnet-4.5; requests 3000/day >\nforecast w over 1200 months growth 100%/month\n")
        #expect(outcome.shown.isEmpty)
        let error = firstError(outcome)
        #expect(error?.line == 2 && error?.column == 36)
        #expect(error?.message == "the forecast grows too large to compute exactly")
    }

    @Test func aForecastTotalIsTheSumOfItsMonths() throws {
        let months = [Forecast.Month(month: 1, cost: Rational(100), high: nil), Forecast.Month(month: 2, cost: Rational(108), high: Rational(120))]
        let forecast = try Forecast(subject: "w", growth: Rational(8, 100)!, months: months)
        #expect(forecast.total == Rational(208))
        #expect(forecast.highTotal == Rational(220))
        let huge = [Forecast.Month(month: 1, cost: Rational(1, 12157665459056928801)!, high: nil),
                    Forecast.Month(month: 2, cost: Rational(1, 3909821048582534449)!, high: nil),
                    Forecast.Month(month: 3, cost: Rational(1, 1_000_000_007)!, high: nil)]
        #expect(throws: InexactFigure.self) { try Forecast(subject: "w", growth: .zero, months: huge) }
    }

    @Test func aDiffOfPlansWhoseTotalsOverflowExitsTwo() throws {
        let directory = NSTemporaryDirectory() + "tally-exact-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = Self.coprime.split(separator: "\n").map(String.init)
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/old.tally", atomically: true, encoding: .utf8)
        try (lines.prefix(2).joined(separator: "\n") + "\n").write(toFile: directory + "/new.tally", atomically: true, encoding: .utf8)
        for format in ["text", "json", "markdown"] {
            let r = try TallyBinary.run(["diff", "--format", format, "old.tally", "new.tally"], directory: directory)
            #expect(r.status == 2, "\(format)")
            #expect(r.stdout == "", "\(format)")
            #expect(r.stderr == "tally: error: the cost totals of new.tally cannot be computed exactly\n", "\(format)")
        }
        // Each side alone diffs fine against itself.
        let same = try TallyBinary.run(["diff", "new.tally", "new.tally"], directory: directory)
        #expect(same.status == 0)
    }

    @Test func totalsAcrossFilesThatOverflowAreAnError() throws {
        var session = try Session.standard().get()
        _ = session.run(SourceFile(name: "test.tally", text: Self.coprime))
        let all = session.environment.workloads.map(\.1)
        let first = try CostDiff(file: "a", beforeLabel: "old", afterLabel: "new", before: [], after: [all[0]])
        let second = try CostDiff(file: "b", beforeLabel: "old", afterLabel: "new", before: [], after: [all[1]])
        #expect(first.afterTotal == all[0].total && first.change == all[0].total)
        #expect(throws: InexactFigure.self) { try CostDiff.Totals([first, second]) }
    }
}
