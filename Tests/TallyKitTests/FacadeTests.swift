import Testing
import TallyKit

// This file uses Tally's public API only: Scripts/test type-checks it as a
// program outside the package would (no `package` declarations visible).

/// Embedding Tally through its facade: scripts, estimates and quotes.
@Suite struct FacadeTests {
    @Test func aSessionRunsAScriptAndEstimatesItsWorkloads() throws {
        var session = try Tally.Session()
        let run = session.run("""
            workload chat < model llama-3.3-70b; requests 1000/day; input 1000 tokens; output 300 tokens >
            show chat
            assert chat < $30/month
            """)
        #expect(run.problems.isEmpty)
        #expect(run.exitStatus == 0)
        let chat = try #require(run.estimates.first)
        #expect(chat.name == "chat" && chat.model == "llama-3.3-70b" && chat.region == "us-east-1")
        // 1,000 requests a day × 365/12 days × (1,300 tokens × $0.72/1M) = $28.47
        #expect(chat.monthly == Tally.Exact(2_847, 100))
        #expect(chat.perRequest == Tally.Exact(936, 1_000_000))
        #expect(chat.lines.map(\.label) == ["input", "output"])
        #expect(chat.lines[0].rate == "$0.72/1M tokens")
        #expect(run.assertions.count == 1 && run.assertions[0].passed && run.assertions[0].line == 3)
        #expect(run.shown.first?.source == "chat")
        // Declarations stay for the next run.
        let again = session.run("assert chat > $20/month")
        #expect(again.exitStatus == 0)
    }

    @Test func problemsCarryTheirPlace() throws {
        var session = try Tally.Session()
        let run = session.run("workload w < model nova-micro >\n", name: "plan.tally")
        #expect(run.exitStatus == 2)
        let problem = try #require(run.problems.first)
        #expect(problem.message == "workload `w` does not say how many requests it makes")
        #expect(problem.file == "plan.tally" && problem.line == 1 && problem.column == 10)
        #expect(session.run("import \"other.tally\"").problems.first?.message.hasPrefix("cannot import") == true)
    }

    @Test func aCatalogQuotesRequestsWithoutSource() throws {
        let catalog = try Tally.Catalog.builtin()
        #expect(catalog.models.contains("sonnet-4.5"))
        // 1,000 × $0.72 + 300 × $0.72 per 1M tokens
        let price = try catalog.quote(Tally.Request(model: "llama-3.3-70b", inputTokens: 1_000, outputTokens: 300))
        #expect(price == Tally.Exact(decimal: "0.000936"))
        #expect(price.decimal(fractionDigits: 6) == "0.000936")
        #expect(throws: Tally.Problem.self) {
            try catalog.quote(Tally.Request(model: "llama-3.3-70b", inputTokens: 100, outputTokens: 10, cacheReadTokens: 50))
        }
        do {
            _ = try catalog.quote(Tally.Request(model: "no-such-model", inputTokens: 1, outputTokens: 1))
            Issue.record("an unknown model was priced")
        } catch {
            #expect(error.message == "unknown model no-such-model")
        }
    }

    @Test func aQuoterPricesManyRequestsOfOneModel() throws {
        let catalog = try Tally.Catalog.builtin()
        let llama = try catalog.quoter(model: "llama-3.3-70b")
        // 1,000 × $0.72 + 300 × $0.72 per 1M tokens, and 2,000 × $0.72 per 1M.
        #expect(try llama.quote(inputTokens: 1_000, outputTokens: 300) == Tally.Exact(decimal: "0.000936"))
        #expect(try llama.quote(inputTokens: 2_000, outputTokens: 0) == Tally.Exact(decimal: "0.00144"))
        #expect(throws: Tally.Problem.self) { try catalog.quoter(model: "llama-3.3-70b", mode: "cheap") }
    }

    @Test func aQuoteEqualsTheScriptsEstimateOfOneRequest() throws {
        let catalog = try Tally.Catalog.builtin()
        let quote = try catalog.quote(Tally.Request(model: "sonnet-4.5", inputTokens: 10_000, outputTokens: 500,
                                                    cacheReadTokens: 6_000, cacheWriteTokens: 1_000, cacheOneHour: true))
        // Sonnet 4.5 (global), per 1M tokens: 3,000 uncached input × $3 + 6,000 cache reads × $0.30
        // + 1,000 one-hour cache writes × $6 + 500 output × $15 = $0.009 + $0.0018 + $0.006 + $0.0075 = $0.0243.
        #expect(quote == Tally.Exact(decimal: "0.0243"))
        #expect(throws: Tally.Problem.self) {
            try catalog.quote(Tally.Request(model: "sonnet-4.5", inputTokens: 100, outputTokens: 10, cacheReadTokens: 80, cacheWriteTokens: 40))
        }
        var session = try Tally.Session()
        let run = session.run("""
            workload one < model sonnet-4.5; requests 1/month; input 10000 tokens; output 500 tokens
              cache 60% write 10% ttl 1h >
            """)
        #expect(run.problems.isEmpty, "\(run.problems)")
        #expect(run.estimates.first?.monthly == quote)
    }

    @Test func aCatalogEstimatesAWorkloadGivenAsPlainValues() throws {
        let catalog = try Tally.Catalog.builtin()
        var chat = Tally.Workload(name: "chat", model: "llama-3.3-70b", requestsPerMonth: try #require(Tally.Exact(30_000)))
        chat.inputTokens = Tally.Exact(1_000)
        chat.outputTokens = Tally.Exact(300)
        chat.retries = Tally.Exact(percent: 10)
        chat.tags = ["team": "support"]
        let estimate = try catalog.estimate(chat)
        // 30,000 × 1,300 tokens × $0.72/1M = $28.08, plus 10% retries = $30.888
        #expect(estimate.monthly == Tally.Exact(decimal: "30.888"))
        #expect(estimate.lines.map(\.label) == ["input", "output", "retries"])
        #expect(estimate.tags == ["team": "support"])
        #expect(estimate.assumptions.contains("region us-east-1 (default)"))
        var session = try Tally.Session()
        let run = session.run("workload chat < model llama-3.3-70b; requests 30000/month; input 1000 tokens; output 300 tokens; retries 10%; tag team=support >")
        #expect(run.estimates.first?.monthly == estimate.monthly)
        chat.mode = "batch-ish"
        #expect(throws: Tally.Problem.self) { try catalog.estimate(chat) }
    }
}
