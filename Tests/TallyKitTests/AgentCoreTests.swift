import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallySyntax

/// `agentcore NAME < … >`: AgentCore's meters as one declaration's lines.
@Suite struct AgentCoreTests {
    static let agent = "sessions 300k/month; session 60 seconds; active 30%; vcpu 1; memory 2 GB; records 20k"

    static func breakdown(_ properties: String) throws -> Breakdown {
        var session = try Session.standard().get()
        _ = session.run(SourceFile(name: "t.tally", text: "agentcore a < \(properties) >"))
        return try #require(session.environment.workloads.first?.1)
    }

    /// CPU bills only the active share; memory the whole session. 300,000
    /// one-minute sessions are 5,000 session-hours.
    @Test func cpuIsBilledOnlyWhileActive() throws {
        let b = try Self.breakdown(Self.agent)
        #expect(b.lines.map(\.label) == ["runtime CPU (active)", "runtime memory", "memory records (long-term, built-in)"])
        #expect(b.lines.map(\.quantity) == [Rational(1_500), Rational(10_000), Rational(20_000)])
        // 1,500 × $0.0895 + 10,000 × $0.00945 + 20,000 × $0.75/1000
        #expect(b.total == rational("243.75"))
    }

    @Test func aDiffNamesTheMetersThatChanged() throws {
        let before = try Self.breakdown(Self.agent)
        let after = try Self.breakdown(Self.agent.replacingOccurrences(of: "60 seconds", with: "90 seconds") + "; strategy self-managed")
        let changes = CostDiff.changes(before, after).map { "\($0.field): \($0.before) → \($0.after)" }
        #expect(changes == [
            "runtime CPU (active): 1,500 vCPU-hours → 2,250 vCPU-hours",
            "runtime memory: 10,000 GB-hours → 15,000 GB-hours",
            "memory records (long-term, built-in): 20,000 record-months → —",
            "memory records (long-term, self-managed): — → 20,000 record-months",
        ])
    }

    @Test func theDeclarationParsesAndTheWordStaysAName() {
        let (statements, diagnostics) = Parser.parse(SourceFile(name: "t", text: "agentcore a < tools 200 >"))
        #expect(diagnostics.isEmpty)
        guard case .workload("a", _, let properties, .agentcore)? = statements.first?.kind else {
            Issue.record("not an agentcore declaration")
            return
        }
        #expect(properties.map(\.name) == ["tools"])
    }
}
