import TallyPricing

/// What `tally usage --by` groups on.
package enum UsageKey: Sendable, Hashable, CustomStringConvertible {
    case model, region, day, month, operation, principal, profile, account
    case tag(String)

    package init?(_ text: String) {
        switch text {
        case "model": self = .model
        case "region": self = .region
        case "day": self = .day
        case "month": self = .month
        case "operation": self = .operation
        case "principal": self = .principal
        case "profile": self = .profile
        case "account": self = .account
        default:
            guard text.hasPrefix("tag:"), text.count > 4 else { return nil }
            self = .tag(String(text.dropFirst(4)))
        }
    }

    package var description: String {
        switch self {
        case .model: "model"
        case .region: "region"
        case .day: "day"
        case .month: "month"
        case .operation: "operation"
        case .principal: "principal"
        case .profile: "profile"
        case .account: "account"
        case .tag(let name): "tag:" + name
        }
    }

    /// What a record missing the field groups under.
    package static let none = "(none)"
}

/// Tokens by class and atto-dollars by meter, summed over records.
package struct UsageTotals: Sendable {
    package var records = 0
    /// Failed calls in the group, when the run groups them (`groupFailed`).
    package var failed = 0
    /// input (without cache), cache read, cache write, output.
    package var tokens: [Int128] = [0, 0, 0, 0]
    /// Atto-dollars on each `TokenMeter`.
    package var atto = [Int128](repeating: 0, count: TokenMeter.allCases.count)

    package var totalAtto: Int128? {
        var sum: Int128 = 0
        for a in atto {
            guard case let (next, false) = sum.addingReportingOverflow(a) else { return nil }
            sum = next
        }
        return sum
    }

    /// Adds `other`; false when a sum does not fit.
    package mutating func add(_ other: UsageTotals) -> Bool {
        records += other.records
        failed += other.failed
        for i in tokens.indices {
            guard case let (next, false) = tokens[i].addingReportingOverflow(other.tokens[i]) else { return false }
            tokens[i] = next
        }
        for i in atto.indices {
            guard case let (next, false) = atto[i].addingReportingOverflow(other.atto[i]) else { return false }
            atto[i] = next
        }
        return true
    }

    package init() {}

    /// The tokens a meter billed: cache writes on the 1-hour meter or the
    /// 5-minute one, never both.
    package func tokens(on meter: TokenMeter, oneHour: Bool) -> Int128 {
        switch meter {
        case .input: tokens[0]
        case .cacheRead: tokens[1]
        case .cacheWrite: oneHour ? 0 : tokens[2]
        case .cacheWrite1h: oneHour ? tokens[2] : 0
        case .output: tokens[3]
        }
    }

    /// One record, or `records` summed into one; `charges` (per meter) nil for unpriced ones.
    init(_ record: UsageRecord, charges: [Int128]?, records: Int = 1) {
        self.records = records
        tokens = [Int128(record.inputTokens), Int128(record.cacheReadTokens), Int128(record.cacheWriteTokens), Int128(record.outputTokens)]
        if let charges, charges.count == atto.count { atto = charges }
    }
}

