/// Turns source text into tokens. Lexical problems are recorded as diagnostics
/// and the lexer carries on, so one run reports them all.
public struct Lexer {
    let file: SourceFile
    let bytes: [UInt8]
    var position = 0
    public private(set) var diagnostics: [Diagnostic] = []

    /// Where the text to read ends: the file's end, or the end of a range.
    let limit: Int

    public init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
        self.limit = file.bytes.count
    }

    /// Reads only `range` of the file; spans still count from the file's start.
    public init(file: SourceFile, range: Range<Int>) {
        self.file = file
        self.bytes = file.bytes
        self.limit = min(range.upperBound, file.bytes.count)
        self.position = min(range.lowerBound, limit)
    }

    static let keywords: [String: Keyword] = Dictionary(uniqueKeysWithValues: Keyword.allCases.map { ($0.rawValue, $0) })

    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        tokenize(Lexer(file: file))
    }

    public static func tokenize(_ file: SourceFile, range: Range<Int>) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        tokenize(Lexer(file: file, range: range))
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

    public mutating func next() -> Token {
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
            if Lexer.isDigit(peek()) {
                if let value = lexNumberValue(start: start) {
                    return Token(kind: .money(value), span: span(from: start), joinedToPrevious: joined)
                }
                return next()
            }
            return Token(kind: .dollar, span: span(from: start), joinedToPrevious: joined)
        default:
            if Lexer.isDigit(c) { return lexNumberOrName(start: start, joined: joined) }
            if Lexer.isLetter(c) { return lexName(start: start, joined: joined) }
        }
        // Anything else: report it whole (one UTF-8 scalar) and go on.
        position += 1
        while let b = peek(), b & 0xC0 == 0x80 { position += 1 }
        let text = file.text(of: span(from: start))
        var diagnostic = Diagnostic(.lexical, "unexpected character `\(text)`", at: span(from: start))
        if text == "!" { diagnostic = diagnostic.hint("write `not` for negation and `!=` for inequality") }
        if text == "'" { diagnostic = diagnostic.hint("strings use double quotes: \"…\"") }
        diagnostics.append(diagnostic)
        return next()
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                position += 1
            } else if c == UInt8(ascii: "#") {
                while let d = peek(), d != UInt8(ascii: "\n") { position += 1 }
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

    private mutating func lexNumberOrName(start: Int, joined: Bool) -> Token {
        let numberStart = position
        guard let value = lexNumberValue(start: start) else { return next() }
        // `1-month`, `6-month`: a word that starts with a digit.
        if peek() == UInt8(ascii: "-"), Lexer.isLetter(peek(1)) {
            position = numberStart
            consumeNameTail()
            return Token(kind: .name(file.text(of: span(from: start))), span: span(from: start), joinedToPrevious: joined)
        }
        if peek() == UInt8(ascii: "%") {
            position += 1
            let percent = value.divided(by: Rational(100)) ?? .zero
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
            diagnostics.append(Diagnostic(.lexical, "number too large", at: span(from: start),
                                          hints: ["Tally's numbers hold up to 38 significant digits"]))
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
            if c == UInt8(ascii: "\n") { break }
            if c == UInt8(ascii: "\\"), let escaped = peek(1) {
                switch escaped {
                case UInt8(ascii: "n"): scalars.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): scalars.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): scalars.append(escaped)
                default:
                    diagnostics.append(Diagnostic(.lexical, "unknown escape `\\\(Character(Unicode.Scalar(escaped)))` in string",
                                                  at: Span(file: file, start: position, end: position + 2),
                                                  hints: ["the escapes are \\\" \\\\ \\n \\t"]))
                    scalars.append(escaped)
                }
                position += 2
                continue
            }
            scalars.append(c)
            position += 1
        }
        diagnostics.append(Diagnostic(.lexical, "unterminated string", at: span(from: start),
                                      hints: ["close the string with `\"` on the same line"]))
        return Token(kind: .string(String(decoding: scalars, as: UTF8.self)), span: span(from: start), joinedToPrevious: joined)
    }
}
