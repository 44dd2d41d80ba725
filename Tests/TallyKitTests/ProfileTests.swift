import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallySyntax

/// Application inference profiles: declared once by ARN, then a model.
@Suite struct ProfileTests {
    static let arn = "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/ab12"

    @Test func onlyApplicationProfileARNsAreRead() {
        #expect(InferenceProfile.region(ofARN: Self.arn) == "eu-central-1")
        #expect(InferenceProfile.region(ofARN: "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/x1") == "us-gov-west-1")
        for bad in ["arn:aws:bedrock:eu-west-1:12345678901:application-inference-profile/ab12",   // 11-digit account
                    "arn:aws:s3:eu-west-1:123456789012:application-inference-profile/ab12",
                    "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/us.anthropic.claude",
                    "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/",
                    "arn:aws:bedrock:EU-WEST-1:123456789012:application-inference-profile/ab12",
                    "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a:b", ""] {
            #expect(InferenceProfile.region(ofARN: bad) == nil, "\(bad)")
        }
    }

    static func breakdown(_ source: String, _ name: String) -> (Workload, Breakdown)? {
        for case .workload(let w, let b) in runSource(source).declaredWorkloads where w.name == name { return (w, b) }
        return nil
    }

    @Test func aWorkloadNamingTheProfileGetsItsModelRegionAndTags() throws {
        let script = """
            profile "\(Self.arn)" < model nova-pro; tag team=search app=docs >
            workload a < tag app=qa; model "\(Self.arn)"; requests 1000/day >
            workload b < model "\(Self.arn)"; region us-east-1; requests 1000/day >
            """
        let (a, ab) = try #require(Self.breakdown(script, "a"))
        #expect(ab.model == "nova-pro" && ab.region == "eu-central-1")
        #expect(a.profile == Self.arn)
        // Its own tag wins whether written before or after `model`.
        #expect(a.tags.map { "\($0.key)=\($0.value)" }.sorted() == ["app=qa", "team=search"])
        let (_, bb) = try #require(Self.breakdown(script, "b"))
        #expect(bb.region == "us-east-1")
    }

    @Test func anUndeclaredProfileIsAnUnknownModel() {
        let outcome = runSource("workload a < model \"\(Self.arn)\"; requests 1/day >")
        #expect(outcome.diagnostics.first?.message == "unknown model `\(Self.arn)`")
    }

    @Test func aProfileIsDeclaredOnce() {
        let outcome = runSource("""
            profile "\(Self.arn)" < model nova-micro >
            profile "\(Self.arn)" < model nova-lite >
            """)
        #expect(outcome.diagnostics.first?.message == "profile \"\(Self.arn)\" is already declared, for nova-micro")
    }
}

/// `cost NAME < $700/month >`: a fixed cost, its amount written bare.
@Suite struct FixedCostTests {
    @Test func theAmountIsAPropertyWrittenBare() {
        let (statements, diagnostics) = Parser.parse(SourceFile(name: "t", text: "cost db < $1k..$2k/month * 2; tag team=x >\nlet cost = 5\nshow cost"))
        #expect(diagnostics.isEmpty)
        guard case .workload("db", _, let properties, .cost)? = statements.first?.kind else {
            Issue.record("not a cost")
            return
        }
        #expect(properties.map(\.name) == ["amount", "tag"])
        #expect(properties[0].span.text == "$1k..$2k/month * 2")
        guard case .let("cost", _, _)? = statements.dropFirst().first?.kind else {
            Issue.record("`cost` is a name outside a declaration")
            return
        }
    }

    @Test func aCostJoinsTheTotal() throws {
        let outcome = runSource("cost db < $730/month >\nworkload w < model llama-3.3-70b; requests 1000/month; input 1000 tokens; output 0 tokens >\nassert total == $730.72/month")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message))")
        #expect(outcome.assertions.first?.passed == true)
        // A month is 730 hours: $730 a month is $1 an hour.
        let hourly = try evaluate("db in $/hour", after: "cost db < $730/month >").get()
        #expect(hourly.quantity?.value == Rational(1, 3600))
    }
}

/// `cost`, `guardrail`, `agentcore`, `data-automation` and `profile` declare only where a declaration can
/// start: elsewhere they are names.
@Suite struct ContextualDeclarationTests {
    @Test func theWordsAreNamesOutsideADeclaration() {
        let outcome = runSource("let cost = 1\nlet guardrail = 2\nlet profile = 3\nlet agentcore = 4\nlet data-automation = 5\n"
                                + "assert cost + guardrail + profile + agentcore + data-automation == 15\nassert cost < 2")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message))")
        #expect(outcome.assertions.count == 2 && outcome.assertions.allSatisfy(\.passed))
    }
}

/// A one-off cost: paid in its forecast month, in no monthly total.
@Suite struct OneOffCostTests {
    @Test func aOneOffIsAnAmountNotARate() throws {
        let script = "cost db < $700/month >\ncost migration < $12k; month 2 >"
        #expect(try evaluate("total", after: script).get().quantity?.per(Units.month) == Rational(700))
        #expect(try evaluate("migration", after: script).get().quantity?.dimension == .money)
        // Adding it to a monthly figure is a dimension error, not a silent sum.
        guard case .failure(let errors) = evaluate("migration + total", after: script) else {
            Issue.record("a one-off added to a monthly total")
            return
        }
        #expect(errors.all.first?.message == "cannot add $ and $/month")
    }
}

/// An unclosed `<` ends before a contextual declaration, as before a keyword.
@Suite struct ContextualRecoveryTests {
    @Test func anUnclosedBlockStopsAtCostGuardrailAgentcoreAndProfile() {
        for next in ["cost b < $5/month >", "guardrail b < requests 1/day; guardrails pii; guardrail-text 10 characters >",
                     "data-automation b < documents 1/day >",
                     "profile \"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/b1\" < model nova-micro >"] {
            let outcome = runSource("workload a < model nova-micro; requests 1/day\n" + next)
            #expect(outcome.diagnostics.count == 1, "\(next): \(outcome.diagnostics.map(\.message))")
            #expect(outcome.diagnostics.first?.message.hasPrefix("unclosed `<`") == true, "\(next)")
        }
        // `month` inside a block is a property (a one-off cost's month), not a new statement.
        #expect(runSource("cost m < $1k\nmonth 2 >").diagnostics.isEmpty)
    }
}
