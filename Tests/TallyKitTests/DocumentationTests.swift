import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// The examples and the README are part of the product: every example script
/// and every ```tally block must parse, and the examples must run cleanly.
@Suite struct DocumentationTests {
    static let examples = Repository.files(under: Repository.examples, extension: "tally")

    @Test func thereAreExamples() {
        #expect(Self.examples.contains(Repository.examples + "/support.tally"))
    }

    @Test(arguments: examples)
    func exampleParsesAndRuns(_ path: String) {
        let text = Repository.read(path)
        let (_, syntax) = Parser.parse(SourceFile(name: path, text: text))
        #expect(syntax.isEmpty, "\(syntax.map(\.message))")
        let output = Commands.run(paths: [path])
        #expect(output.status == 0, "\(output.stderr)")
    }

    static func readmeBlocks() -> [String] {
        let readme = Repository.read(Repository.root + "/README.md")
        var blocks: [String] = []
        var current: [Substring]?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```tally" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func readmeHasTallyBlocks() {
        #expect(Self.readmeBlocks().count >= 3)
    }

    @Test func everyReadmeBlockParses() {
        for (index, block) in Self.readmeBlocks().enumerated() {
            let (_, syntax) = Parser.parse(SourceFile(name: "README block \(index + 1)", text: block))
            #expect(syntax.isEmpty, "README block \(index + 1): \(syntax.map(\.message))")
        }
    }

    @Test func readmeOpensWithTheTwoCommands() {
        let readme = Repository.read(Repository.root + "/README.md")
        let commands = readme.split(separator: "\n").filter { $0.hasPrefix("Scripts/") }.prefix(2).map(String.init)
        #expect(commands == ["Scripts/tally Examples/support.tally", "Scripts/test"])
    }
}
