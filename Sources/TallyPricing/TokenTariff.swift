import TallyQuantities

/// The meters a model request bills tokens on.
package enum TokenMeter: Int, CaseIterable, Sendable {
    /// The prompt's tokens that neither read nor wrote the cache.
    case input
    case cacheRead
    /// Tokens written to the cache with the 5-minute or the 1-hour lifetime.
    case cacheWrite
    case cacheWrite1h
    case output

    /// The catalog rate the meter bills at, before any service tier.
    package var rateKind: RateKind {
        switch self {
        case .input: .input
        case .cacheRead: .cacheRead
        case .cacheWrite: .cacheWrite
        case .cacheWrite1h: .cacheWrite1h
        case .output: .output
        }
    }

    /// The breakdown line the meter's tokens appear on.
    package var label: String {
        switch self {
        case .input: "input"
        case .cacheRead: "cache read"
        case .cacheWrite: "cache write \(Workload.CacheTTL.fiveMinutes.rawValue)"
        case .cacheWrite1h: "cache write \(Workload.CacheTTL.oneHour.rawValue)"
        case .output: "output"
        }
    }

    /// A request always bills its input and output meters (a missing rate is an
    /// error even at zero tokens); the cache meters only when they were used.
    package var isAlwaysBilled: Bool { self == .input || self == .output }
}

/// A count of tokens the billing rules can split across meters: a per-request
/// average in estimates, a whole count in quotes.
package protocol TokenCount: Sendable {
    static var zero: Self { get }
    var isZero: Bool { get }
    var isNegative: Bool { get }
    /// nil on overflow.
    func subtracting(_ other: Self) -> Self?
}

extension Rational: TokenCount {}

extension Int128: TokenCount {
    package var isZero: Bool { self == 0 }
    package var isNegative: Bool { self < 0 }
    package func subtracting(_ other: Int128) -> Int128? {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? nil : difference
    }
}

/// One call's tokens on each meter. The one rule for splitting a prompt:
/// what was read from or written to the cache is not billed as input.
package struct MeterTokens<N: TokenCount>: Sendable {
    package let prompt: N
    package let input: N
    package let cacheRead: N
    package let cacheWrite: N
    package let output: N
    package let oneHour: Bool

    /// nil when a count is negative or the cache reads and writes exceed the prompt.
    package init?(prompt: N, output: N, cacheRead: N, cacheWrite: N, oneHour: Bool) {
        guard !prompt.isNegative, !output.isNegative, !cacheRead.isNegative, !cacheWrite.isNegative,
              let rest = prompt.subtracting(cacheRead), let uncached = rest.subtracting(cacheWrite), !uncached.isNegative
        else { return nil }
        self.prompt = prompt
        self.input = uncached
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
        self.output = output
        self.oneHour = oneHour
    }

    package subscript(meter: TokenMeter) -> N {
        switch meter {
        case .input: input
        case .cacheRead: cacheRead
        case .cacheWrite: oneHour ? .zero : cacheWrite
        case .cacheWrite1h: oneHour ? cacheWrite : .zero
        case .output: output
        }
    }
}

