import TallyQuantities

/// A model's token tariff compiled to whole atto-dollars (10⁻¹⁸ $) per token,
/// to price single requests with integer arithmetic and no allocation: the
/// same tiers, meters and rates the estimator reads (`TokenTariff`), so the
/// two agree on every request (RequestQuoteTests holds them to it).
package struct RequestQuote: Sendable {
    struct Tier: Sendable {
        let above: Rational?
        /// Atto-dollars per token on each meter, in `TokenMeter` order: 0 for a
        /// meter the model does not bill, nil for one it has no rate for.
        let rates: [Int128?]
    }

    /// Highest threshold first, the base tier last; the thresholds lowest first.
    let tiers: [Tier]
    let thresholds: [Rational]
    static let atto = Rational(1_000_000_000_000_000_000)

    /// Atto-dollars as dollars, exactly; nil only for a value with no negation.
    package static func dollars(_ atto: Int128) -> Rational? { Rational(atto, 1_000_000_000_000_000_000) }

    /// nil when a rate is not a whole number of atto-dollars per token: the
    /// estimator prices those.
    package init?(tariff: TokenTariff) {
        var tiers: [Tier] = []
        for tier in tariff.tiers {
            var rates: [Int128?] = []
            for slot in tier.slots {
                if case .missing = slot {
                    rates.append(nil)
                    continue
                }
                guard let effective = slot.dollarsPerToken, let scaled = effective.multiplied(by: RequestQuote.atto),
                      scaled.isInteger else { return nil }
                rates.append(scaled.numerator)
            }
            tiers.append(Tier(above: tier.above, rates: rates))
        }
        self.tiers = tiers
        thresholds = tiers.compactMap(\.above).reversed()
    }

    package init?(model: ModelPrice, region: String, endpoint: Endpoint, mode: Workload.Mode = .onDemand) {
        self.init(tariff: TokenTariff(model: model, region: region, endpoint: endpoint, mode: mode))
    }

    /// The price of one request, exactly; nil when it needs a rate the model
    /// lacks (cache reads on a model without them, say), its counts are
    /// impossible, or the sum does not fit.
    package func price(input: Int, output: Int, cacheRead: Int = 0, cacheWrite: Int = 0, oneHour: Bool = false) -> Rational? {
        var sum: Int128 = 0
        var fits = true
        let refused = walk(prompt: Int128(input), output: Int128(output), cacheRead: Int128(cacheRead), cacheWrite: Int128(cacheWrite),
                           oneHour: oneHour, above: tier(forPrompt: Int128(input))) { _, amount in
            guard case let (next, false) = sum.addingReportingOverflow(amount) else { fits = false; return }
            sum = next
        }
        guard refused == nil, fits else { return nil }
        return RequestQuote.dollars(sum)
    }

    /// What one request costs on each meter.
    package enum Charges: Sendable, Equatable {
        /// Atto-dollars per meter, in `TokenMeter` order (0 where nothing was billed).
        case charged([Int128])
        /// The request bills a meter the model has no rate for.
        case noRate(TokenMeter)
        /// Negative counts, cache beyond the prompt, or a product that does not fit.
        case impossible
    }

    /// One request priced meter by meter; `prompt` counts every input token,
    /// cached or not.
    package func charges(prompt: Int128, output: Int128, cacheRead: Int128, cacheWrite: Int128, oneHour: Bool) -> Charges {
        charges(prompt: prompt, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite, oneHour: oneHour,
                tier: tier(forPrompt: prompt))
    }

    /// Like requests summed, priced meter by meter at the tier each of them
    /// fell into, `tier` (the threshold their prompts exceeded; nil: the base
    /// rates). A charge is linear in its tokens, so the sum of the requests'
    /// prices is the price of their sum.
    package func charges(prompt: Int128, output: Int128, cacheRead: Int128, cacheWrite: Int128, oneHour: Bool, tier: Rational?) -> Charges {
        var amounts = [Int128](repeating: 0, count: TokenMeter.allCases.count)
        if let refused = walk(prompt: prompt, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite, oneHour: oneHour, above: tier,
                              { meter, amount in amounts[meter.rawValue] = amount }) { return refused }
        return .charged(amounts)
    }

    /// The long-context threshold a prompt of `prompt` tokens is billed above, if any.
    package func tier(forPrompt prompt: Int128) -> Rational? { ModelPrice.tier(of: thresholds, inputTokens: Rational(prompt)) }

    /// The one rule both forms read, without allocating: each billed meter's
    /// atto-dollars to `charge`; nil when every meter was priced, else why not.
    private func walk(prompt: Int128, output: Int128, cacheRead: Int128, cacheWrite: Int128, oneHour: Bool, above: Rational?,
                      _ charge: (TokenMeter, Int128) -> Void) -> Charges? {
        guard let tokens = MeterTokens(prompt: prompt, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite, oneHour: oneHour)
        else { return .impossible }
        guard let tier = tiers.first(where: { $0.above == above }) else { return .impossible }
        for meter in TokenMeter.allCases where TokenTariff.bills(meter, tokens[meter]) {
            guard let rate = tier.rates[meter.rawValue] else { return .noRate(meter) }
            guard case let (product, false) = tokens[meter].multipliedReportingOverflow(by: rate) else { return .impossible }
            charge(meter, product)
        }
        return nil
    }
}
