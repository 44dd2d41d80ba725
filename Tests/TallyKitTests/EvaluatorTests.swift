import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

@Suite struct EvaluatorTests {
    @Test func exactMoney() {
        #expect(show("$0.1 + $0.2 == $0.3") == "true")
        #expect(show("$0.1 + $0.2") == "$0.30")
        #expect(show("$8k / 4") == "$2,000.00")
    }

    @Test func monthIs730Hours() {
        #expect(show("3000/day in 1/month") == "91,250/month")
        #expect(show("1 month in hours") == "730 hours")
        #expect(show("1 year in months") == "12 months")
        #expect(show("$730/month in $/hour") == "$1.00/hour")
    }

    @Test func unitsBindTighterThanDivision() {
        #expect(show("$3/1M tokens") == "$3.00/1M tokens")
        #expect(show("$3/1M tokens * 1000 tokens") == "$0.003")
        #expect(show("2k tokens + 500 tokens") == "2,500 tokens")
    }

    @Test func rateTimesQuantityCancelsUnits() {
        #expect(show("3000/day * 1 day") == "3,000")
        #expect(show("$15/1M tokens * 300 tokens * 3000/day") == "$13.50/day")
    }

    @Test func comparisonsAndLogic() {
        #expect(show("1 day < 25 hours and not (2 > 3)") == "true")
        #expect(show("$5 != $5 or false") == "false")
        #expect(show("min(3 tokens, 2 tokens, 5 tokens)") == "2 tokens")
        #expect(show("max($1, $4)") == "$4.00")
        #expect(show("abs(-$2)") == "$2.00")
    }

    @Test func dimensionMismatchNamesBothSides() {
        guard case .failure(let d) = evaluate("$5 + 3 tokens"), let error = d.all.first else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == "cannot add $ and tokens")
        #expect(error.kind == .dimension)
        #expect(error.labels.map(\.message) == ["$", "tokens"])
    }

    @Test func budgetWithoutPerTimeGetsAHint() {
        guard case .failure(let d) = evaluate("total < $8k") else {
            Issue.record("expected an error")
            return
        }
        #expect(d.all.first?.message == "cannot compare $/month with $")
        #expect(d.all.first?.hints == ["did you mean `$8k/month`?"])
    }

    @Test func divisionByZeroAndOverflowAreDiagnostics() {
        #expect(show("1/0") == "error: division by zero")
        #expect(show("(1/0 tokens)") == "error: division by zero")
        #expect(show("99999999999999999999 * 99999999999999999999") == "error: number too large: the result does not fit in Tally's exact arithmetic")
    }

    @Test func subtractionHintForDashedNames() {
        guard case .failure(let d) = evaluate("peak-1", after: "let peak = 5") else {
            Issue.record("expected an error")
            return
        }
        #expect(d.all.first?.hints == ["names may contain `-`, so write subtraction with spaces: `peak - 1`"])
    }

    @Test func workloadIsItsCostRateInArithmetic() {
        let script = "workload chat < model sonnet-4.5; requests 3000/day; cache 60%; input 1000 tokens; output 300 tokens >"
        #expect(show("chat in $/month", after: script) == "$536.55/month")
        #expect(show("chat * 2 in $/month", after: script) == "$1,073.10/month")
        #expect(show("chat < $600/month", after: script) == "true")
        #expect(show("total == chat", after: script) == "true")
        #expect(show("requests(chat)", after: script) == "91,250 requests/month")
        #expect(show("chat / requests(chat)", after: script) == "$0.00588/request")
    }

    @Test func withLeavesTheOriginalUnchanged() {
        let script = "workload chat < model sonnet-4.5; requests 3000/day; cache 60%; input 1000 tokens; output 300 tokens >\nlet cheap = chat with < model haiku-4.5 >"
        // haiku-4.5: 91,250 × (400 × $1 + 600 × $0.10 + 300 × $5) / 1M = 91,250 × 1,960 / 1M = $178.85
        #expect(show("cheap in $/month", after: script) == "$178.85/month")
        #expect(show("chat in $/month", after: script) == "$536.55/month")
    }

    @Test func failedDeclarationIsReportedOnce() {
        let outcome = runSource("let a = 1 + $1\nshow a\nlet b = a * 2\nshow b")
        #expect(outcome.diagnostics.count == 1)
        #expect(outcome.diagnostics.first?.span?.line == 1)
    }

    @Test func scriptsMayNotRedeclare() {
        let outcome = runSource("let a = 1\nlet a = 2")
        #expect(outcome.diagnostics.first?.message == "`a` is already declared")
        #expect(outcome.diagnostics.first?.labels.first?.span.line == 1)
    }

    @Test func transactionalRunLeavesSessionUntouched() throws {
        var session = try Session.standard().get()
        session.allowsRedefinition = true
        _ = session.run(SourceFile(name: "<1>", text: "let a = 5"), transactional: true)
        let failed = session.run(SourceFile(name: "<2>", text: "let a = 7\nlet b = nope"), transactional: true)
        #expect(failed.hasErrors)
        #expect(session.environment["a"] != nil)
        #expect(session.environment["b"] == nil)
        guard case .success(.quantity(let q)) = session.evaluate(SourceFile(name: "<3>", text: "a")) else {
            Issue.record("a is gone")
            return
        }
        #expect(q.value == Rational(5))
    }
}
