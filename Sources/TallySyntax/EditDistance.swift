/// How many single-letter edits turn one word into another: for "did you
/// mean" hints, here (keywords) and in the language (names, models, units).
package enum EditDistance {
    /// Levenshtein distance, or nil once it must exceed `limit` (when a whole
    /// row of the table does).
    package static func levenshtein<Element: Equatable>(_ a: [Element], _ b: [Element], limit: Int) -> Int? {
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
