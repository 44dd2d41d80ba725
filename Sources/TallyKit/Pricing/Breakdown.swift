/// A workload's monthly bill, line by line, with the rate behind each line.
public struct Breakdown: Sendable {
    public struct Line: Sendable {
        /// `input`, `cache read`, `output`, …
        public var label: String
        /// How much is billed per month, in `unit`.
        public var quantity: Rational
        public var unit: String
        public var rate: Rate
        public var kind: RateKind
        /// Dollars per month.
        public var amount: Rational
    }

    public var name: String
    public var model: String
    public var modelDisplayName: String?
    public var region: String
    public var endpoint: Endpoint?
    public var mode: String
    public var requestsPerMonth: Rational
    public var inputTokens: Rational
    public var outputTokens: Rational
    public var cacheRead: Rational
    public var cacheWrite: Rational
    public var lines: [Line]
    /// Dollars per month.
    public var total: Rational
    /// Everything the estimate assumed because the script did not say.
    public var assumptions: [String]
    public var tags: [(key: String, value: String)]

    /// Dollars per request; nil when the workload makes no requests.
    public var perRequest: Rational? {
        requestsPerMonth.isZero ? nil : total.divided(by: requestsPerMonth)
    }

    /// Dollars per day (a month is 730 hours).
    public var perDay: Rational {
        total.multiplied(by: Rational(uncheckedNumerator: 12, denominator: 365)) ?? total
    }

    /// The total as a rate, the value of the workload in arithmetic.
    public var costRate: Quantity {
        let perSecond = total.divided(by: Units.month.factor) ?? .zero
        return Quantity(perSecond, .moneyPerTime, timeUnit: Units.month)
    }
}
