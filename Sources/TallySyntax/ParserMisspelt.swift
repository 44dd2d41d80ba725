/// A statement that opens like a declaration, `WORD NAME <`, with `WORD` a
/// misspelt declaration word (`worklaod chat < … >`): one diagnostic naming
/// the word meant, and the whole block skipped, not a cascade of errors
/// about what follows it.
extension Parser {
    static let declarationWords = ["workload", "knowledge-base", "customization", "price", "cost", "guardrail",
                                   "agentcore", "data-automation", "usage"]

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
}
