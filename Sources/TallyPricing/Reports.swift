import TallyQuantities

/// What `compare`, `advise`, `forecast` and `show … by tag` produce: tables
/// computed by the pricing engine, never canned text.
package enum Report: Sendable {
    case comparison(Comparison)
    case advice(Advice)
    case forecast(Forecast)
    case tags(TagGroups)
}

/// A figure of a report that cannot be held exactly: the layer above says
/// where, and the report is not shown.
package struct InexactFigure: Error, Sendable {
    package init() {}
}

/// Every workload of a plan and their monthly total, summed once.
package struct PlanTotal: Sendable {
    /// What recurs every month; one-off costs are apart.
    package let breakdowns: [Breakdown]
    /// One-off costs, which `forecast` places in their month.
    package let oneOffs: [Breakdown]
    /// Dollars per month, and the high end when a workload is a range.
    package let total: Rational
    package let upperTotal: Rational
    /// The total as a rate, the value of `total` in arithmetic.
    package let costRate: Quantity

    package init(_ all: [Breakdown]) throws(InexactFigure) {
        let breakdowns = all.filter { $0.oneOffMonth == nil }
        let oneOffs = all.filter { $0.oneOffMonth != nil }
        // A script has one month; the rate is each workload's rate, summed.
        guard let total = Rational.sum(breakdowns.lazy.map(\.total)),
              let upper = Rational.sum(breakdowns.lazy.map(\.upperTotal)),
              let perSecond = Rational.sum(breakdowns.lazy.map(\.perSecond)),
              let upperPerSecond = Rational.sum(breakdowns.lazy.map { $0.high?.breakdown.perSecond ?? $0.perSecond })
        else { throw InexactFigure() }
        self.init(recurring: breakdowns, oneOffs: oneOffs, total: total, upperTotal: upper, perSecond: perSecond,
                  upperPerSecond: upperPerSecond)
    }

    /// From sums kept as the plan was declared (`PlanLedger`).
    init(recurring: [Breakdown], oneOffs: [Breakdown], total: Rational, upperTotal: Rational, perSecond: Rational,
         upperPerSecond: Rational) {
        self.breakdowns = recurring
        self.oneOffs = oneOffs
        self.total = total
        self.upperTotal = upperTotal
        self.costRate = Quantity(perSecond, .moneyPerTime, timeUnit: recurring.first?.monthUnit ?? Units.month, high: upperPerSecond)
    }
}

/// Variants of a workload side by side.
package struct Comparison: Sendable {
    package struct Row: Sendable {
        package let label: String
        package let breakdown: Breakdown

        package init(label: String, breakdown: Breakdown) {
            self.label = label
            self.breakdown = breakdown
        }
    }

    package let rows: [Row]
    /// Each row's monthly cost against the first row's, row by row.
    package let changes: [Rational]

    package init(rows: [Row]) throws(InexactFigure) {
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
package struct Advice: Sendable {
    /// What to weigh besides the money, for each kind of change.
    package enum Reason: Sendable, Equatable {
        /// Nothing retrieves from a knowledge base that bills this much a month.
        case idleKnowledgeBase(monthly: Rational)
        case oneOCU
        case batch
        /// Caching half of each prompt, when prompts reach the model's minimum.
        case caching(minimum: Rational)
        case cheaperModel(String)
        case globalEndpoint
        case provisioned(breakEvenPerDay: Rational, term: String)
        /// Guardrails screening the user's turn (at most these characters)
        /// and the response, not the whole prompt.
        case guardrailUserTurn(characters: Rational)
        /// AgentCore long-term memory from a self-managed (or overridden) strategy.
        case selfManagedMemory
        /// Data Automation custom output with no more fields than its rate includes.
        case includedFields(extra: Rational, included: Rational)
        /// Data Automation standard output for custom output that names no fields.
        case standardOutput
    }

    /// What the advisor saw and did not recommend.
    package enum Remark: Sendable, Equatable {
        case promptTooShort(workload: String, input: Rational, minimum: Rational, model: String)
        case provisionedBreakEven(workload: String, term: String, breakEvenPerDay: Rational, perDay: Rational)
        /// What each guardrail policy costs a month: for the record, never
        /// ranked as a saving.
        case guardrailPolicies(workload: String, policies: [String], monthly: [Rational])
    }

    package struct Recommendation: Sendable {
        /// What kind of change: `batch`, `caching`, `model`, `provisioned`,
        /// `endpoint`, `guardrails`, `knowledge-base`, `agentcore`, `data-automation`.
        package let kind: String
        package let workload: String
        /// The properties that change, as a script writes them
        /// (`mode batch`); nil when the advice is to remove the declaration.
        package let change: String?
        package let before: Breakdown
        /// The changed workload's estimate; nil when it is removed.
        package let after: Breakdown?
        /// What to weigh besides the money.
        package let note: Reason
        /// Dollars per month.
        package let saving: Rational

        init(kind: String, workload: String, change: String?, before: Breakdown, after: Breakdown?, note: Reason) throws(InexactFigure) {
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

    package let subject: String
    /// The monthly cost advised on.
    package let baseline: Rational
    package let recommendations: [Recommendation]
    /// Checks that found nothing to change, and why: for the reader's trust.
    package let notes: [Remark]
}

/// Month by month, compounding a monthly growth rate.
package struct Forecast: Sendable {
    package struct Month: Sendable {
        package let month: Int
        package let cost: Rational
        /// The high end, when the subject is a range.
        package let high: Rational?
        /// Under `month calendar`: the calendar month (`2026-11`) and its days.
        package let calendar: CalendarMonth?

        package init(month: Int, cost: Rational, high: Rational?, calendar: CalendarMonth? = nil) {
            self.month = month
            self.cost = cost
            self.high = high
            self.calendar = calendar
        }
    }

    package let subject: String
    /// Growth per month, as a share: 0.08 for 8%/month.
    package let growth: Rational
    package let months: [Month]
    /// Every month summed, and the high ends summed when the subject is a range.
    package let total: Rational
    package let highTotal: Rational?

    package init(subject: String, growth: Rational, months: [Month]) throws(InexactFigure) {
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
    package static let maximumMonths = 1_200
    /// Each month's cost is kept to this many decimal places, so compounding
    /// stays exact decimal without growing past what Tally can hold.
    package static let fractionDigits = 12
}

/// Monthly cost grouped by the values of one tag.
package struct TagGroups: Sendable {
    package struct Group: Sendable {
        /// The tag's value; nil for the workloads without the tag.
        package let value: String?
        package let workloads: [String]
        package let cost: Rational
        package let high: Rational?

        package init(value: String?, workloads: [String], cost: Rational, high: Rational?) {
            self.value = value
            self.workloads = workloads
            self.cost = cost
            self.high = high
        }
    }

    package let key: String
    package let groups: [Group]
    /// Every group together, and its high end (the total for single values).
    package let total: Rational
    package let highTotal: Rational
    /// One-off costs, which no monthly group holds: named, never dropped.
    package let oneOffs: [String]

    package init(key: String, groups: [Group], total: Rational, highTotal: Rational, oneOffs: [String] = []) {
        self.key = key
        self.groups = groups
        self.total = total
        self.highTotal = highTotal
        self.oneOffs = oneOffs
    }
}
