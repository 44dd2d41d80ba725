import Foundation
import Testing
@testable import TallyKit
@testable import TallySyntax

/// `SourceFormatter`, the layout `tally fmt` gives: each rule on a small
/// input; every example and fixture is formatted already, and formatting is
/// idempotent and keeps every token on its line, on them and on mutated and
/// hostile inputs.
@Suite struct FormatterTests {
    static let scripts = Repository.files(under: Repository.examples, extension: "tally")
        + Repository.files(under: Repository.fixtures, extension: "tally")

    static func format(_ text: String) -> String { SourceFormatter.format(text) }

    // MARK: the rules, one input each

    @Test(arguments: [
        // One space around binary operators and comparisons; none inside ( … ).
        ("show  1+2*3", "show 1 + 2 * 3\n"),
        ("let x=( 1 + 2 )*3", "let x = (1 + 2) * 3\n"),
        ("assert total<$8k/month and chat>=$1/month", "assert total < $8k/month and chat >= $1/month\n"),
        // `/` and a binary `-` stay tight or spaced as written; spaced on one side, both.
        ("show 3000/day, chat / requests(chat), a /b", "show 3000/day, chat / requests(chat), a / b\n"),
        ("usage u < logs \"l\"; from 2026-11-01 >", "usage u < logs \"l\"; from 2026-11-01 >\n"),
        ("show peak -1, peak- 1, 5-3", "show peak - 1, peak - 1, 5-3\n"),
        // Ranges are tight.
        ("show 2k .. 5k/day, 40% ..60%", "show 2k..5k/day, 40%..60%\n"),
        // A unary minus is tight, and so after a property's name and in a forecast.
        ("show - 3, 4 - -2, 2 * - x", "show -3, 4 - -2, 2 * -x\n"),
        ("workload w < requests - 5/day >", "workload w < requests -5/day >\n"),
        ("forecast w over - 2 months growth - 5%/month", "forecast w over -2 months growth -5%/month\n"),
        // `, ` and `; `; `=` spaced in `let`, tight in tags and calls.
        ("show a ,b,c", "show a, b, c\n"),
        ("workload w<model x ;requests 1/day;tag team = support>", "workload w < model x; requests 1/day; tag team=support >\n"),
        ("show cost( total , team = search )", "show cost(total, team=search)\n"),
        ("let  peak  =  3000/day", "let peak = 3000/day\n"),
        // Calls are tight; a property's argument in parentheses is not.
        ("show requests (chat), low( x )", "show requests(chat), low(x)\n"),
        ("workload w < requests (1 + 2)/day >", "workload w < requests (1 + 2)/day >\n"),
        ("show chat with<model haiku-4.5>", "show chat with < model haiku-4.5 >\n"),
        // A unit against its number stays there; `27,379` keeps the checker's hint.
        ("workload w < cache 50% ttl 1h >", "workload w < cache 50% ttl 1h >\n"),
        ("let bill = $27,379.20", "let bill = $27,379.20\n"),
        ("show 1 , 2", "show 1, 2\n"),
        // A `)` that closes nothing keeps its space.
        ("show 1 + )", "show 1 + )\n"),
    ])
    func spacing(_ input: String, _ expected: String) {
        #expect(Self.format(input) == expected)
    }

