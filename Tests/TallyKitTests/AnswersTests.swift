import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// `advise`, `compare`, ranges, forecasts and charts, beyond the golden files.
@Suite struct AnswersTests {
    /// Every saving `advise` reports is the difference of two engine estimates:
    /// the workload as it is, and the workload `with` the change it names.
    @Test(arguments: ["Examples/support.tally", "Examples/small-team.tally", "Examples/assistant.tally",
                      "Examples/agent-automation.tally", "Tests/Fixtures/answers/advise.tally",
                      "Tests/Fixtures/answers/agentcore-advise.tally", "Tests/Fixtures/answers/data-automation-advise.tally"])
    func adviceSavingsAreDifferencesOfEstimates(_ relative: String) throws {
        var session = try Session.standard().get()
        let path = Repository.root + "/" + relative
        let outcome = session.run(SourceFile(name: path, text: Repository.read(path)))
        #expect(!outcome.hasErrors)
        let advice = try Advisor.advise(subject: "total", workloads: session.environment.workloads, catalog: session.environment.catalog)
        var checked = 0
        for rec in advice.recommendations {
            let before = try #require(try? evaluate(rec.workload, in: session))
            guard let change = rec.change else {
                #expect(rec.saving == before)
                continue
            }
            let after = try #require(try? evaluate("\(rec.workload) with < \(change) >", in: session), "\(rec.workload) with < \(change) >")
            #expect(rec.saving == before.subtracting(after), "\(rec.workload): \(change)")
            checked += 1
        }
        #expect(checked > 0)
    }

    func evaluate(_ text: String, in session: Session) throws -> Rational {
        guard case .success(let value) = session.evaluate(SourceFile(name: "<test>", text: text)),
              case .workload(_, let b) = value else { throw Diagnostics([]) }
        return b.total
    }

    @Test func rankedBySaving() throws {
        var session = try Session.standard().get()
        // Half of 2,500 tokens, 1,250, reaches the 1,024 Sonnet 4.5 caches (answers/advise works the savings).
        _ = session.run(SourceFile(name: "t", text: "workload chat < model sonnet-4.5; requests 10k/month; input 2500 tokens; output 500 tokens; endpoint regional >"))
        let advice = try Advisor.advise(subject: "chat", workloads: session.environment.workloads, catalog: session.environment.catalog)
        let savings = advice.recommendations.map(\.saving)
        #expect(savings == savings.sorted(by: >))
        #expect(advice.recommendations.map(\.kind) == ["model", "caching", "endpoint"])
    }

    /// Caching is advised only where the workload would then pass the warning's
    /// rule: half of 2,000 tokens, 1,000, is shorter than Sonnet 4.5 caches.
    @Test func cachingIsNotAdvisedBelowTheMinimumPrefix() throws {
        var session = try Session.standard().get()
        _ = session.run(SourceFile(name: "t", text: "workload chat < model sonnet-4.5; requests 10k/month; input 2000 tokens; output 500 tokens >"))
        let advice = try Advisor.advise(subject: "chat", workloads: session.environment.workloads, catalog: session.environment.catalog)
        #expect(!advice.recommendations.contains { $0.kind == "caching" })
        #expect(advice.notes == [.promptTooShort(workload: "chat", input: Rational(2000), minimum: Rational(1024), model: "sonnet-4.5")])
        // Taking it anyway is what the warning is for.
        let warned = session.run(SourceFile(name: "u", text: "workload c2 < model sonnet-4.5; requests 10k/month; input 2000 tokens; cache 50% >"))
        #expect(warned.diagnostics.map(\.message) == ["a cached prefix of 50% of 2,000 input tokens, 1,000 tokens, is shorter than the 1,024 tokens sonnet-4.5 caches: Bedrock bills it as input, so this estimate is low"])
    }

    @Test func batchIsOfferedOnlyWhereItIsPriced() throws {
        var session = try Session.standard().get()
        _ = session.run(SourceFile(name: "t", text: """
            workload a < model nova-pro; requests 100k/month >
            workload b < model sonnet-4.5; requests 100k/month >
            """))
        let advice = try Advisor.advise(subject: "total", workloads: session.environment.workloads, catalog: session.environment.catalog)
        let batch = advice.recommendations.filter { $0.kind == "batch" }
        #expect(batch.map(\.workload) == ["a"])
        // Nova Pro batch: 100,000 × (1,000 × $0.40 + 300 × $1.60) / 1M = $88.00, half of $176.00.
        #expect(batch.first?.saving == Rational(88))
    }

