import TallyQuantities

/// A monthly bill, line by line, with the rate and source behind each line.
package struct Breakdown: Sendable {
    package struct Line: Sendable {
        /// `input`, `cache read`, `guardrail content`, `retries`, …
        package var label: String
        /// How much is billed per month, in `unit`.
        package var quantity: Rational
        package var unit: String
        /// What the rate is: a catalog rate (times a service-tier share), or a
        /// share or multiple of the lines before it.
        package enum Basis: Sendable {
            case rate(Rate, factor: Rate?)
            case share(Rational, of: Rational)
            case multiple(Rational, of: Rational)
        }
        package var basis: Basis

        /// The catalog rates the line was priced from (none for retries and
        /// contingency, which are shares of other lines).
        package var rates: [Rate] {
            guard case .rate(let rate, let factor) = basis else { return [] }
            return factor.map { [rate, $0] } ?? [rate]
        }
        /// Dollars per month.
        package var amount: Rational
        /// Billed per month whatever its length (a fee, storage held a month),
        /// not per hour or per request: a calendar forecast keeps it whole.
        package var heldPerMonth = false
    }

    package var name: String
    package var kind: Workload.Kind
    package var model: String
    package var modelDisplayName: String?
    package var region: String
    package var endpoint: Endpoint?
    package var mode: String
    /// Requests (or queries) per month; nil when the declaration has none.
    package var requestsPerMonth: Rational?
    package var inputTokens: Rational?
    package var outputTokens: Rational?
    package var cacheRead: Rational = .zero
    package var cacheWrite: Rational = .zero
    /// A short line of what the declaration does: `91,250 requests/month · …`.
    package var summaryNotes: [Note]
    package var lines: [Line]
    /// Dollars per month.
    package var total: Rational
    /// Everything the estimate assumed because the script did not say.
    package var assumptionNotes: [Note]
    package var tags: [(key: String, value: String)]
    /// When the workload was given as ranges, its high end; this breakdown
    /// is then the low end.
    package var high: HighEnd?
    /// For a one-off cost, the forecast month it falls in: its total is paid
    /// once, not every month, and it is not part of a monthly total.
    package var oneOffMonth: Int? = nil

    /// The same estimate under another name (`let cheap = chat with < … >`
    /// is shown as `cheap`), its high end too.
    package func named(_ name: String) -> Breakdown {
        var renamed = self
        renamed.name = name
        if let high {
            var workload = high.workload
            workload.name = name
            renamed.high = HighEnd(workload: workload, breakdown: high.breakdown.named(name))
        }
        return renamed
    }

    /// The high end of a workload given as ranges.
    package final class HighEnd: Sendable {
        package let workload: Workload
        package let breakdown: Breakdown

        package init(workload: Workload, breakdown: Breakdown) {
            self.workload = workload
            self.breakdown = breakdown
        }
    }

    /// The part of the monthly total billed per month whatever its length;
    /// retries and contingency carry their share of it. nil when it cannot be
    /// held exactly.
    package var fixedPerMonth: Rational? {
        var (fixed, all) = (Rational.zero, Rational.zero)
        for line in lines {
            var part: Rational
            switch line.basis {
            case .rate: part = line.heldPerMonth ? line.amount : .zero
            case .share, .multiple:
                guard !all.isZero else { part = .zero; break }
                guard let share = fixed.divided(by: all), let scaled = line.amount.multiplied(by: share) else { return nil }
                part = scaled
            }
            guard let f = fixed.adding(part), let a = all.adding(line.amount) else { return nil }
            (fixed, all) = (f, a)
        }
        return fixed
    }

    /// The monthly total's high end (the total itself for a single value).
    package var upperTotal: Rational { high?.breakdown.total ?? total }

    /// Seconds in the month the figures are per (the script's; 730 hours unless it says).
    package var monthSeconds: Rational = Units.month.factor
    package var monthUnit: Unit { monthSeconds == Units.month.factor ? Units.month : .month(seconds: monthSeconds) }

    /// Dollars per request; nil when the workload makes no requests.
    package internal(set) var perRequest: Rational? = nil
    /// Dollars per day (a month is 730 hours).
    package internal(set) var perDay: Rational = .zero
    /// Dollars per second: the total as a rate.
    package internal(set) var perSecond: Rational = .zero

    /// Works out the per-request, per-day and per-second figures from the
    /// total, once; false when one of them cannot be held exactly.
    package mutating func deriveFigures() -> Bool {
        guard let days = monthSeconds.divided(by: Rational(86_400)), let day = total.divided(by: days),
              let second = total.divided(by: monthSeconds) else { return false }
        if let requests = requestsPerMonth, !requests.isZero {
            guard let request = total.divided(by: requests) else { return false }
            perRequest = request
        } else {
            perRequest = nil
        }
        perDay = day
        perSecond = second
        return true
    }

    /// The total as a rate, the value of the workload in arithmetic.
    package var costRate: Quantity {
        // A one-off cost is an amount, not a rate: it adds to no monthly figure.
        if oneOffMonth != nil { return Quantity(total, .money, high: upperTotal) }
        return Quantity(perSecond, .moneyPerTime, timeUnit: monthUnit, high: high?.breakdown.perSecond ?? perSecond)
    }
}

extension Breakdown {
    /// A bill built outside the engine (what logs measured), from its lines.
    package init(name: String, kind: Workload.Kind, model: String, modelDisplayName: String?, region: String, endpoint: Endpoint?,
                 mode: String, requestsPerMonth: Rational?, inputTokens: Rational?, outputTokens: Rational?, summaryNotes: [Note],
                 lines: [Line], total: Rational, assumptionNotes: [Note], tags: [(key: String, value: String)], high: HighEnd?) {
        self.name = name
        self.kind = kind
        self.model = model
        self.modelDisplayName = modelDisplayName
        self.region = region
        self.endpoint = endpoint
        self.mode = mode
        self.requestsPerMonth = requestsPerMonth
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.summaryNotes = summaryNotes
        self.lines = lines
        self.total = total
        self.assumptionNotes = assumptionNotes
        self.tags = tags
        self.high = high
    }
}

extension Breakdown.Line {
    package init(label: String, quantity: Rational, unit: String, basis: Basis, amount: Rational) {
        self.label = label
        self.quantity = quantity
        self.unit = unit
        self.basis = basis
        self.amount = amount
    }
}
