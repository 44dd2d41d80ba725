import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// The lexer, the parser and diagnostics stay bounded on hostile input: no
/// recursion per token, a cap on diagnostics, source lines cut to a window,
/// suggestions only for names of sane length.
@Suite struct BoundedSyntaxTests {
    static let tooLarge = "99999999999999999999999999999999999999999"

    func lexed(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        Lexer.tokenize(SourceFile(name: "t", text: text))
    }

    // MARK: The lexer is a loop

    @Test func aRunOfUnexpectedCharactersIsOneDiagnostic() {
        let (tokens, diagnostics) = lexed(String(repeating: "@", count: 20_000))
        #expect(tokens.map(\.kind) == [.end])
        #expect(diagnostics.map(\.message) == ["unexpected characters `@@@@@@@@…` (20,000 characters in a row)"])
        #expect(diagnostics.first?.span?.start == 0)
        #expect(diagnostics.first?.span?.end == 20_000)
    }

    @Test func controlCharactersAreNamedNotCopied() {
        let (_, nul) = lexed(String(repeating: "\u{0}", count: 20_000))
        #expect(nul.map(\.message) == ["unexpected characters `U+0000U+0000U+0000U+0000U+0000U+0000U+0000U+0000…` (20,000 characters in a row)"])
        let (_, escape) = lexed("show \u{1B}]0;x\u{7}")
        // ESC and `]` are one run; `0` starts a number; BEL is alone.
        #expect(escape.map(\.message) == ["unexpected characters `U+001B]` (2 characters in a row)", "unexpected character `U+0007`"])
        let (_, single) = lexed("a ? b")
        #expect(single.map(\.message) == ["unexpected character `?`"])
    }

