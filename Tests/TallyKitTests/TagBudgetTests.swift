import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallySyntax

/// Per-tag budgets (`assert total by tag team < …`, `assert cost(total,
/// team=search) < …`) in every `check` format: each group is named.
/// Tests/Fixtures/check/tag-budgets.tally's text report is a GoldenTests
/// fixture; its other formats are golden here.
@Suite struct TagBudgetTests {
    static let fixture = "Tests/Fixtures/check/tag-budgets.tally"

    @Test(arguments: [CheckFormat.json, .github, .junit, .markdown])
    func everyFormatNamesTheGroup(_ format: CheckFormat) throws {
        let output = Commands.check(paths: [Self.fixture], format: format)
        #expect(output.status == 1)
        try matchGolden("exit: \(output.status)\n--- stdout\n\(output.stdout)--- stderr\n\(output.stderr)",
                        at: "Tests/Fixtures/check/formats/tag-budgets.\(format.rawValue).expected")
    }

    /// Each group's figure is the sum of its workloads, and `cost(…)` of one
    /// group equals that group's line of `show total by tag`.
    @Test func aGroupCostsWhatItsWorkloadsCost() throws {
        var session = try Session.standard().get()
        let outcome = session.run(SourceFile(name: "t.tally", text: Repository.read(Self.fixture)))
        #expect(outcome.diagnostics.filter { $0.severity == .error }.isEmpty)
        let grouped = outcome.assertions.filter { $0.group != nil }
        #expect(grouped.map { $0.group?.value } == ["search", "support", nil])
        func cost(_ expression: String) -> String {
            Commands.eval(files: [Self.fixture], expression: expression).stdout
        }
        #expect(cost("cost(total, team=search) == search-chat") == "true\n")
        #expect(cost("cost(total, team=support) + cost(search-chat) == total - nightly") == "true\n")
        #expect(grouped.map { $0.actual.map { $0 + "\n" } } == ["search-chat", "support-bot", "nightly"].map { cost("cost(\($0))") })
    }

    @Test func aGroupNoWorkloadHasIsAnError() {
        let output = Commands.eval(files: [Self.fixture], expression: "cost(total, team=serch)")
        #expect(output.status == 2)
        #expect(output.stderr.contains("error: no workload of `total` has the tag team=serch"))
        #expect(output.stderr.contains("did you mean `search`?"))
    }
}