    @Test func indentation() {
        // Two spaces per open `< … >` or `( … )`; a line starting with `>` or
        // `)` is at the level outside it.
        #expect(Self.format("workload chat <\nmodel sonnet-4.5\n      requests 1/day\n    >\n")
            == "workload chat <\n  model sonnet-4.5\n  requests 1/day\n>\n")
        #expect(Self.format("show (\n1 +\n(2 *\n3)\n)\n") == "show (\n  1 +\n  (2 *\n    3)\n)\n")
        // Brackets opened on one line indent the next by one level together.
        #expect(Self.format("show ((1 +\n2))\n") == "show ((1 +\n  2))\n")
        // After a binary operator a line continues: one level more, outside ( … ).
        #expect(Self.format("assert total <\n$9k/month\nshow 1") == "assert total <\n  $9k/month\nshow 1\n")
        #expect(Self.format("workload w <\nrequests 3 +\n4\n>") == "workload w <\n  requests 3 +\n    4\n>\n")
        // A line that continues a block's first line.
        #expect(Self.format("workload w < model x; requests 1/day\ninput 5 tokens >") == "workload w < model x; requests 1/day\n  input 5 tokens >\n")
    }

    @Test func comments() {
        // A run of trailing comments shares a column: the furthest right in the
        // source, or two spaces past the widest code.
        #expect(Self.format("show a # x\nshow bbbbb # y\n") == "show a      # x\nshow bbbbb  # y\n")
        #expect(Self.format("show a          # x\nshow bb # y\n") == "show a          # x\nshow bb         # y\n")
        // A line without one ends the run.
        #expect(Self.format("show a      # x\nshow b\nshow c # y\n") == "show a      # x\nshow b\nshow c  # y\n")
        // Code against its comment gets two spaces.
        #expect(Self.format("show a# x\n") == "show a  # x\n")
        // A comment alone is indented like code; one in the column of the
        // comment above it continues that comment.
        #expect(Self.format("workload w <\n# the model\n   model x   # one\n             # two\n>\n")
            == "workload w <\n  # the model\n  model x    # one\n             # two\n>\n")
        // Comment text is kept, but not its trailing spaces.
        #expect(Self.format("#  a  b \t\n") == "#  a  b\n")
    }

    @Test func linesAndEnds() {
        // Blank lines stay (without their spaces); trailing ones go; one line end at the end.
        #expect(Self.format("show 1\n  \n\nshow 2\n\n\n") == "show 1\n\n\nshow 2\n")
        #expect(Self.format("show 1") == "show 1\n")
        #expect(Self.format("") == "")
        #expect(Self.format(" \n\t\n") == "")
        // Line ends are kept as written: CR LF, CR alone (the last one copied).
        #expect(Self.format("show  1\r\nshow 2") == "show 1\r\nshow 2\r\n")
        #expect(Self.format("show  1\rshow 2\r") == "show 1\rshow 2\r")
    }

    @Test func skippedCharactersKeepTheirLine() {
        // What the lexer skips (`?`, a number too large) is kept, and so is the
        // line's code around it; only its indentation changes.
        #expect(Self.format("   let a = 5 ?  3   # q\n") == "let a = 5 ?  3      # q\n")
        let large = "show  1 + 99999999999999999999999999999999999999999\n"
        #expect(Self.format("  " + large) == large)
        #expect(Self.format("show \u{0}  1\n") == "show \u{0}  1\n")
        #expect(Self.format("price x < source \"no end\n") == "price x < source \"no end\n")
    }

    // MARK: every example and fixture

    @Test(arguments: scripts)
    func idempotentAndKeepsTokens(_ path: String) {
        let text = Repository.read(path)
        let once = Self.format(text)
        #expect(Self.format(once) == once)
        #expect(SourceFormatter.sameTokens(text, once))
        #expect(once.filter { $0 == "\n" }.count <= text.filter { $0 == "\n" }.count + 1)
    }

    /// The committed examples and fixtures are formatted.
    @Test(arguments: scripts)
    func committedFilesAreFormatted(_ path: String) {
        let text = Repository.read(path)
        #expect(Self.format(text) == text, "\(path): run `tally fmt` on it")
    }

    /// The README's ```tally blocks are written in the layout too.
    @Test func readmeBlocksAreFormatted() {
        for block in DocumentationTests.readmeBlocks() {
            #expect(Self.format(block + "\n") == block + "\n")
        }
    }

    // MARK: hostile input

    /// Scripts mutated as the fuzzer mutates them: formatting is idempotent
    /// and keeps every token on its line.
    @Test func mutatedScriptsFormatSafely() {
        let mutator = FuzzMutator(donors: MutatedInputTests.seeds)
        for input in 0..<1_000 {
            var random = FuzzMutator.Random(seed: UInt64(input) &* 104_729 &+ 18)
            let text = String(decoding: mutator.mutate(random.pick(MutatedInputTests.seeds), maxSize: 1 << 16, random: &random), as: UTF8.self)
            let once = SourceFormatter.format(text)
            #expect(SourceFormatter.format(once) == once, "input \(input)")
            #expect(SourceFormatter.sameTokens(text, once), "input \(input)")
        }
    }

    @Test(arguments: [
        ("20,000 (", String(repeating: "(", count: 20_000)),
        ("a 1 MiB line", "show " + String(repeating: "1 + ", count: 1 << 18) + "1\n"),
        ("NUL bytes", String(repeating: "\u{0}", count: 10_000) + "\nshow \u{0} 1\n\u{0}"),
        ("brackets opened on 50,000 lines", String(repeating: "((\n", count: 50_000)),
        ("a 1 MiB line among aligned comments", String(repeating: "x", count: 1 << 20) + " # c\n" + String(repeating: "a # c\n", count: 20_000)),
        ("a comment 1 MiB to the right", "a" + String(repeating: " ", count: 1 << 20) + "# c\n" + String(repeating: "a # c\n", count: 20_000)),
        ("1 MiB of comment", "#" + String(repeating: "#", count: 1 << 20)),
    ])
    func hostileInputFormatsQuickly(_ name: String, _ text: String) {
        let start = ContinuousClock.now
        let once = SourceFormatter.format(text)
        #expect(ContinuousClock.now - start < .seconds(20), "\(name)")
        let lines = text.utf8.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        #expect(once.utf8.count <= 2 * text.utf8.count + 128 * lines, "\(name): \(once.utf8.count) bytes")
        #expect(SourceFormatter.format(once) == once, "\(name)")
        #expect(SourceFormatter.sameTokens(text, once), "\(name)")
    }
}
