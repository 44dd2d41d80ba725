import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// One workload schema behind the builder, its diagnostics, `:help
/// properties`, Tab completion and the README's tables.
/// `TALLY_UPDATE_README=1 Scripts/test --filter PropertySchemaTests` rewrites
/// the README's generated tables.
@Suite struct PropertySchemaTests {
    typealias Block = WorkloadSchema.Block

    static let keyword: [Block: String] = [
        .workload: "workload", .knowledgeBase: "knowledge-base", .customization: "customization", .price: "price",
        .profile: "profile", .cost: "cost", .guardrail: "guardrail", .agentcore: "agentcore",
        .dataAutomation: "data-automation", .usage: "usage",
    ]
    /// What each block needs besides the property under test.
    static let context: [Block: String] = [
        .workload: "model nova-micro; requests 1/day; ", .knowledgeBase: "", .customization: "model cohere-command; ", .price: "",
        .profile: "model nova-micro; ", .cost: "$1/month; ", .guardrail: "", .agentcore: "", .dataAutomation: "",
        .usage: "logs \"Tests/Fixtures/usage/logs\"; ",
    ]

    /// A form made concrete: optional parts kept, the first of alternatives.
    static func concrete(_ form: String) -> String {
        form.filter { $0 != "[" && $0 != "]" }.split(separator: " ")
            .map { word in word.split(separator: "|").first.map(String.init) ?? "" }
            .joined(separator: " ")
    }

    static func diagnostics(_ source: String) -> [Diagnostic] {
        runSource(source).diagnostics
    }

    @Test func everyBlockHasUniqueNames() {
        for block in Block.allCases {
            let names = WorkloadSchema.names(for: block)
            #expect(!names.isEmpty)
            #expect(Set(names).count == names.count, "\(block): \(names)")
        }
    }

    /// Each property's form, as written, is accepted by the builder of every
    /// block the schema lists it for: no name, syntax or dimension error.
    @Test func everyFormIsAcceptedWhereTheSchemaSaysSo() {
        for entry in WorkloadSchema.workloadEntries + WorkloadSchema.priceEntries {
            for block in entry.blocks {
                let name = switch block {
                case .price: "schema-test"
                case .profile: "\"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/t1\""
                default: "w"
                }
                let source = "\(Self.keyword[block]!) \(name) < \(Self.context[block]!)\(Self.concrete(entry.form)) >"
                // A `usage` form's own example names logs that are not there: reading them is the next step.
                let wrong = Self.diagnostics(source).filter { $0.kind != .pricing && !(block == .usage && $0.kind == .io) }
                #expect(wrong.isEmpty, "\(source): \(wrong.map(\.message))")
            }
        }
        for group in WorkloadSchema.rateGroups {
            let value = group.form.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
            #expect(!group.names.isEmpty)
            for name in group.names {
                let source = "price schema-test < \(name) \(value) >"
                #expect(Self.diagnostics(source).isEmpty, "\(source): \(Self.diagnostics(source).map(\.message))")
            }
        }
    }

    @Test func everyRateNameIsInAGroup() {
        let grouped = Set(WorkloadSchema.rateGroups.flatMap(\.names))
        #expect(grouped == Set(RateKind.knownNames))
    }

    /// Elsewhere, the same name gets the existing diagnostic, which lists the
    /// block's properties from the schema (a name with a meaning in another
    /// block, such as a data-automation block's `images`, is accepted there).
    @Test func everyNameIsRejectedWhereTheSchemaSaysNot() throws {
        for entry in WorkloadSchema.workloadEntries {
            let property = try #require(WorkloadProperty(rawValue: entry.name))
            for block in [Block.workload, .knowledgeBase, .customization, .cost, .guardrail, .agentcore, .dataAutomation, .profile, .usage]
            where !WorkloadSchema.accepts(property, in: block) {
                let name = block == .profile ? "\"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/t1\"" : "w"
                let source = "\(Self.keyword[block]!) \(name) < \(entry.name) >"
                let found = Self.diagnostics(source)
                #expect(found.count == 1, "\(source)")
                let article = block == .agentcore ? "an" : "a"
                #expect(found.first?.message == "`\(entry.name)` does not apply to \(article) \(block.rawValue)", "\(source)")
                #expect(found.first?.hints == ["its properties are \(WorkloadSchema.names(for: block).joined(separator: ", "))"])
            }
        }
    }

