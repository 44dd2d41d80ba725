/// What `compare`, `advise`, `forecast` and `show … by tag` produce: tables
/// computed by the pricing engine, never canned text.
public enum Report: Sendable {
    case comparison(Comparison)
    case advice(Advice)
    case forecast(Forecast)
    case tags(TagGroups)
}

/// A figure of a report that cannot be held exactly: the layer above says
/// where, and the report is not shown.
public struct InexactFigure: Error, Sendable {
    public init() {}
}

/// Every workload of a plan and their monthly total, summed once.
public struct PlanTotal: Sendable {
    public let breakdowns: [Breakdown]
    /// Dollars per month, and the high end when a workload is a range.
    public let total: Rational
    public let upperTotal: Rational
    /// The total as a rate, the value of `total` in arithmetic.
    public let costRate: Quantity

    public init(_ breakdowns: [Breakdown]) throws(InexactFigure) {
        guard let total = Rational.sum(breakdowns.lazy.map(\.total)),
              let upper = Rational.sum(breakdowns.lazy.map(\.upperTotal)),
              let perSecond = total.divided(by: Units.month.factor),
              let upperPerSecond = upper.divided(by: Units.month.factor) else { throw InexactFigure() }
        self.breakdowns = breakdowns
        self.total = total
        self.upperTotal = upper
        self.costRate = Quantity(perSecond, .moneyPerTime, timeUnit: Units.month, high: upperPerSecond)
    }
}

/// Variants of a workload side by side.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public let label: String
        public let breakdown: Breakdown
    }

    public let rows: [Row]
    /// Each row's monthly cost against the first row's, row by row.
    public let changes: [Rational]

    public init(rows: [Row]) throws(InexactFigure) {
        var changes: [Rational] = []
        for row in rows {
            guard let first = rows.first, let change = row.breakdown.total.subtracting(first.breakdown.total) else { throw InexactFigure() }
            changes.append(change)
        }
        self.rows = rows
        self.changes = changes
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
        public let saving: Rational

        init(kind: String, workload: String, change: String?, before: Breakdown, after: Breakdown?, note: String) throws(InexactFigure) {
            // Removing a declaration saves all of it.
            var saving = before.total
            if let after {
                guard let difference = before.total.subtracting(after.total) else { throw InexactFigure() }
                saving = difference
            }
            self.kind = kind
            self.workload = workload
            self.change = change
            self.before = before
            self.after = after
            self.note = note
            self.saving = saving
        }
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
    /// Every month summed, and the high ends summed when the subject is a range.
    public let total: Rational
    public let highTotal: Rational?

    public init(subject: String, growth: Rational, months: [Month]) throws(InexactFigure) {
        guard let total = Rational.sum(months.lazy.map(\.cost)) else { throw InexactFigure() }
        var highTotal: Rational?
        if months.contains(where: { $0.high != nil }) {
            guard let high = Rational.sum(months.lazy.map { $0.high ?? $0.cost }) else { throw InexactFigure() }
            highTotal = high
        }
        self.subject = subject
        self.growth = growth
        self.months = months
        self.total = total
        self.highTotal = highTotal
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
    /// Every group together, and its high end (the total for single values).
    public let total: Rational
    public let highTotal: Rational
}
