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
                  let d = distance(bytes, Array(candidate.utf8), limit: limit) else { continue }
            if best.map({ d < $0.1 || (d == $0.1 && candidate < $0.0) }) ?? true {
                best = (candidate, d)
            }
        }
        return best?.0
    }

    static func hint(for name: String, in candidates: some Sequence<String>) -> String? {
        closest(to: name, in: candidates).map { "did you mean `\($0)`?" }
    }

    /// Levenshtein distance, or nil once it must exceed `limit` (when a whole
    /// row of the table does).
    static func distance<Element: Equatable>(_ a: [Element], _ b: [Element], limit: Int) -> Int? {
        if a.isEmpty { return b.count <= limit ? b.count : nil }
        if b.isEmpty { return a.count <= limit ? a.count : nil }
        var previous = [Int](repeating: 0, count: b.count + 1)
        for j in previous.indices { previous[j] = j }
        var row = previous
        for i in 1...a.count {
            row[0] = i
            var smallest = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                smallest = min(smallest, row[j])
            }
            if smallest > limit { return nil }
            swap(&previous, &row)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
