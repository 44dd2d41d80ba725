import TallyQuantities

/// Turns source text into tokens. Lexical problems are recorded as diagnostics
/// and the lexer carries on, so one run reports them all.
package struct Lexer {
    let file: SourceFile
    let bytes: [UInt8]
    var position = 0
    package private(set) var diagnostics: [Diagnostic] = []
    /// Tokens only: the prompt asks whether an input is finished many times.
    var reportsProblems = true

    /// Where the text to read ends: the file's end, or the end of a range.
    let limit: Int

    package init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
        self.limit = file.bytes.count
    }

    /// Reads only `range` of the file; spans still count from the file's start.
    package init(file: SourceFile, range: Range<Int>) {
        self.file = file
        self.bytes = file.bytes
        self.limit = min(range.upperBound, file.bytes.count)
        self.position = min(range.lowerBound, limit)
    }

    static let keywords: [String: Keyword] = Dictionary(uniqueKeysWithValues: Keyword.allCases.map { ($0.rawValue, $0) })

    package static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        tokenize(Lexer(file: file))
    }

    package static func tokenize(_ file: SourceFile, range: Range<Int>) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        tokenize(Lexer(file: file, range: range))
    }

    /// The tokens alone, building no diagnostics.
    package static func tokens(_ file: SourceFile) -> [Token] {
        var lexer = Lexer(file: file)
        lexer.reportsProblems = false
        return tokenize(lexer).tokens
    }

    static func tokenize(_ start: Lexer) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = start
        var tokens: [Token] = []
        tokens.reserveCapacity((lexer.limit - lexer.position) / 3)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .end { break }
        }
        return (tokens, lexer.diagnostics)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < limit ? bytes[index] : nil
    }

    static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 48 && $0 <= 57 } ?? false }
    static func isLetter(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_")
    }
    static func isNameCharacter(_ c: UInt8?) -> Bool { isLetter(c) || isDigit(c) }

    private func span(from start: Int) -> Span { Span(file: file, start: start, end: position) }

    /// Whether to build a problem's diagnostic: not when only tokens are
    /// wanted, nor past the cap, where it is just counted (junk costs little).
    private mutating func reporting() -> Bool {
        reportsProblems && !diagnostics.countedPastCap()
    }

    /// The next token. A loop, not recursion: whatever it skips (unexpected
    /// characters, numbers too large) is reported and the loop goes on.
    package mutating func next() -> Token {
        while true {
            let before = position
            skipSpaceAndComments()
            let joined = position == before && position > 0
            let start = position
            guard let c = peek() else { return Token(kind: .end, span: span(from: start), joinedToPrevious: joined) }

            func make(_ kind: Token.Kind, length: Int = 1) -> Token {
                position += length
                return Token(kind: kind, span: span(from: start), joinedToPrevious: joined)
            }

            switch c {
            case UInt8(ascii: "\n"): return make(.newline)
            case UInt8(ascii: "\r"): return make(.newline, length: peek(1) == UInt8(ascii: "\n") ? 2 : 1)
            case UInt8(ascii: "("): return make(.leftParen)
            case UInt8(ascii: ")"): return make(.rightParen)
            case UInt8(ascii: "+"): return make(.plus)
            case UInt8(ascii: "-"): return make(.minus)
            case UInt8(ascii: "*"): return make(.star)
            case UInt8(ascii: "/"): return make(.slash)
            case UInt8(ascii: ","): return make(.comma)
            case UInt8(ascii: ";"): return make(.semicolon)
            case UInt8(ascii: "<"): return peek(1) == UInt8(ascii: "=") ? make(.lessEqual, length: 2) : make(.less)
            case UInt8(ascii: ">"): return peek(1) == UInt8(ascii: "=") ? make(.greaterEqual, length: 2) : make(.greater)
            case UInt8(ascii: "="): return peek(1) == UInt8(ascii: "=") ? make(.equalEqual, length: 2) : make(.equal)
            case UInt8(ascii: "."):
                if peek(1) == UInt8(ascii: ".") { return make(.dotDot, length: 2) }
            case UInt8(ascii: "!"):
                if peek(1) == UInt8(ascii: "=") { return make(.bangEqual, length: 2) }
            case UInt8(ascii: "\""):
                return lexString(start: start, joined: joined)
            case UInt8(ascii: "$"):
                position += 1
                guard Lexer.isDigit(peek()) else { return Token(kind: .dollar, span: span(from: start), joinedToPrevious: joined) }
                if let value = lexNumberValue(start: start) {
                    return Token(kind: .money(value), span: span(from: start), joinedToPrevious: joined)
                }
                continue
            default:
                if Lexer.isDigit(c) {
                    if let token = lexNumberOrName(start: start, joined: joined) { return token }
                    continue
                }
                if Lexer.isLetter(c) { return lexName(start: start, joined: joined) }
            }
            skipUnexpected(start: start)
        }
    }

    /// True when a token, a space, a comment or a line end starts at `offset`.
    private func startsSomething(at offset: Int) -> Bool {
        guard offset < limit else { return true }
        let c = bytes[offset]
        switch c {
        case UInt8(ascii: "."): return offset + 1 < limit && bytes[offset + 1] == UInt8(ascii: ".")
        case UInt8(ascii: "!"): return offset + 1 < limit && bytes[offset + 1] == UInt8(ascii: "=")
        default: return Lexer.isNameCharacter(c) || Lexer.startingBytes.contains(c)
        }
    }

    static let startingBytes = Set(" \t\r\n#()+-*/,;<>=\"$".utf8)

    /// Reports a run of characters that start no token as one diagnostic,
    /// quoting only its first few.
    private mutating func skipUnexpected(start: Int) {
        var count = 0
        repeat {
            position += 1
            while let b = peek(), b & 0xC0 == 0x80 { position += 1 }
            count += 1
        } while !startsSomething(at: position)
        if reporting() { diagnostics.appendBounded(unexpected(start: start, count: count)) }
    }

    private func unexpected(start: Int, count: Int) -> Diagnostic {
        // Eight scalars are at most 32 bytes.
        let run = String(decoding: bytes[start..<min(position, start + 32)], as: UTF8.self).unicodeScalars
        let shown = run.prefix(8).map(Lexer.quoted).joined() + (count > 8 ? "…" : "")
        let message = count == 1 ? "unexpected character `\(shown)`"
            : "unexpected characters `\(shown)` (\(Diagnostic.counted(count, "character")) in a row)"
        var diagnostic = Diagnostic(.lexical, message, at: span(from: start))
        if bytes[start] == UInt8(ascii: "!") { diagnostic = diagnostic.hint("write `not` for negation and `!=` for inequality") }
        if bytes[start] == UInt8(ascii: "'") { diagnostic = diagnostic.hint("strings use double quotes: \"…\"") }
        return diagnostic
    }

    /// A scalar as a message quotes it: itself when it prints, else `U+XXXX`.
    static func quoted(_ scalar: Unicode.Scalar) -> String {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        default:
            return String(scalar)
        }
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                position += 1
            } else if c == UInt8(ascii: "#") {
                while let d = peek(), d != UInt8(ascii: "\n"), d != UInt8(ascii: "\r") { position += 1 }
            } else {
                break
            }
        }
    }

    /// Continues a name over `-` and `.` when a letter or digit follows:
    /// `sonnet-4.5`, `us-east-1`, `llama-3.3-70b`.
    private mutating func consumeNameTail() {
        while true {
            while Lexer.isNameCharacter(peek()) { position += 1 }
            if let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "."), Lexer.isNameCharacter(peek(1)) {
                position += 1
                continue
            }
            return
        }
    }

    private mutating func lexName(start: Int, joined: Bool) -> Token {
        consumeNameTail()
        let text = file.text(of: span(from: start))
        let kind: Token.Kind = Lexer.keywords[text].map { .keyword($0) } ?? .name(text)
        return Token(kind: kind, span: span(from: start), joinedToPrevious: joined)
    }

    /// nil when the number is too large, or a percentage too precise (reported).
    private mutating func lexNumberOrName(start: Int, joined: Bool) -> Token? {
        let numberStart = position
        guard let value = lexNumberValue(start: start) else { return nil }
        // `1-month`, `6-month`: a word that starts with digits (not `1.5-month` or `2k-x`).
        if peek() == UInt8(ascii: "-"), Lexer.isLetter(peek(1)),
           bytes[numberStart..<position].allSatisfy({ Lexer.isDigit($0) || $0 == UInt8(ascii: "_") }) {
            position = numberStart
            consumeNameTail()
            return Token(kind: .name(file.text(of: span(from: start))), span: span(from: start), joinedToPrevious: joined)
        }
        if peek() == UInt8(ascii: "%") {
            position += 1
            // A hundredth of the smallest number Tally holds is no number: an error, never 0.
            guard let percent = value.divided(by: Rational(100)) else {
                if reporting() {
                    diagnostics.appendBounded(Diagnostic(.lexical, "percentage too precise", at: span(from: start),
                                                         hints: ["Tally's numbers hold up to 38 significant digits"]))
                }
                return nil
            }
            return Token(kind: .percent(percent), span: span(from: start), joinedToPrevious: joined)
        }
        return Token(kind: .number(value), span: span(from: start), joinedToPrevious: joined)
    }

    /// Reads digits, `_`, one fraction and an optional `k`/`M`/`B` suffix. On a
    /// number too large it records a diagnostic and returns nil.
    private mutating func lexNumberValue(start: Int) -> Rational? {
        let digitsStart = position
        while Lexer.isDigit(peek()) || (peek() == UInt8(ascii: "_") && Lexer.isDigit(peek(1))) { position += 1 }
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            position += 1
            while Lexer.isDigit(peek()) || (peek() == UInt8(ascii: "_") && Lexer.isDigit(peek(1))) { position += 1 }
        }
        let literal = file.text(of: Span(file: file, start: digitsStart, end: position))
        var multiplier: Int128 = 1
        if let s = peek(), !Lexer.isNameCharacter(peek(1)) {
            switch s {
            case UInt8(ascii: "k"): multiplier = 1_000
            case UInt8(ascii: "M"): multiplier = 1_000_000
            case UInt8(ascii: "B"): multiplier = 1_000_000_000
            default: break
            }
            if multiplier != 1 { position += 1 }
        }
        guard let base = Rational(decimalLiteral: Substring(literal)),
              let value = base.multiplied(by: Rational(uncheckedNumerator: multiplier, denominator: 1))
        else {
            if reporting() {
                diagnostics.appendBounded(Diagnostic(.lexical, "number too large", at: span(from: start),
                                                     hints: ["Tally's numbers hold up to 38 significant digits"]))
            }
            return nil
        }
        return value
    }

    private mutating func lexString(start: Int, joined: Bool) -> Token {
        position += 1
        var scalars: [UInt8] = []
        while let c = peek() {
            if c == UInt8(ascii: "\"") {
                position += 1
                return Token(kind: .string(String(decoding: scalars, as: UTF8.self)), span: span(from: start), joinedToPrevious: joined)
            }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
            if c == UInt8(ascii: "\\"), let escaped = peek(1), escaped != UInt8(ascii: "\n"), escaped != UInt8(ascii: "\r") {
                switch escaped {
                case UInt8(ascii: "n"): scalars.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): scalars.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): scalars.append(escaped)
                default:
                    if reporting() {
                        let scalar = String(decoding: bytes[(position + 1)...].prefix(4), as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
                        diagnostics.appendBounded(Diagnostic(.lexical, "unknown escape `\\\(Lexer.quoted(scalar))` in string",
                                          at: Span(file: file, start: position, end: position + 2),
                                          hints: ["the escapes are \\\" \\\\ \\n \\t"]))
                    }
                    scalars.append(escaped)
                }
                position += 2
                continue
            }
            scalars.append(c)
            position += 1
        }
        if reporting() {
            diagnostics.appendBounded(Diagnostic(.lexical, "unterminated string", at: span(from: start),
                                                 hints: ["close the string with `\"` on the same line"]))
        }
        return Token(kind: .string(String(decoding: scalars, as: UTF8.self)), span: span(from: start), joinedToPrevious: joined)
    }
}