    @Test func unexpectedRunsStopWhereATokenStarts() {
        let (tokens, diagnostics) = lexed("@@x ?! 1")
        #expect(tokens.map(\.kind) == [.name("x"), .number(Rational(1)), .end])
        #expect(diagnostics.map(\.message) == ["unexpected characters `@@` (2 characters in a row)",
                                              "unexpected characters `?!` (2 characters in a row)"])
        // `!` alone still gets its hint; `!=` is an operator, not part of a run.
        #expect(lexed("! x").diagnostics.first?.hints == ["write `not` for negation and `!=` for inequality"])
        #expect(lexed("@!= 1").tokens.map(\.kind) == [.bangEqual, .number(Rational(1)), .end])
    }

    @Test func tooLargeNumbersAreSkippedWithoutRecursion() {
        let text = String(repeating: Self.tooLarge + " $" + Self.tooLarge + " ", count: 10_000) + "ok"
        let (tokens, diagnostics) = lexed(text)
        #expect(tokens.map(\.kind) == [.name("ok"), .end])
        #expect(diagnostics.count == Diagnostic.maximumPerFile + 1)
        #expect(diagnostics.last?.message == "19,900 more errors not shown (at most 100 are reported per file)")
        // The 101st: the first number of the 51st repetition.
        #expect(diagnostics.last?.span?.start == 50 * 85)
    }

    // MARK: At most 100 diagnostics per file

    @Test func diagnosticsPastTheCapAreCounted() {
        let outcome = runSource(String(repeating: "show nope\n", count: 250))
        #expect(outcome.diagnostics.count == 101)
        #expect(outcome.diagnostics.prefix(100).allSatisfy { $0.message == "unknown name `nope`" && $0.omitted == nil })
        #expect(outcome.diagnostics[99].span?.line == 100)
        let last = outcome.diagnostics[100]
        #expect(last.message == "150 more errors not shown (at most 100 are reported per file)")
        #expect(last.span?.line == 101)
        #expect(last.severity == .error)
        // One line, no snippet.
        #expect(DiagnosticRenderer().render(last) == "test.tally:101:6: error: 150 more errors not shown (at most 100 are reported per file)\n")

        // `check` tells people every error it found; JUnit counts the lines it writes.
        var report = CheckReport()
        report.diagnostics = outcome.diagnostics
        #expect(report.summary == "250 errors in the input; 0 assertions checked")
        #expect(report.errors == 101)
        #expect(report.status == 2)
    }

    @Test func theCapCoversLexerParserAndEvaluatorTogether() {
        // 60 lexical, 60 syntax and 60 name errors, interleaved line by line.
        let text = String(repeating: "show 1 @\nshow )\nshow nope\n", count: 60)
        let outcome = runSource(text)
        #expect(outcome.diagnostics.count == 101)
        #expect(outcome.diagnostics.prefix(100).map { $0.span?.line ?? 0 } == Array(1...100))
        #expect(outcome.diagnostics.last?.message == "80 more errors not shown (at most 100 are reported per file)")
        // A script with one error of each kind keeps them all, in order.
        let small = runSource("show 1 @\nshow )\nshow nope\n")
        #expect(small.diagnostics.map(\.kind) == [.lexical, .syntax, .name])
    }

    @Test func summariesMergeAndCountWarningsApart() {
        let file = SourceFile(name: "t", text: "x")
        let span = Span(file: file, start: 0, end: 1)
        var list: [Diagnostic] = []
        for _ in 0..<100 { list.appendBounded(Diagnostic(.syntax, "e", at: span)) }
        list.appendBounded(Diagnostic(.pricing, "w", at: span, severity: .warning))
        #expect(list.last?.message == "1 more warning not shown (at most 100 are reported per file)")
        #expect(list.last?.severity == .warning)
        list.appendBounded(contentsOf: Diagnostic.bounded(Array(repeating: Diagnostic(.syntax, "e", at: span), count: 103)))
        #expect(list.count == 101)
        #expect(list.reportedCount == 204)
        #expect(list.last?.message == "103 more errors and 1 more warning not shown (at most 100 are reported per file)")
        #expect(list.last?.severity == .error)
    }

    @Test func longMessagesKeepTheirStartAndEnd() {
        let name = String(repeating: "a", count: 1 << 20)
        let d = Diagnostic(.name, "unknown name `\(name)`", at: nil, hints: ["did you mean `\(name)`?"])
        #expect(d.message == "unknown name `" + String(repeating: "a", count: 211) + "…" + String(repeating: "a", count: 74) + "`")
        #expect(d.hints.allSatisfy { $0.count <= 301 })
        #expect(Diagnostic(.name, "short", at: nil).message == "short")
    }

    // MARK: Source lines cut to a window

    @Test func aLongLineIsCutAroundTheCaretAndLabelsStayAligned() {
        let file = SourceFile(name: "w.tally", text: "show " + String(repeating: " ", count: 5000) + "$5 + 3 tokens\n")
        let outcome = runSource(file.text, name: "w.tally")
        let text = DiagnosticRenderer().render(outcome.diagnostics)
        // The caret is on `+` (column 5009): the window starts 33 columns
        // before it, so `$` (column 5006) is drawn 31 columns in, after `…`.
        let gap = String(repeating: " ", count: 30)
        #expect(text == """
            w.tally:1:5009: error: cannot add $ and tokens
             1 | …\(gap)$5 + 3 tokens
               |  \(gap)-- ^ -------- tokens
               |  \(gap)|
               |  \(gap)$

            """)
    }

    @Test func bothEndsAreCutAndALabelOffTheWindowIsListed() {
        let text = "workload w < " + String(repeating: "model nova-micro; ", count: 300) + "show 1\n"
        let rendered = DiagnosticRenderer().render(runSource(text, name: "o.tally").diagnostics)
        let lines = rendered.split(separator: "\n").map(String.init)
        #expect(lines[0] == "o.tally:1:5414: error: unclosed `<`: expected `>` before `show`")
        #expect(lines[1] == " 1 | …el nova-micro; model nova-micro; show 1")
        #expect(lines[2] == "   |                                   ^^^^")
        #expect(lines[3] == "   | column 12: opened here")
        // Cut at both ends: exactly `window` columns between the bars.
        let x = String(repeating: "x", count: 200)
        let middle = "let \(x) = 1\nshow \(x) + nope + \(x)"
        let both = DiagnosticRenderer().render(runSource(middle, name: "m.tally").diagnostics).split(separator: "\n").map(String.init)
        #expect(both[0] == "m.tally:2:209: error: unknown name `nope`")
        #expect(both[1].hasPrefix(" 2 | …") && both[1].hasSuffix("…"))
        #expect(both[1].dropFirst(5).count == DiagnosticRenderer.window)
        let caret = both[2].firstIndex(of: "^").map { both[2].distance(from: both[2].startIndex, to: $0) }
        let nope = both[1].firstRange(of: "nope").map { both[1].distance(from: both[1].startIndex, to: $0.lowerBound) }
        #expect(caret != nil && caret == nope)
    }

    @Test func aShortLineIsShownWhole() {
        let rendered = DiagnosticRenderer().render(runSource("show\t$5 + 3 tokens").diagnostics)
        #expect(rendered.contains(" 1 | show $5 + 3 tokens\n   |      -- ^ -------- tokens\n"))
    }

    @Test func aCharacterOfManyScalarsCannotWidenTheWindow() {
        // One character: `e` with 50,000 combining accents, then junk.
        let zalgo = "show e" + String(repeating: "\u{301}", count: 50_000) + " @"
        let rendered = DiagnosticRenderer().render(runSource(zalgo).diagnostics)
        #expect(rendered.utf8.count < 4 * DiagnosticRenderer.windowBytes)
    }

    @Test func junkOnOneLineRendersInBoundedOutput() {
        var generator = Generator(state: 11)
        let alphabet = Array("@?~`^&|{}[]\\'!: x1")
        let junk = String((0..<16_384).map { _ in generator.pick(alphabet) })
        let outcome = runSource(junk)
        let rendered = DiagnosticRenderer().render(outcome.diagnostics)
        #expect(outcome.diagnostics.count == 101)
        #expect(rendered.utf8.count < 100_000)
        #expect(rendered.split(separator: "\n").allSatisfy {
            $0.count <= DiagnosticRenderer.window + 6 || $0.hasPrefix("test.tally:") || $0.contains("= hint:")
        })
    }

    @Test func diagnosticsFarAlongALongLineArePlacedWithoutRecounting() {
        for lead in ["e", "é"] {
            let text = "show " + lead + String(repeating: " ", count: 4 << 20) + String(repeating: "@ ", count: 150)
            let start = Date()
            let outcome = runSource(text)
            let rendered = DiagnosticRenderer().render(outcome.diagnostics)
            var report = CheckReport()
            report.diagnostics = outcome.diagnostics
            let json = CheckRenderer.json(report).rendered()
            #expect(Date().timeIntervalSince(start) < 5, "finishes within 5 s")
            // First `e` or `é` (column 6), then `@` number k (from 0) at
            // column 5 + 1 + 4 Mi + 1 + 2k.
            #expect(outcome.diagnostics.prefix(100).map(\.span!.column) == [6] + (0..<99).map { 4_194_311 + 2 * $0 })
            #expect(rendered.contains("test.tally:1:4194311: error: unexpected character `@`\n 1 | …"))
            #expect(rendered.utf8.count < 50_000)
            #expect(json.contains("\"column\": 4194507"))
        }
    }

    @Test func columnsCountedOnFromAnEarlierOneAreExact() {
        var generator = Generator(state: 7)
        let pieces = ["a", "e\u{301}", " ", "é", "\u{1F1EB}\u{1F1F7}", "x\u{200D}y", "\t", "\u{1F469}\u{200D}\u{1F4BB}", "bc"]
        let text = (0..<400).map { _ in generator.pick(pieces) }.joined()
        let file = SourceFile(name: "t", text: text)
        let bytes = Array(text.utf8)
        // Every scalar boundary, asked in a shuffled order.
        var offsets = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
        for i in offsets.indices.reversed() { offsets.swapAt(i, generator.below(i + 1)) }
        for offset in offsets {
            #expect(file.column(of: offset) == String(decoding: bytes[..<offset], as: UTF8.self).count + 1)
        }
    }

    // MARK: Line ends

    @Test func everyLineEndCounts() {
        #expect(SourceFile.lineStarts(Array("a\rb\r\nc\nd\r".utf8)) == [0, 2, 5, 7, 9])
        let file = SourceFile(name: "t", text: "one\rtwo\r\nthree\r")
        #expect(file.lineCount == 4)
        #expect((1...4).map(file.lineText) == ["one", "two", "three", ""])
        #expect(file.line(of: 4) == 2)
        #expect(file.column(of: 6) == 3)
        #expect(lexed("a\rb\r\nc # note\rd").tokens.map(\.kind) == [
            .name("a"), .newline, .name("b"), .newline, .name("c"), .newline, .name("d"), .end,
        ])
        #expect(lexed("a\r\nb").tokens[1].span.end == 3)
        #expect(lexed("\"open\rshow").diagnostics.map(\.message) == ["unterminated string"])
        #expect(lexed("\"a\\\rb\"").diagnostics.map(\.message) == ["unterminated string", "unterminated string"])
    }

    @Test func aScriptWithCarriageReturnsOnlyRunsEveryStatement() {
        let outcome = runSource("# budget\rlet a = 2\rshow a\rassert a > 3, \"cr\"\r")
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.shown.count == 1)
        #expect(outcome.assertions.map(\.passed) == [false])
        #expect(outcome.assertions.first?.span.line == 4)
    }

    @Test func thePromptSeesCarriageReturnsAsLineEnds() {
        #expect(InputShape.needsMore("workload w <\r"))
        #expect(!InputShape.needsMore("workload w <\r model nova-micro\r>"))
        #expect(InputShape.oneLine("workload w <\rmodel nova-micro\rrequests 1/day\r>") == "workload w < model nova-micro ; requests 1/day >")
    }

    // MARK: Suggestions

    @Test func suggestionsOnlyForNamesOfSaneLength() {
        #expect(Suggestion.closest(to: "sonet-4.5", in: ["sonnet-4.5", "haiku-4.5"]) == "sonnet-4.5")
        #expect(Suggestion.closest(to: "requets", in: ["requests", "input"]) == "requests")
        let long = String(repeating: "a", count: 65)
        #expect(Suggestion.closest(to: long, in: [long + "b"]) == nil)
        #expect(Suggestion.closest(to: String(long.dropLast()), in: [String(long.dropLast(2)) + "b"]) == String(long.dropLast(2)) + "b")
        // A declared name too long to suggest is never offered.
        #expect(Suggestion.closest(to: String(long.dropLast()), in: [long]) == nil)
    }

    @Test func editDistanceStopsPastTheLimit() {
        func d(_ a: String, _ b: String, _ limit: Int) -> Int? { EditDistance.levenshtein(Array(a), Array(b), limit: limit) }
        #expect(d("kitten", "sitting", 3) == 3)
        #expect(d("kitten", "sitting", 2) == nil)
        #expect(d("", "abc", 3) == 3)
        #expect(d("abc", "", 2) == nil)
        #expect(d("abcdef", "abcdef", 0) == 0)
        // Every entry of the second row exceeds 1: stops there.
        #expect(d("xxxxxxxxxx", "yyyyyyyyyy", 1) == nil)
    }

    @Test func aHugeUnknownNameIsReportedQuickly() {
        let name = String(repeating: "a", count: 1 << 20)
        let outcome = runSource("let aaaa = 1\nshow " + name)
        #expect(outcome.diagnostics.count == 1)
        #expect(outcome.diagnostics.first?.hints == [])
        #expect(DiagnosticRenderer().render(outcome.diagnostics).utf8.count < 1_000)
    }
}
