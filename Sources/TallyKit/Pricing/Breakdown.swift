/// A line of text in a breakdown, written only when someone reads it, so
/// pricing does not pay for formatting that is never shown.
public struct Note: Sendable {
    let make: @Sendable () -> String
    /// Token counts come first among the assumptions.
    let isTokens: Bool

    public init(_ text: @autoclosure @escaping @Sendable () -> String, tokens: Bool = false) {
        self.make = text
        self.isTokens = tokens
    }

    public var text: String { make() }
}

/// A monthly bill, line by line, with the rate and source behind each line.
public struct Breakdown: Sendable {
    public struct Line: Sendable {
        /// `input`, `cache read`, `guardrail content`, `retries`, …
        public var label: String
        /// How much is billed per month, in `unit`.
        public var quantity: Rational
        public var unit: String
        /// What the rate is: a catalog rate (times a service-tier share), or a
        /// share or multiple of the lines before it.
        public enum Basis: Sendable {
            case rate(Rate, factor: Rate?)
            case share(Rational, of: Rational)
            case multiple(Rational, of: Rational)
        }
        public var basis: Basis

        /// The rate as people read it: `$3.00/1M tokens`, `4% of $520.00`.
        public var rateText: String {
            switch basis {
            case .rate(let rate, nil):
                return Format.rate(rate.amount, kind: rate.kind)
            case .rate(let rate, let factor?):
                let share = " (\(factor.kind.name) \(Format.percent(factor.amount)))"
                guard let effective = rate.amount.multiplied(by: factor.amount) else {
                    return Format.rate(rate.amount, kind: rate.kind) + " ×" + share
                }
                return Format.rate(effective, kind: rate.kind) + share
            case .share(let share, let base):
                return "\(Format.percent(share)) of \(Format.money(base))"
            case .multiple(let multiplier, let base):
                return "×\(Format.count(multiplier)) of \(Format.money(base))"
            }
        }
        /// The catalog rates the line was priced from (none for retries and
        /// contingency, which are shares of other lines).
        public var rates: [Rate] {
            guard case .rate(let rate, let factor) = basis else { return [] }
            return factor.map { [rate, $0] } ?? [rate]
        }
        /// Dollars per month.
        public var amount: Rational
    }

    public var name: String
    public var kind: Workload.Kind
    public var model: String
    public var modelDisplayName: String?
    public var region: String
    public var endpoint: Endpoint?
    public var mode: String
    /// Requests (or queries) per month; nil when the declaration has none.
    public var requestsPerMonth: Rational?
    public var inputTokens: Rational?
    public var outputTokens: Rational?
    public var cacheRead: Rational = .zero
    public var cacheWrite: Rational = .zero
    /// A short line of what the declaration does: `91,250 requests/month · …`.
    public var summaryNotes: [Note]
    public var summary: [String] { summaryNotes.map(\.text) }
    public var lines: [Line]
    /// Dollars per month.
    public var total: Rational
    /// Everything the estimate assumed because the script did not say.
    public var assumptionNotes: [Note]
    public var assumptions: [String] { assumptionNotes.map(\.text) }
    public var tags: [(key: String, value: String)]
    /// When the workload was given as ranges, its high end; this breakdown
    /// is then the low end.
    public var high: HighEnd?

    /// The high end of a workload given as ranges.
    public final class HighEnd: Sendable {
        public let workload: Workload
        public let breakdown: Breakdown

        public init(workload: Workload, breakdown: Breakdown) {
            self.workload = workload
            self.breakdown = breakdown
        }
    }

    /// The monthly total's high end (the total itself for a single value).
    public var upperTotal: Rational { high?.breakdown.total ?? total }

    /// Dollars per request; nil when the workload makes no requests.
    public internal(set) var perRequest: Rational? = nil
    /// Dollars per day (a month is 730 hours).
    public internal(set) var perDay: Rational = .zero
    /// Dollars per second: the total as a rate.
    public internal(set) var perSecond: Rational = .zero

    /// Works out the per-request, per-day and per-second figures from the
    /// total, once; false when one of them cannot be held exactly.
    mutating func deriveFigures() -> Bool {
        guard let day = total.multiplied(by: Rational(uncheckedNumerator: 12, denominator: 365)),
              let second = total.divided(by: Units.month.factor) else { return false }
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
    public var costRate: Quantity {
        Quantity(perSecond, .moneyPerTime, timeUnit: Units.month, high: high?.breakdown.perSecond ?? perSecond)
    }
}
