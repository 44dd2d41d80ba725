import Testing
@testable import TallyQuantities
@testable import TallySyntax

/// What Tally writes as source must read back: `catalog import` and `:save`
/// write strings from JSON and from the prompt.
@Suite struct SourceTextTests {
    func lexed(_ text: String) -> [Token.Kind] {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: text))
        #expect(diagnostics.isEmpty, "\(text)")
        return tokens.map(\.kind).filter { $0 != .end }
    }

    @Test func aStringLiteralReadsBackAsTheSameString() {
        for text in ["", "plain", "say \"hi\"", #"C:\path\"#, "two\nlines", "a\ttab", "\\n is not a line end", "naïve — 日本"] {
            let literal = SourceText.stringLiteral(text)
            #expect(lexed(literal) == [.string(text)], "\(literal)")
        }
    }

    @Test func otherControlsBecomeSpacesInALiteralAndInAComment() {
        #expect(SourceText.stringLiteral("a\u{1B}[2Jb\rc\u{2028}d") == "\"a [2Jb c d\"")
        #expect(SourceText.comment("one\ntwo\u{7F}three\u{2029}") == "one two three ")
        #expect(lexed("# " + SourceText.comment("x\ny = 1") + "\n1") == [.newline, .number(Rational(1))])
    }
}
