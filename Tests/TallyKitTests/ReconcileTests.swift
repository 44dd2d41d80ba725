import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities

/// The walk from a plan to what its records cost: one assumption at a time,
/// priced by the engine, the steps summing to the difference.
@Suite struct ReconcileTests {
    static func plan(_ text: String) throws -> [(Workload, Breakdown)] {
        let outcome = runSource(text)
        #expect(!outcome.hasErrors, "\(outcome.diagnostics.map(\.message))")
        return outcome.declaredWorkloads.compactMap { value in
            if case .workload(let w, let b) = value { return (w, b) }
            return nil
        }
    }

    static func measured(requests: Int, failed: Int = 0, input: Int = 0, cacheRead: Int = 0, cacheWrite: Int = 0, output: Int = 0,
                         usd: String) -> MeasuredUsage {
        var usage = MeasuredUsage()
        (usage.requests, usage.failed) = (Rational(requests), Rational(failed))
        (usage.input, usage.cacheRead, usage.cacheWrite, usage.output) = (Rational(input), Rational(cacheRead), Rational(cacheWrite), Rational(output))
        usage.usd = rational(usd)
        return usage
    }

    /// Nova Micro at $0.035 and $0.14 per 1M tokens. The plan: 1,000
    /// requests a day of 1,000 in and 300 out, $0.000077 each, 30,416⅔ a
    /// 730-hour month: $2.3420833…. The records, over 30 days: 60,000 calls
    /// of 1,200 in and 300 out, $5.04, which is $5.11 a 730-hour month.
    @Test func theWalkNamesTheAssumptionThatMoved() throws {
        let plan = try Self.plan("workload chat < model nova-micro; region us-east-1; requests 1000/day; input 1000 tokens; output 300 tokens >")
        let usage = Self.measured(requests: 60_000, input: 72_000_000, output: 18_000_000, usd: "5.04")
        let r = try Reconciler.reconcile(plan: plan, measured: [usage], unplanned: MeasuredUsage(), seconds: Rational(30 * 86_400))
        let row = try #require(r.rows.first)
        #expect(row.planned == Rational(5621, 2400))
        #expect(row.actual == rational("5.11"))
        // Doubling the requests doubles the plan: +$2.3420833…; 1,200 tokens in adds 30,416⅔ × 2 × 200 × $0.035/1M = $0.4258333….
        let impacts = Dictionary(uniqueKeysWithValues: row.steps.map { ($0.assumption, $0.impact) })
        #expect(impacts[.requests] == row.planned)
        #expect(impacts[.input] == Rational(511, 1200))
        #expect(impacts[.output] == .zero && impacts[.cacheRead] == .zero && impacts[.cacheWrite] == .zero && impacts[.retries] == .zero)
        #expect(impacts[.mix] == .zero)
        #expect(row.moved?.assumption == .requests)
        #expect(row.steps.first?.ratio == Rational(2))
        #expect(Rational.sum(row.steps.map(\.impact)).flatMap { $0.adding(row.planned) } == row.actual)
    }

    /// Cache shares that trade places, an agent's steps, planned retries and
    /// contingency: every step prices, and the steps add up to the difference.
    @Test func theStepsAlwaysSumToTheDifference() throws {
        let plan = try Self.plan("""
            workload bot < model haiku-4.5; region us-east-1; requests 500/day; input 4000 tokens; output 400 tokens
                cache 60% write 10%; agent 3 steps; retries 5%; contingency 1.2 >
            """)
        // 45,000 calls (15,000 requests of 3 steps) over 30 days; prompts 30% read, 50% written.
        let usage = Self.measured(requests: 45_000, failed: 900, input: 36_000_000, cacheRead: 54_000_000, cacheWrite: 90_000_000,
                                  output: 20_000_000, usd: "312.345")
        let r = try Reconciler.reconcile(plan: plan, measured: [usage], unplanned: MeasuredUsage(), seconds: Rational(30 * 86_400))
        let row = try #require(r.rows.first)
        #expect(row.steps.map(\.assumption) == [.requests, .input, .output, .cacheRead, .cacheWrite, .retries, .notLogged, .mix])
        #expect(Rational.sum(row.steps.map(\.impact)).flatMap { $0.adding(row.planned) } == row.actual)
        // 15,000 requests in 30 days is 15,208⅓ a 730-hour month; the plan had 15,208⅓ too.
        #expect(row.steps[0].ratio == .one)
        #expect(row.steps[3].actual == rational("0.3") && row.steps[4].actual == rational("0.5"))
        #expect(row.failedShare == Rational(900, 45_900))
        #expect(row.actual == rational("312.345").multiplied(by: Rational(730))?.divided(by: Rational(720)))
    }

    @Test func recordsNoWorkloadClaimedAreUnplanned() throws {
        let plan = try Self.plan("workload chat < model nova-micro; requests 1000/day >")
        let stray = Self.measured(requests: 720, usd: "7.2")
        let r = try Reconciler.reconcile(plan: plan, measured: [nil], unplanned: stray, seconds: Rational(720 * 3600))
        // A planned workload no record shows made no calls: its actual is $0.
        #expect(r.rows.first?.actual == .zero && r.rows.first?.steps.map(\.assumption) == [.requests])
        // $7.20 over 720 hours is $7.30 a 730-hour month.
        #expect(r.unplanned == rational("7.3") && r.unplannedRequests == Rational(730) && r.actualTotal == rational("7.3"))
    }
}
