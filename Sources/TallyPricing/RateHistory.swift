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
        guard year >= 1, year <= 9_999, (1...CalendarMonth.days(year: year, month: month)).contains(day) else { return nil }
        ordinal = year * 10_000 + month * 100 + day
    }

    package var description: String {
        let (year, month, day) = (ordinal / 10_000, ordinal / 100 % 100, ordinal % 100)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    package static func < (a: CatalogDay, b: CatalogDay) -> Bool { a.ordinal < b.ordinal }

    /// The calendar month the day falls in.
    package var calendarMonth: CalendarMonth { CalendarMonth(year: ordinal / 10_000, month: ordinal / 100 % 100) }
}

/// A month of the calendar, as `month calendar` forecasts by.
package struct CalendarMonth: Sendable, Hashable, CustomStringConvertible {
    package let year: Int
    package let month: Int

    /// Days in a month of the Gregorian calendar.
    static func days(year: Int, month: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    package var days: Int { CalendarMonth.days(year: year, month: month) }
    package var next: CalendarMonth { month == 12 ? CalendarMonth(year: year + 1, month: 1) : CalendarMonth(year: year, month: month + 1) }
    package var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

extension Rate {
    /// The day the rate took effect; nil when it has always applied (or its
    /// `since` is not a day, which the language refuses).
    var effectiveDay: CatalogDay? { since.flatMap(CatalogDay.init) }
}

extension ModelPrice {
    /// Records `rate` in its scope, by its date whatever the order blocks
    /// come in: a dated rate later than the one in force takes its place and
    /// keeps it in the history; an earlier one joins the history; an undated
    /// rate, or one of the same day, replaces the one in force.
    package mutating func record(_ rate: Rate, in scope: RateScope) {
        var table = rates[scope] ?? [:]
        defer { rates[scope] = table }
        guard let current = table[rate.kind], let day = rate.effectiveDay else {
            table[rate.kind] = rate
            return
        }
        let currentDay = current.effectiveDay
        if let currentDay, day < currentDay {
            var past = earlier[scope]?[rate.kind] ?? []
            past.insert(rate, at: past.firstIndex { $0.effectiveDay.map { day < $0 } ?? false } ?? past.endIndex)
            earlier[scope, default: [:]][rate.kind] = past
            return
        }
        if currentDay != day { earlier[scope, default: [:]][rate.kind, default: []].append(current) }
        table[rate.kind] = rate
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
    /// The catalog entries a workload's details may name, besides its model:
    /// everything `readAsOf` dates (a test holds it to every such field).
    static var catalogEntries: [WritableKeyPath<Details, ModelPrice?>] { [
        \.guardrailService, \.vectorStore, \.embeddingModel, \.reranker, \.retrievalService, \.parsingService, \.importService,
        \.agentCoreService,
    ] }

    /// Every catalog entry the workload names, read as of `day`.
    mutating func readAsOf(_ day: CatalogDay) {
        model = model?.asOf(day)
        for entry in Workload.catalogEntries { self[dynamicMember: entry] = self[dynamicMember: entry]?.asOf(day) }
    }
}
