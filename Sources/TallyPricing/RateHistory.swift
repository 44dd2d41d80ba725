import TallyQuantities

/// A calendar day, `2026-08-21`; a month, `2026-08`, stands for its first day.
/// Rates take effect on a day (UTC) and apply until the next change.
package struct CatalogDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// year × 10,000 + month × 100 + day: ordered as the calendar is.
    let ordinal: Int

    /// nil unless `text` is `YYYY-MM-DD` or `YYYY-MM` naming a real day.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        let day = parts.count == 3 ? Int(parts[2]) ?? 0 : 1
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1, (1...lengths[month - 1]).contains(day) else { return nil }
        ordinal = year * 10_000 + month * 100 + day
    }

    package var description: String {
        let (year, month, day) = (ordinal / 10_000, ordinal / 100 % 100, ordinal % 100)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    package static func < (a: CatalogDay, b: CatalogDay) -> Bool { a.ordinal < b.ordinal }
}

extension Rate {
    /// The day the rate took effect; nil when it has always applied (or its
    /// `since` is not a day, which the language refuses).
    var effectiveDay: CatalogDay? { since.flatMap(CatalogDay.init) }
}

extension ModelPrice {
    /// Records `rate` in its scope: a rate with a `since` later than the one in
    /// force keeps that one in the history; otherwise it replaces it.
    package mutating func record(_ rate: Rate, in scope: RateScope) {
        var table = rates[scope] ?? [:]
        if let current = table[rate.kind], let day = rate.effectiveDay, current.effectiveDay.map({ $0 < day }) ?? true {
            earlier[scope, default: [:]][rate.kind, default: []].append(current)
        }
        table[rate.kind] = rate
        rates[scope] = table
    }

    /// The model as the catalog priced it on `day`: each rate the one in force
    /// then (marked with the change that replaced it), rates that took effect
    /// later left out.
    package func asOf(_ day: CatalogDay) -> ModelPrice {
        var past = self
        past.earlier = [:]
        var tables: [RateScope: [RateKind: Rate]] = [:]
        for (scope, table) in rates {
            var then: [RateKind: Rate] = [:]
            for (kind, current) in table {
                // Newest first: the first that took effect by `day`, and the one after it.
                let timeline = [current] + (earlier[scope]?[kind] ?? []).reversed()
                var next: Rate?
                for rate in timeline {
                    if rate.effectiveDay.map({ $0 <= day }) ?? true {
                        then[kind] = next.flatMap { n in n.since.map { rate.superseded(on: $0, by: n.amount) } } ?? rate
                        break
                    }
                    next = rate
                }
            }
            if !then.isEmpty { tables[scope] = then }
        }
        past.rates = tables
        return past
    }
}

extension Workload {
    /// Every catalog entry the workload names, read as of `day`.
    mutating func readAsOf(_ day: CatalogDay) {
        model = model?.asOf(day)
        self.guardrailService = self.guardrailService?.asOf(day)
        self.vectorStore = self.vectorStore?.asOf(day)
        self.embeddingModel = self.embeddingModel?.asOf(day)
        self.reranker = self.reranker?.asOf(day)
        self.retrievalService = self.retrievalService?.asOf(day)
        self.parsingService = self.parsingService?.asOf(day)
        self.importService = self.importService?.asOf(day)
    }
}
