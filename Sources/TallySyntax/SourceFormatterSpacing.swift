// The spaces between the tokens of a line, for `tally fmt`.

extension SourceFormatter.Line {
    /// The line's code laid out. Spaces added or shortened never change the
    /// tokens; where one was dropped the line is read back, and when its
    /// tokens would not come back the same, the spaces the source had are
    /// kept (only ever added to), and failing that the code is kept as written.
    mutating func render(file: SourceFile, tokens: [Token], roles: [SourceLayout.Role], level: Int) {
        indent = 2 * level
        guard let code else { return }
        let bytes = file.bytes
        if hasSkippedText || self.tokens.isEmpty {
            rendered = Array(bytes[code])
        } else {
            let dropping: Bool
            (rendered, dropping) = spaced(bytes, tokens, roles, keepingSpaces: false)
            if dropping && !readsBack(rendered, bytes, tokens) {
                rendered = spaced(bytes, tokens, roles, keepingSpaces: true).text
                if !readsBack(rendered, bytes, tokens) { rendered = Array(bytes[code]) }
            }
        }
        width = indent + SourceFormatter.width(rendered)
    }

    /// The tokens with the spaces between them, and whether a space the
    /// source had was dropped.
    private func spaced(_ bytes: [UInt8], _ tokens: [Token], _ roles: [SourceLayout.Role], keepingSpaces: Bool) -> (text: [UInt8], dropping: Bool) {
        var out: [UInt8] = []
        var dropping = false
        for index in self.tokens {
            if index > self.tokens.lowerBound {
                let wasSpaced = tokens[index].span.start > tokens[index - 1].span.end
                if (keepingSpaces && wasSpaced) || Self.spaceBetween(index - 1, index, tokens, roles, line: self.tokens) {
                    out.append(UInt8(ascii: " "))
                } else if wasSpaced {
                    dropping = true
                }
            }
            out += bytes[tokens[index].span.start..<tokens[index].span.end]
        }
        return (out, dropping)
    }

    private func readsBack(_ text: [UInt8], _ bytes: [UInt8], _ tokens: [Token]) -> Bool {
        let again = Lexer.tokens(SourceFile(name: "<fmt>", text: String(decoding: text, as: UTF8.self)))
        guard again.count == self.tokens.count + 1 else { return false }
        for (offset, index) in self.tokens.enumerated() {
            let token = tokens[index], read = again[offset]
            guard token.span.end - token.span.start == read.span.end - read.span.start,
                  bytes[token.span.start..<token.span.end].elementsEqual(text[read.span.start..<read.span.end])
            else { return false }
        }
        return true
    }

    /// Whether one space separates tokens `a` and `b` (`b` is `a + 1`, on one line).
    static func spaceBetween(_ a: Int, _ b: Int, _ tokens: [Token], _ roles: [SourceLayout.Role], line: Range<Int>) -> Bool {
        let left = tokens[a].kind, right = tokens[b].kind
        let wasSpaced = tokens[b].span.start > tokens[a].span.end
        switch (left, right) {
        case (_, .rightParen): return roles[b] == .strayClose && wasSpaced
        case (.leftParen, _), (_, .comma), (_, .semicolon): return false
        case (.comma, _): return !isGroupedDigits(comma: a, tokens)
        case (.semicolon, _): return true
        case (.dotDot, _), (_, .dotDot): return false
        case (.slash, _): return isSpaced(a, tokens, line: line)
        case (_, .slash): return isSpaced(b, tokens, line: line)
        // `1h`, `5m`: a unit written against its number stays there.
        case (.number, .name): return wasSpaced
        default: break
        }
        switch (roles[a], roles[b]) {
        case (.unaryMinus, _): return false
        case (.binaryMinus, _): return isSpaced(a, tokens, line: line)
        case (_, .binaryMinus): return isSpaced(b, tokens, line: line)
        // `=` joining into `==`, `<=` or `>=` keeps its space.
        case (_, .pairEqual): return [.less, .greater, .equal].contains(left)
        case (.pairEqual, _): return right == .equal || right == .equalEqual
        default: break
        }
        if right == .leftParen, case .name = left { return roles[a] == .introducer }
        return true
    }

    /// `27,379` with no space either side of the comma: the checker says the
    /// comma does not group digits, and `27, 379` would hide it.
    static func isGroupedDigits(comma: Int, _ tokens: [Token]) -> Bool {
        guard comma > 0, comma + 1 < tokens.count, tokens[comma].joinedToPrevious, tokens[comma + 1].joinedToPrevious else { return false }
        guard case .number = tokens[comma + 1].kind else { return false }
        switch tokens[comma - 1].kind {
        case .number, .money: return true
        default: return false
        }
    }

    /// `/` and a binary `-` are written tight (`3000/day`, `$3/1M tokens`,
    /// the day `2026-11-01`) or with a space on each side (`chat /
    /// requests(chat)`, `a - b`), as the script has them; spaced on one side
    /// only, they are spaced on both.
    static func isSpaced(_ operator: Int, _ tokens: [Token], line: Range<Int>) -> Bool {
        let before = `operator` > line.lowerBound && tokens[`operator`].span.start > tokens[`operator` - 1].span.end
        let after = `operator` + 1 < line.upperBound && tokens[`operator` + 1].span.start > tokens[`operator`].span.end
        return before || after
    }
}