/// How one model bills tokens in one region, endpoint and mode: for each
/// long-context tier, the rate of each meter (times a service tier's share of
/// it). The estimator and the per-request quoter both read their rates and
/// rules here, so they cannot disagree.
package struct TokenTariff: Sendable {
    package enum Slot: Sendable {
        case priced(Rate, factor: Rate?)
        /// The model bills nothing on this meter (an embedding's output).
        case notBilled
        /// No rate: the error, and the property it is about.
        case missing(PricingError.Reason, property: String)

        /// Dollars per token, a service tier's share applied: zero when not
        /// billed; nil when missing or the product does not fit.
        package var dollarsPerToken: Rational? {
            switch self {
            case .notBilled: return .zero
            case .missing: return nil
            case .priced(let rate, let factor):
                guard let factor else { return rate.amount }
                return rate.amount.multiplied(by: factor.amount)
            }
        }
    }

    package struct Tier: Sendable {
        /// Input tokens a call must exceed for these rates; nil for the base tier.
        package let above: Rational?
        /// One slot per meter, in `TokenMeter` order.
        package let slots: [Slot]
    }

    package let model: String
    /// Highest threshold first, the base tier last: never empty.
    package let tiers: [Tier]

    package init(model: ModelPrice, region: String, endpoint: Endpoint, mode: Workload.Mode) {
        self.model = model.name
        var tiers: [Tier] = []
        let thresholds = model.thresholds(region: region, endpoint: endpoint)
        for threshold in thresholds.reversed().map(Optional.some) + [nil] {
            // A call just past the threshold picks the tier's rates; no count
            // can pass a threshold at the edge of what Tally holds.
            var probe = Rational.zero
            if let threshold {
                guard let past = threshold.adding(.one) else { continue }
                probe = past
            }
            tiers.append(Tier(above: threshold, slots: TokenTariff.slots(model, region: region, endpoint: endpoint, mode: mode, inputTokens: probe)))
        }
        self.tiers = tiers
    }

    /// The one tier a call with `input` prompt tokens is billed at, resolved
    /// alone: what an estimate needs, without the model's other tiers.
    package static func tier(of model: ModelPrice, region: String, endpoint: Endpoint, mode: Workload.Mode, forInput input: Rational) -> Tier {
        Tier(above: model.tier(region: region, endpoint: endpoint, inputTokens: input),
             slots: slots(model, region: region, endpoint: endpoint, mode: mode, inputTokens: input))
    }

    static func slots(_ model: ModelPrice, region: String, endpoint: Endpoint, mode: Workload.Mode, inputTokens: Rational) -> [Slot] {
        TokenMeter.allCases.map { meter in
            slot(meter, model: model, region: region, endpoint: endpoint, mode: mode, inputTokens: inputTokens)
        }
    }

    static func slot(_ meter: TokenMeter, model: ModelPrice, region: String, endpoint: Endpoint, mode: Workload.Mode,
                     inputTokens: Rational) -> Slot {
        if meter == .output, model.kind != .text { return .notBilled }
        let kind = meter.rateKind
        let property: String
        let hint: PricingError.RateHint
        switch meter {
        case .input: (property, hint) = ("input", .declare)
        case .output: (property, hint) = ("output", .declare)
        case .cacheRead: (property, hint) = ("cache", .promptCache)
        case .cacheWrite: (property, hint) = ("cache", .declare)
        case .cacheWrite1h: (property, hint) = ("cache", .oneHourCache)
        }
        func base() -> Slot {
            guard let rate = model.rate(kind, region: region, endpoint: endpoint, inputTokens: inputTokens) else {
                return .missing(.noRate(model: model.name, kind: kind, region: region, hint: hint), property: property)
            }
            return .priced(rate, factor: nil)
        }
        // A service tier reprices input and output: its own rates, or a share of the on-demand ones.
        guard case .tier(let tier) = mode, meter.isAlwaysBilled else { return base() }
        let explicit = meter == .input ? RateKind.tierInput(tier) : RateKind.tierOutput(tier)
        if let rate = model.rate(explicit, region: region, endpoint: endpoint, inputTokens: inputTokens) {
            return .priced(rate, factor: nil)
        }
        guard let factor = model.rate(RateKind(tier), region: region, endpoint: endpoint) else {
            return .missing(.noTier(model: model.name, tier: tier, region: region), property: "mode")
        }
        let onDemand = base()
        guard case .priced(let rate, _) = onDemand else { return onDemand }
        return .priced(rate, factor: factor)
    }

    /// Whether a meter with these tokens is billed.
    package static func bills(_ meter: TokenMeter, _ tokens: some TokenCount) -> Bool {
        meter.isAlwaysBilled || !tokens.isZero
    }
}
