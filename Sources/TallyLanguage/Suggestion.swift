import TallyQuantities
import TallySyntax
import TallyPricing

/// "Did you mean …?" by edit distance.
package enum Suggestion {
    /// Names longer than this (in bytes) get no suggestion, and are never
    /// suggested: the work stays small whatever the input.
    static let maximumNameBytes = 64

    /// The closest candidate within a distance that grows with the name's length.
    package static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        guard name.utf8.count <= maximumNameBytes else { return nil }
        // Bytes, not characters: names are ASCII (the lexer's can be nothing
        // else), and a byte count costs nothing. Elsewhere a typo in a
        // non-ASCII letter counts as two edits.
        let bytes = Array(name.utf8)
        let limit = max(1, min(3, bytes.count / 3))
        var best: (String, Int)?
        for candidate in candidates where candidate.utf8.count <= maximumNameBytes {
            guard abs(candidate.utf8.count - bytes.count) <= limit,
                  let d = EditDistance.levenshtein(bytes, Array(candidate.utf8), limit: limit) else { continue }
            if best.map({ d < $0.1 || (d == $0.1 && candidate < $0.0) }) ?? true {
                best = (candidate, d)
            }
        }
        return best?.0
    }

    /// The model names of the same family as `name`, the only ones a "did you
    /// mean" may offer for it: an unknown `anthropic.claude-opus-9` may be
    /// told of an Opus, never of a Llama. A family is the first word of the
    /// model's name (`opus`, `llama`, `nova`), one typo allowed in a word of
    /// four letters or more, and the provider where both names give one.
    /// The one candidate that begins with the same four letters or more as
    /// `name`, the longest such (`caching` → `cache`): a word's other form,
    /// too many edits away for `closest`. nil when none does, or two tie.
    static func sharedStem(_ name: String, in candidates: some Sequence<String>) -> String? {
        let word = Array(name.utf8)
        var best: (name: String, length: Int)?
        var tied = false
        for candidate in candidates {
            let other = Array(candidate.utf8)
            var length = 0
            while length < min(word.count, other.count), word[length] == other[length] { length += 1 }
            guard length >= 4 else { continue }
            if let current = best, current.length == length {
                tied = true
            } else if best == nil || length > best?.length ?? 0 {
                (best, tied) = ((candidate, length), false)
            }
        }
        return tied ? nil : best?.name
    }

    package static func models(like name: String, in candidates: some Sequence<String>) -> [String] {
        guard name.utf8.count <= maximumNameBytes else { return [] }
        let typed = family(name)
        return candidates.filter { candidate in
            guard candidate.utf8.count <= maximumNameBytes else { return false }
            let other = family(candidate)
            if let a = typed.provider, let b = other.provider, a != b { return false }
            if typed.word == other.word { return true }
            guard typed.word.count >= 4, other.word.count >= 4 else { return false }
            return EditDistance.levenshtein(Array(typed.word.utf8), Array(other.word.utf8), limit: 1) != nil
        }
    }

    /// `anthropic.claude-opus-4-5-v1:0` → (anthropic, opus); `llama-3.3-70b` → (nil, llama).
    static func family(_ name: String) -> (provider: Substring?, word: Substring) {
        var rest = Substring(Catalog.withoutLiteLLMPrefix(name) ?? name)
        if let (_, base) = Catalog.splitProfile(String(rest)) { rest = Substring(base) }
        var provider: Substring?
        if let dot = rest.firstIndex(of: "."), rest[..<dot].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            provider = rest[..<dot]
            rest = rest[rest.index(after: dot)...]
        }
        if rest.hasPrefix("claude-") { rest = rest.dropFirst("claude-".count) }
        let start = rest.firstIndex { $0.isASCII && $0.isLetter } ?? rest.endIndex
        let word = rest[start...].prefix { $0.isASCII && $0.isLetter }
        return (provider, word)
    }

    static func hint(for name: String, in candidates: some Sequence<String>) -> String? {
        closest(to: name, in: candidates).map { "did you mean `\($0)`?" }
    }
}
