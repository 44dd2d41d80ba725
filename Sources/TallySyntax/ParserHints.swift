/// What a newcomer writes that the parser can name the fix for.
///
/// A statement that opens like a declaration, `WORD NAME <`, with `WORD` a
/// misspelt declaration word (`worklaod chat < … >`): one diagnostic naming
/// the word meant, and the whole block skipped, not a cascade of errors
/// about what follows it. And digits grouped by commas, as a spreadsheet
/// writes them (`3,000`, `$27,379.20`).
extension Parser {
    /// The words that open a declaration: every `DeclarationKind`, and `price`.
    static let declarationWords = DeclarationKind.allCases.map(\.rawValue) + [Keyword.price.rawValue]

    /// The declaration word `tokens[index]` misspells, when it opens `WORD NAME <`.
    func misspeltDeclaration(at index: Int) -> String? {
        guard index + 2 < tokens.count, case .name(let word) = tokens[index].kind, case .name = tokens[index + 1].kind,
              tokens[index + 2].kind == .less, word.utf8.count <= 32 else { return nil }
        let limit = max(1, min(2, word.utf8.count / 3))
        var best: (word: String, distance: Int)?
        for candidate in Parser.declarationWords where candidate != word {
            guard let d = EditDistance.levenshtein(Array(word.utf8), Array(candidate.utf8), limit: limit) else { continue }
            if best == nil || d < best?.distance ?? .max { best = (candidate, d) }
        }
        return best?.word
    }

    /// Throws the misspelt word's diagnostic, having moved past the block's `>`.
    mutating func rejectMisspeltDeclaration(_ meant: String) throws(Diagnostic) -> Never {
        let word = current.span
        var depth = 0, parentheses = 0
        scan: while true {
            switch tokens[index].kind {
            case .end: break scan
            case .leftParen: parentheses += 1
            case .rightParen: parentheses = max(0, parentheses - 1)
            case .less where parentheses == 0: depth += 1
            case .greater where parentheses == 0:
                depth -= 1
                if depth == 0 {
                    index += 1
                    break scan
                }
            default: break
            }
            index += 1
        }
        throw error("unknown keyword `\(word.text)`", at: word, hints: ["did you mean `\(meant)`?"])
    }

    /// For `text` holding a `,` between a digit and exactly three digits: a
    /// hint giving the text grouped by `_` and not grouped; nil when it holds none.
    package static func digitGroupingHint(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        var underscored: [UInt8] = [], plain: [UInt8] = []
        for (i, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ","), isDigit(i - 1), isDigit(i + 1), isDigit(i + 2), isDigit(i + 3), !isDigit(i + 4) {
                underscored.append(UInt8(ascii: "_"))
                continue
            }
            underscored.append(byte)
            plain.append(byte)
        }
        guard plain.count < bytes.count else { return nil }
        return "`,` separates values in Tally, it does not group digits: write `\(String(decoding: underscored, as: UTF8.self))` "
            + "or `\(String(decoding: plain, as: UTF8.self))`"
    }

    /// The digit-grouping hint for the `,` at `comma` when no space parts it
    /// from the number before and the number after (`$27,379.20`).
    func digitGroupingHint(atComma comma: Int) -> String? {
        guard comma > 0, comma + 1 < tokens.count, tokens[comma].joinedToPrevious, tokens[comma + 1].joinedToPrevious,
              case .number = tokens[comma + 1].kind else { return nil }
        switch tokens[comma - 1].kind {
        case .number, .money: return Parser.digitGroupingHint(tokens[comma - 1].span.text + "," + tokens[comma + 1].span.text)
        default: return nil
        }
    }
}
