import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

@Suite struct LexerTests {
    func kinds(_ text: String) -> [Token.Kind] {
        Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(\.kind).filter { $0 != .end }
    }

    @Test func numbersWithSeparatorsAndSuffixes() {
        #expect(kinds("3_000 2.5 40k 1.5M 2B") == [
            .number(Rational(3000)), .number(rational("2.5")), .number(Rational(40_000)),
            .number(Rational(1_500_000)), .number(Rational(2_000_000_000)),
        ])
    }

    @Test func moneyPercentAndDollar() {
        #expect(kinds("$5 $0.035 $8k 60% $") == [
            .money(Rational(5)), .money(rational("0.035")), .money(Rational(8000)), .percent(rational("0.6")), .dollar,
        ])
    }

    @Test func namesHoldDashesAndDotsBetweenLettersAndDigits() {
        #expect(kinds("sonnet-4.5 us-east-1 llama-3.3-70b peak-1 1-month") == [
            .name("sonnet-4.5"), .name("us-east-1"), .name("llama-3.3-70b"), .name("peak-1"), .name("1-month"),
        ])
        #expect(kinds("a - b") == [.name("a"), .minus, .name("b")])
        // Only digits start a name (Grammar/tally.ebnf): a fraction or a suffix ends the number.
        #expect(kinds("1.5-month 2k-x 3_0-day") == [
            .number(Rational(decimalLiteral: "1.5") ?? .zero), .minus, .name("month"), .number(Rational(2000)), .minus, .name("x"), .name("3_0-day"),
        ])
    }

    @Test func suffixOnlyWhenNothingFollows() {
        #expect(kinds("2kg") == [.number(Rational(2)), .name("kg")])
        #expect(kinds("1h") == [.number(Rational(1)), .name("h")])
    }

    @Test func keywordsStringsCommentsAndSeparators() {
        #expect(kinds("let x = \"a\\\"b\" # note\nshow x; x") == [
            .keyword(.let), .name("x"), .equal, .string("a\"b"), .newline, .keyword(.show), .name("x"), .semicolon, .name("x"),
        ])
    }

    @Test func operators() {
        #expect(kinds("< <= > >= == != + - * / , ( )") == [
            .less, .lessEqual, .greater, .greaterEqual, .equalEqual, .bangEqual, .plus, .minus, .star, .slash, .comma, .leftParen, .rightParen,
        ])
    }

    @Test func spansCarryLineColumnAndBytes() {
        let file = SourceFile(name: "f.tally", text: "let a = 1\n  show é + b")
        let tokens = Lexer.tokenize(file).tokens
        let b = tokens.first { $0.kind == .name("b") }
        #expect(b?.span.line == 2)
        #expect(b?.span.column == 12)
        #expect(b?.span.start == 22)
        #expect(b?.span.location == "f.tally:2:12")
    }

    @Test func lexicalErrorsAreReportedAndLexingGoesOn() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "a ? b \"open\nc"))
        #expect(diagnostics.map(\.message) == ["unexpected character `?`", "unterminated string"])
        #expect(tokens.map(\.kind).contains(.name("c")))
    }

    @Test func tooLargeNumberIsADiagnostic() {
        let (_, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "99999999999999999999999999999999999999999B"))
        #expect(diagnostics.first?.message == "number too large")
    }

    @Test func lineStartsAndPositions() {
        #expect(SourceFile.lineStarts([]) == [0])
        #expect(SourceFile.lineStarts(Array("one".utf8)) == [0])
        #expect(SourceFile.lineStarts(Array("a\n".utf8)) == [0, 2])
        #expect(SourceFile.lineStarts(Array("\n\nab\r\nc".utf8)) == [0, 1, 2, 6])
        let file = SourceFile(name: "t", text: "let a = 1\r\n\nlet é = 2\n")
        #expect(file.line(of: 0) == 1)
        #expect(file.line(of: 12) == 3)
        #expect(file.column(of: 18) == 6)
        #expect(file.lineText(1) == "let a = 1")
        #expect(file.lineText(2) == "")
        #expect(file.lineText(3) == "let é = 2")
        #expect(file.lineText(4) == "")
    }
}

/// Tokens are the largest part of a script's peak memory (README,
/// Performance: Memory): each holds a span and a kind with numbers boxed.
@Suite struct TokenSizeTests {
    @Test func aTokenIsFiftySixBytes() {
        #expect(MemoryLayout<Token>.stride <= 56)
    }
}