    @Test func unknownNamesAreSuggestedFromTheSchema() {
        let workload = Self.diagnostics("workload w < model nova-micro; reqests 1/day >")
        #expect(workload.first?.message == "unknown property `reqests`")
        #expect(workload.first?.hints == ["did you mean `requests`?"])
        let knowledgeBase = Self.diagnostics("knowledge-base kb < retrevals 1/day >")
        #expect(knowledgeBase.first?.hints == ["did you mean `retrievals`?"])
        let price = Self.diagnostics("price m < cache-minimun 1024 tokens >")
        #expect(price.first?.message == "unknown price property `cache-minimun`")
        #expect(price.first?.hints == ["did you mean `cache-minimum`?"])
        let far = Self.diagnostics("customization c < zzzzzzzz 1 >")
        #expect(far.first?.hints == ["properties are \(WorkloadSchema.names(for: .customization).joined(separator: ", "))"])
    }

    @Test func helpPrintsEveryPropertyAligned() {
        let text = Repl.help("properties")
        let lines = text.split(separator: "\n").map(String.init)
        for block in Block.allCases {
            #expect(lines.contains("\(block.rawValue):"))
        }
        let rows = WorkloadSchema.workloadEntries + WorkloadSchema.priceEntries
        let formColumn = lines.compactMap { line -> Int? in
            // A name may have a row per meaning (a data-automation block's `images`): match its form too.
            guard let entry = rows.first(where: { line.hasPrefix("  \($0.name) ") && line.contains("  \($0.form)  ") }) else { return nil }
            let rest = line.dropFirst(2 + entry.name.count)
            guard let form = rest.range(of: "  \(entry.form)  ") else { return nil }
            return line.distance(from: line.startIndex, to: form.lowerBound)
        }
        // A row per block a property is in.
        #expect(formColumn.count == rows.map(\.blocks.count).reduce(0, +))
        #expect(Set(formColumn).count == 1, "form column starts at \(Set(formColumn))")
        for entry in rows {
            #expect(lines.contains { $0.hasPrefix("  \(entry.name) ") && $0.hasSuffix("  \(entry.description)") }, "\(entry.name)")
        }
        for name in RateKind.knownNames {
            #expect(text.contains(name), "\(name)")
        }
    }

    @Test func completionOffersTheBlocksNames() {
        guard let session = try? Session.standard().get() else {
            Issue.record("no session")
            return
        }
        for block in Block.allCases {
            let line = "\(Self.keyword[block]!) \(block == .profile ? "\"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/t1\"" : "x") < "
            let offered = Completion.complete(line: line, cursor: line.count, pending: [], session: session).candidates
            #expect(offered == Array(Set(WorkloadSchema.names(for: block))).sorted(), "\(block)")
        }
    }

    // MARK: README

    static let readmePath = Repository.root + "/README.md"

    /// The README with each `<!-- properties:BLOCK -->` … `<!-- properties:end -->`
    /// section holding the block's table.
    static func regenerated(_ readme: String) -> (text: String, sections: Int) {
        var out = ""
        var rest = Substring(readme)
        var sections = 0
        while let open = rest.range(of: "<!-- properties:") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: " -->"),
                  let block = Block(rawValue: String(rest[open.upperBound..<close.lowerBound])),
                  let end = rest[close.upperBound...].range(of: "<!-- properties:end -->")
            else { return (readme, -1) }
            out += rest[open.lowerBound..<close.upperBound] + "\n" + PropertyTable.markdown(for: block) + "<!-- properties:end -->"
            rest = rest[end.upperBound...]
            sections += 1
        }
        return (out + rest, sections)
    }

    @Test func readmeTablesComeFromTheSchema() throws {
        let readme = Repository.read(Self.readmePath)
        let (expected, sections) = Self.regenerated(readme)
        #expect(sections == Block.allCases.count, "README needs one properties section per block")
        if ProcessInfo.processInfo.environment["TALLY_UPDATE_README"] == "1" {
            try expected.write(toFile: Self.readmePath, atomically: true, encoding: .utf8)
            return
        }
        let tables = Block.allCases.map { "<!-- properties:\($0.rawValue) -->\n" + PropertyTable.markdown(for: $0) }
        #expect(readme == expected, """
            README property tables are stale; `TALLY_UPDATE_README=1 swift test --skip-build --filter PropertySchemaTests` \
            rewrites them. Expected:
            \(tables.joined(separator: "<!-- properties:end -->\n\n"))<!-- properties:end -->
            """)
    }
}