/// Everything `tally usage` found: counts, priced groups, what could not be
/// priced or read. Merged from the workers, so every part is order-free.
package struct UsageReport: Sendable {
    package struct Counts: Sendable, Equatable {
        package var read = 0, priced = 0, unpriced = 0, failed = 0, malformed = 0, outsidePeriod = 0
        /// Left out by a `usage` declaration's `where`, `model` or `region`.
        package var filtered = 0
    }

    package struct UnpricedKey: Sendable, Hashable, Comparable {
        package let modelId: String
        package let region: String
        package let reason: String

        package static func < (a: UnpricedKey, b: UnpricedKey) -> Bool {
            (a.modelId, a.region, a.reason) < (b.modelId, b.region, b.reason)
        }
    }

    package struct Malformed: Sendable {
        /// The input's place on the command line, then the line: the order they are listed in.
        package let order: Int
        package let file: String
        package let line: Int
        package let reason: String
    }

    /// Malformed lines listed by place; the rest only counted.
    package static let malformedShown = 20
    /// Groups beyond this are refused: memory is bounded by groups.
    package static let maximumGroups = 100_000
    /// Unpriced model ids listed one by one; the rest share a line.
    package static let maximumUnpricedIds = 10_000

    package var by: [UsageKey] = []
    package var counts = Counts()
    package var first: Instant?
    package var last: Instant?
    /// Group key values (in `by` order) → model → totals.
    package var groups: [[String]: [String: UsageTotals]] = [:]
    package var unpriced: [UnpricedKey: UsageTotals] = [:]
    package var malformed: [Malformed] = []
    package var skipped: [SkippedPath] = []
    /// Inputs that could not be read, or sums that did not fit: exit 2.
    package var errors: [String] = []
    /// Per-request distributions, kept only when asked (`UsageOptions.calibrate`).
    package var calibration = Calibration()

    package init(by: [UsageKey]) { self.by = by }

    mutating func see(_ instant: Instant) {
        if first.map({ instant < $0 }) ?? true { first = instant }
        if last.map({ $0 < instant }) ?? true { last = instant }
    }

    mutating func addMalformed(order: Int, file: String, line: Int, reason: String) {
        counts.malformed += 1
        if malformed.count < UsageReport.malformedShown { malformed.append(Malformed(order: order, file: file, line: line, reason: reason)) }
    }

    mutating func add(_ totals: UsageTotals, model: String, key: [String]) {
        if groups[key] == nil, groups.count >= UsageReport.maximumGroups {
            fail("more than \(UsageReport.maximumGroups) groups")
            return
        }
        if !groups[key, default: [:]][model, default: UsageTotals()].add(totals) { fail("a group's sum is too large to hold") }
    }

    mutating func addUnpriced(_ totals: UsageTotals, key: UnpricedKey) {
        var key = key
        if unpriced[key] == nil, unpriced.count >= UsageReport.maximumUnpricedIds {
            // Still counted, with their tokens, in one line.
            key = UnpricedKey(modelId: "(other model ids)", region: UsageKey.none, reason: "more than \(UsageReport.maximumUnpricedIds) unpriced model ids")
        }
        if !unpriced[key, default: UsageTotals()].add(totals) { fail("an unpriced sum is too large to hold") }
    }

    mutating func fail(_ message: String) {
        if !errors.contains(message) { errors.append(message) }
    }

    /// Another worker's findings added to these.
    package mutating func merge(_ other: UsageReport) {
        counts.read += other.counts.read
        counts.priced += other.counts.priced
        counts.unpriced += other.counts.unpriced
        counts.failed += other.counts.failed
        counts.malformed += other.counts.malformed
        counts.outsidePeriod += other.counts.outsidePeriod
        counts.filtered += other.counts.filtered
        if let f = other.first { see(f) }
        if let l = other.last { see(l) }
        for (key, models) in other.groups {
            for (model, totals) in models { add(totals, model: model, key: key) }
        }
        for (key, totals) in other.unpriced { addUnpriced(totals, key: key) }
        malformed = Array((malformed + other.malformed).sorted { ($0.order, $0.line) < ($1.order, $1.line) }.prefix(UsageReport.malformedShown))
        for error in other.errors { fail(error) }
        skipped += other.skipped
        calibration.merge(other.calibration)
    }

    /// The groups in key order, each with its models in name order.
    package var sortedGroups: [(key: [String], models: [(name: String, totals: UsageTotals)])] {
        groups.map { (key: $0.key, models: $0.value.map { (name: $0.key, totals: $0.value) }.sorted { $0.name < $1.name }) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Every priced group summed.
    package var total: UsageTotals? {
        var sum = UsageTotals()
        for models in groups.values {
            for totals in models.values { guard sum.add(totals) else { return nil } }
        }
        return sum
    }
}