    @Test func forecastCompoundsExactly() throws {
        // $100 a month growing 10%: 100, 110, 121 → $331
        var session = try Session.standard().get()
        let outcome = session.run(SourceFile(name: "t", text: "forecast $100/month over 3 months growth 10%/month"))
        guard case .forecast(let f)? = outcome.shown.first?.report else {
            Issue.record("no forecast")
            return
        }
        #expect(f.months.map(\.cost) == [Rational(100), Rational(110), Rational(121)])
        #expect(f.total == Rational(331))
    }

    @Test func forecastLimits() {
        #expect(runSource("forecast $1/month over 1201 months").diagnostics.first?.message == "a forecast covers at most 1200 months")
        #expect(runSource("forecast $1/month over 1.5 months").diagnostics.first?.message.contains("whole number of months") == true)
        #expect(runSource("forecast $1/month over 2 months growth 8%").diagnostics.first?.message.contains("rate per time") == true)
        #expect(runSource("forecast 5 tokens over 2 months").diagnostics.first?.message.contains("cost per time") == true)
    }

    @Test func barsAreProportional() {
        #expect(ChartStyle.unicode.bar(Rational(1, 2)!, width: 8) == "████")
        #expect(ChartStyle.unicode.bar(Rational(1, 16)!, width: 8) == "▌")
        #expect(ChartStyle.ascii.bar(.one, width: 10) == "##########")
        #expect(ChartStyle.none.bar(.one, width: 10) == "")
    }

    @Test func chartsOnRequest() throws {
        let plain = try TallyBinary.run(["run", "Tests/Fixtures/pricing/chat.tally"])
        #expect(!plain.stdout.contains("#") && !plain.stdout.contains("█"))
        let ascii = try TallyBinary.run(["run", "--ascii", "Tests/Fixtures/pricing/chat.tally"])
        // output $410.63 of $536.55 is 76.5% of a 20-character bar: 15 #s.
        #expect(ascii.stdout.contains("$410.63  ###############\n"))
        let forecast = try TallyBinary.run(["run", "--ascii", "Tests/Fixtures/answers/forecast.tally"])
        #expect(forecast.stdout.contains("4  $191.66  ########################################\n"))
        let csv = try TallyBinary.run(["run", "--format", "csv", "Tests/Fixtures/answers/forecast.tally"])
        #expect(csv.stdout.contains(",w,month 4,4,month,,,191.664\n"))
        #expect(csv.stdout.contains(",w,total,4,months,,,668.304\n"))
        let json = try TallyBinary.run(["run", "--format", "json", "Tests/Fixtures/answers/forecast.tally"])
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let result = items?.first?["result"] as? [String: Any]
        #expect(result?["usd_total"] as? String == "668.304")
    }

    @Test func scenariosPassCheck() throws {
        for name in ["small-team", "assistant", "agent-automation"] {
            let r = try TallyBinary.run(["check", "Examples/\(name).tally"])
            #expect(r.status == 0, "\(name): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.hasSuffix("all 2 assertions hold\n"))
        }
    }
}

/// A range's high end does not depend on the order of properties: pricing a
/// workload inside another's property (`input(chat with < … >)`) once cleared
/// what the outer workload had seen, and `w2` passed an assert its high end
/// breaks.
@Suite struct RangeOrderTests {
    @Test func aNestedWorkloadKeepsTheOuterRange() {
        let script = """
            workload chat < model sonnet-4.5; requests 3000/day >
            workload w2 < model nova-micro; requests 1k..2k/day; input input(chat with < cache 10% >) >
            workload w3 < model nova-micro; input input(chat with < cache 10% >); requests 1k..2k/day >
            assert w2 < $3/month
            assert w3 < $3/month
            """
        let outcome = runSource(script)
        #expect(!outcome.hasErrors)
        // 1,000 input and 300 output tokens at $0.035 and $0.14 per million:
        // $0.000077 a request; 1k/day is 30,416⅔ a month: $2.34; 2k/day $4.68.
        #expect(outcome.assertions.map(\.passed) == [false, false])
        #expect(outcome.assertions.map { $0.actual ?? "" } == ["$2.34–$4.68/month", "$2.34–$4.68/month"])
    }
}
