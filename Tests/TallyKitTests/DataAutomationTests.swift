import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallySyntax

/// `data-automation NAME < … >`: Bedrock Data Automation's pages, images and
/// minutes of media, standard or custom output, as one declaration's lines.
@Suite struct DataAutomationTests {
    static func breakdown(_ properties: String, month: String = "") throws -> Breakdown {
        var session = try Session.standard().get()
        let outcome = session.run(SourceFile(name: "t.tally", text: month + "data-automation d < \(properties) >"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message))")
        return try #require(session.environment.workloads.first?.1)
    }

    static func errors(_ properties: String) -> [String] {
        runSource("data-automation d < \(properties) >").diagnostics.map(\.message)
    }

    /// 200,000 custom pages with 40 fields: 200,000 × $0.040 plus
    /// 200,000 × 10 fields × $0.0005 = $8,000 + $1,000.
    @Test func fieldsBeyondThoseIncludedBillPerFieldPerPage() throws {
        let b = try Self.breakdown("documents 200k pages/month; output custom; fields 40")
        #expect(b.lines.map(\.label) == ["documents (custom output)", "documents: 10 fields beyond 30"])
        #expect(b.lines.map(\.quantity) == [Rational(200_000), Rational(2_000_000)])
        #expect(b.lines.map(\.amount) == [Rational(8_000), Rational(1_000)])
        #expect(b.total == Rational(9_000))
        // Thirty fields are included: no field line, the page rate alone.
        #expect(try Self.breakdown("documents 200k pages/month; output custom; fields 30").total == Rational(8_000))
    }

    /// Standard output, the default, at the standard rates; a knowledge base's
    /// parsing reads the same page rate ($0.010).
    @Test func standardOutputIsTheDefault() throws {
        let b = try Self.breakdown("documents 1k/month; images 1k/month")
        #expect(b.mode == "standard output")
        #expect(b.assumptionNotes.contains(.defaultOutput))
        // 1,000 × $0.010 + 1,000 × $0.003
        #expect(b.total == Rational(13))
        // 2 OCUs × 730 hours × $0.24 = $350.40, and 1,000 pages × $0.010.
        let kb = try evaluate("kb", after: "knowledge-base kb < parsing 1000 pages/month >").get().quantity
        #expect(kb?.per(Units.month) == rational("360.40"))
    }

    /// Minutes of media, billed per minute; in a 744-hour month, a minute an
    /// hour is 744 minutes: 744 × $0.05 = $37.20.
    @Test func mediaIsMinutesOverTime() throws {
        let b = try Self.breakdown("video 1 minute/hour", month: "month 744 hours\n")
        #expect(b.lines.first?.quantity == Rational(744))
        #expect(b.total == rational("37.20"))
        // 120 minutes a day × 365 / 12 days.
        #expect(try Self.breakdown("audio 2 hours/day").lines.first?.quantity == Rational(3_650))
        // A count per time, or a bare number, says no minutes: refused, not read as a ratio.
        #expect(Self.errors("audio 75k/month") == ["`audio` takes minutes of media per time, such as `75k minutes/month`, not 1/month"])
        #expect(Self.errors("video 1.5") == ["`video` takes minutes of media per time, such as `75k minutes/month`, not a plain number"])
        // A let holding minutes over a time is a plain number by then: the hint says where to write them.
        let viaLet = runSource("let m = 2k minutes/month\ndata-automation d < video m >").diagnostics
        #expect(viaLet.map(\.hints) == [["write the minutes over the time here, such as `video 75k minutes/month`"]])
    }

    @Test func fieldsBelongToCustomOutput() {
        let message = "data-automation `d` counts blueprint fields, but its output is standard"
        #expect(Self.errors("documents 1/day; fields 40") == [message])
        #expect(Self.errors("documents 1/day; output standard; fields 40") == [message])
        #expect(Self.errors("documents 1/day; output custom; fields 0") == ["`fields` is a whole number of blueprint fields, 1 to 100,000, such as `45`"])
    }

    @Test func aDiffNamesTheMetersThatChanged() throws {
        let before = try Self.breakdown("documents 200k pages/month; output custom; fields 40")
        let after = try Self.breakdown("documents 250k pages/month; output custom; fields 30; images 5k/month")
        let changes = CostDiff.changes(before, after).map { "\($0.field): \($0.before) → \($0.after)" }
        #expect(changes == [
            "documents (custom output): 200,000 pages → 250,000 pages",
            "documents: 10 fields beyond 30: 2,000,000 field-pages → —",
            "images (custom output): — → 5,000 images",
        ])
        let standard = try Self.breakdown("documents 200k pages/month")
        #expect(CostDiff.changes(before, standard).first.map { "\($0.field): \($0.before) → \($0.after)" } == "mode: custom output → standard output")
    }

    @Test func theDeclarationParsesAndTheWordStaysAName() {
        let (statements, diagnostics) = Parser.parse(SourceFile(name: "t", text: "data-automation d < documents 1/day >"))
        #expect(diagnostics.isEmpty)
        guard case .workload("d", _, let properties, .dataAutomation)? = statements.first?.kind else {
            Issue.record("not a data-automation declaration")
            return
        }
        #expect(properties.map(\.name) == ["documents"])
    }
}
