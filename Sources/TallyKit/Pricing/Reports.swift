/// What `compare`, `advise`, `forecast` and `show … by tag` produce: tables
/// computed by the pricing engine, never canned text.
public enum Report: Sendable {
    case comparison(Comparison)
    case advice(Advice)
    case forecast(Forecast)
    case tags(TagGroups)
}

/// Variants of a workload side by side.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public let label: String
        public let breakdown: Breakdown
    }

    public let rows: [Row]

    /// Each row's monthly cost against the first row's.
    public func change(_ row: Row) -> Rational? {
        guard let first = rows.first else { return nil }
        return row.breakdown.total.subtracting(first.breakdown.total)
    }
}

/// Recommendations, ranked by what they save per month.
public struct Advice: Sendable {
    public struct Recommendation: Sendable {
        /// What kind of change: `batch`, `caching`, `model`, `provisioned`,
        /// `endpoint`, `guardrails`, `knowledge-base`.
        public let kind: String
        public let workload: String
        /// The properties that change, as a script writes them
        /// (`mode batch`); nil when the advice is to remove the declaration.
        public let change: String?
        public let before: Breakdown
        /// The changed workload's estimate; nil when it is removed.
        public let after: Breakdown?
        /// What to weigh besides the money.
        public let note: String

        /// Dollars per month.
        public var saving: Rational { before.total.subtracting(after?.total ?? .zero) ?? .zero }
    }

    public let subject: String
    /// The monthly cost advised on.
    public let baseline: Rational
    public let recommendations: [Recommendation]
    /// Checks that found nothing to change, and why: for the reader's trust.
    public let notes: [String]
}

/// Month by month, compounding a monthly growth rate.
public struct Forecast: Sendable {
    public struct Month: Sendable {
        public let month: Int
        public let cost: Rational
        /// The high end, when the subject is a range.
        public let high: Rational?
    }

    public let subject: String
    /// Growth per month, as a share: 0.08 for 8%/month.
    public let growth: Rational
    public let months: [Month]

    public var total: Rational { months.reduce(.zero) { $0.adding($1.cost) ?? $0 } }
    public var highTotal: Rational? {
        guard months.contains(where: { $0.high != nil }) else { return nil }
        return months.reduce(.zero) { $0.adding($1.high ?? $1.cost) ?? $0 }
    }

    /// Months of a forecast at most: a century.
    public static let maximumMonths = 1_200
    /// Each month's cost is kept to this many decimal places, so compounding
    /// stays exact decimal without growing past what Tally can hold.
    public static let fractionDigits = 12
}

/// Monthly cost grouped by the values of one tag.
public struct TagGroups: Sendable {
    public struct Group: Sendable {
        /// The tag's value; nil for the workloads without the tag.
        public let value: String?
        public let workloads: [String]
        public let cost: Rational
        public let high: Rational?
    }

    public let key: String
    public let groups: [Group]
}
