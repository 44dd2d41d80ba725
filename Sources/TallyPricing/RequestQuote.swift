import TallyQuantities

/// One model's token rates in one place, compiled to whole atto-dollars
/// (10⁻¹⁸ $) per token, to price single requests with integer arithmetic: the
/// engine's rates and its rules (long-context tiers by input tokens, cache
/// reads and writes), at the cost of a few multiplications. Tests hold it
/// equal to `Engine.estimate` for single requests.
package struct RequestQuote: Sendable {
    struct Tier: Sendable {
        /// Input tokens a request must exceed for these rates.
        let above: Int128
        let input: Int128
        let output: Int128?
        let cacheRead: Int128?
        let cacheWrite: Int128?
        let cacheWrite1h: Int128?
    }

    /// Highest threshold first, then the base rates (threshold −1).
    let tiers: [Tier]
    static let atto = Rational(1_000_000_000_000_000_000)

    /// nil when a rate is not a whole number of atto-dollars per token, or the
    /// model has no input price there: the engine prices those.
    package init?(model: ModelPrice, region: String, endpoint: Endpoint) {
        func integer(_ kind: RateKind, _ input: Rational) -> Int128?? {
            guard let rate = model.rate(kind, region: region, endpoint: endpoint, inputTokens: input) else { return .some(nil) }
            guard let scaled = rate.amount.multiplied(by: RequestQuote.atto), scaled.isInteger else { return nil }
            return .some(scaled.numerator)
        }
        var tiers: [Tier] = []
        let thresholds = model.thresholds(region: region, endpoint: endpoint)
        for threshold in thresholds.reversed().map(Optional.some) + [nil] {
            // A request just past the threshold picks the tier's rates.
            var probe = Rational.zero
            if let threshold {
                guard let past = threshold.adding(.one) else { return nil }
                probe = past
            }
            guard let input = integer(.input, probe), let inputRate = input,
                  let output = integer(.output, probe), let read = integer(.cacheRead, probe),
                  let write = integer(.cacheWrite, probe), let write1h = integer(.cacheWrite1h, probe),
                  threshold.map(\.isInteger) ?? true
            else { return nil }
            tiers.append(Tier(above: threshold?.numerator ?? -1, input: inputRate, output: output, cacheRead: read,
                              cacheWrite: write, cacheWrite1h: write1h))
        }
        self.tiers = tiers
    }

    /// The price of one request, exactly; nil when it needs a rate the model
    /// lacks (cache reads on a model without them, say) or does not fit.
    package func price(input: Int, output: Int, cacheRead: Int = 0, cacheWrite: Int = 0, oneHour: Bool = false) -> Rational? {
        guard input >= 0, output >= 0, cacheRead >= 0, cacheWrite >= 0 else { return nil }
        let total = Int128(input)
        guard let tier = tiers.first(where: { total > $0.above }) else { return nil }
        let uncached = total - Int128(cacheRead) - Int128(cacheWrite)
        guard uncached >= 0 else { return nil }
        var sum: Int128 = 0
        func add(_ tokens: Int128, _ rate: Int128?) -> Bool {
            guard tokens > 0 else { return true }
            guard let rate, case let (product, false) = tokens.multipliedReportingOverflow(by: rate),
                  case let (next, false) = sum.addingReportingOverflow(product) else { return false }
            sum = next
            return true
        }
        guard add(uncached, tier.input), add(Int128(output), tier.output), add(Int128(cacheRead), tier.cacheRead),
              add(Int128(cacheWrite), oneHour ? tier.cacheWrite1h : tier.cacheWrite) else { return nil }
        return Rational(sum, 1_000_000_000_000_000_000)
    }
}
