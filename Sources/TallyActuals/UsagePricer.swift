import TallyPricing

/// Prices log records through the pricing core: a record's model id is
/// resolved by the catalog (names, Bedrock ids, inference-profile prefixes,
/// declared application profiles), and its rates, as in force on the
/// record's day, are compiled once per model, region, endpoint, tier and day
/// into a `RequestQuote`.
package struct UsagePricer {
    /// A model id as the catalog reads it.
    package struct Resolution: Sendable {
        package let model: ModelPrice?
        /// Set when the model is unknown or not priced per token.
        package let reason: String?
        package let endpoint: Endpoint
        /// `global`, `us`, … for a system profile, the ARN of an application
        /// profile, or `none`.
        package let profile: String
        /// A declared application profile's tags: they attribute its records
        /// where the record's own `requestMetadata` does not say.
        package var tags: [(key: String, value: String)] = []

        /// The record's value for a tag key, else its profile's.
        package func tag(_ key: String, of record: UsageRecord) -> String? {
            record.metadata.first { $0.key == key }?.value ?? tags.first { $0.key == key }?.value
        }
    }

    struct QuoteKey: Hashable {
        let model: String
        let region: String
        let endpoint: Endpoint
        let tier: String?
        let day: Int64
    }

    /// A record priced: the model's name and atto-dollars per meter; or why not.
    package enum Priced {
        case priced(model: String, charges: [Int128])
        case unpriced(reason: String)
    }

    let catalog: Catalog
    let oneHour: Bool
    private var resolutions: [String: Resolution] = [:]
    private var quotes: [QuoteKey: Result<RequestQuote, UnpricedReason>] = [:]

    struct UnpricedReason: Error {
        let text: String
    }

    package init(catalog: Catalog, oneHour: Bool) {
        self.catalog = catalog
        self.oneHour = oneHour
    }

    package mutating func resolve(_ modelId: String) -> Resolution {
        if let known = resolutions[modelId] { return known }
        let resolution: Resolution
        if let profile = catalog.profile(named: modelId) {
            resolution = Resolution(model: catalog.model(named: modelId), reason: nil, endpoint: profile.endpoint ?? .regional, profile: modelId,
                                    tags: profile.tags)
        } else if modelId.hasPrefix("arn:") {
            let reason = modelId.contains(":application-inference-profile/")
                ? "application inference profile not declared (a `profile` in --script)"
                : modelId.contains(":prompt-router/") ? "prompt router (the model it chose is not logged)" : "unknown model"
            resolution = Resolution(model: nil, reason: reason, endpoint: .regional, profile: modelId.contains(":application-inference-profile/") ? modelId : "none")
        } else {
            let prefix = Catalog.splitProfile(modelId).map { _ in String(modelId.prefix { $0 != "." }) } ?? "none"
            // A base id is invoked in its region: the regional (in-region) rates.
            let endpoint = catalog.endpoint(forReference: modelId) ?? .regional
            let model = catalog.model(named: modelId)
            let reason = model == nil ? "unknown model" : model?.kind == .text || model?.kind == .embedding ? nil : "not billed per token"
            resolution = Resolution(model: reason == nil ? model : nil, reason: reason, endpoint: endpoint, profile: prefix)
        }
        if resolutions.count < 100_000 { resolutions[modelId] = resolution }
        return resolution
    }

    /// The record's price on each meter, or the reason it has none.
    /// `promptOver`, for records an engine summed, is the highest long-context
    /// threshold each of their prompts exceeded (0: none), which sets their tier.
    package mutating func price(_ record: UsageRecord, _ resolution: Resolution, promptOver: Int64? = nil) -> Priced {
        guard let model = resolution.model else { return .unpriced(reason: resolution.reason ?? "unknown model") }
        guard let region = record.region else { return .unpriced(reason: "no region in the record") }
        var tier: String?
        switch record.serviceTier {
        case nil, "default", "standard", "on-demand": tier = nil
        case "flex", "priority": tier = record.serviceTier
        case "reserved": return .unpriced(reason: "reserved tier (billed by reservation, not per token)")
        case let other?: return .unpriced(reason: "unknown service tier \(other)")
        }
        let key = QuoteKey(model: model.name, region: region, endpoint: resolution.endpoint, tier: tier, day: record.timestamp.day)
        let compiled: Result<RequestQuote, UnpricedReason>
        if let cached = quotes[key] {
            compiled = cached
        } else {
            compiled = UsagePricer.compile(model, key: key, day: record.timestamp.dayText)
            if quotes.count < 100_000 { quotes[key] = compiled }
        }
        let quote: RequestQuote
        switch compiled {
        case .success(let q): quote = q
        case .failure(let reason): return .unpriced(reason: reason.text)
        }
        let prompt = Int128(record.inputTokens) + Int128(record.cacheReadTokens) + Int128(record.cacheWriteTokens)
        // Each summed prompt exceeded `over` and no higher threshold of the
        // query's, which holds every threshold of the catalog's: its tier is
        // that of a prompt of `over + 1`.
        let billedAbove = quote.tier(forPrompt: promptOver.map { Int128($0) + 1 } ?? prompt)
        switch quote.charges(prompt: prompt, output: Int128(record.outputTokens), cacheRead: Int128(record.cacheReadTokens),
                             cacheWrite: Int128(record.cacheWriteTokens), oneHour: oneHour, tier: billedAbove) {
        case .charged(let amounts): return .priced(model: model.name, charges: amounts)
        case .noRate(let meter): return .unpriced(reason: "no \(meter.label) rate in \(region)")
        case .impossible: return .unpriced(reason: "token counts too large to price")
        }
    }

    static func compile(_ model: ModelPrice, key: QuoteKey, day: String) -> Result<RequestQuote, UnpricedReason> {
        guard let catalogDay = CatalogDay(day) else { return .failure(UnpricedReason(text: "no rate on \(day)")) }
        let then = model.asOf(catalogDay)
        guard then.hasRates(region: key.region) else { return .failure(UnpricedReason(text: "no rate in \(key.region)")) }
        guard !then.pricesByEndpoint || then.hasRates(region: key.region, endpoint: key.endpoint) else {
            return .failure(UnpricedReason(text: "no \(key.endpoint.rawValue)-endpoint rate in \(key.region)"))
        }
        let mode: Workload.Mode = key.tier.map { .tier($0) } ?? .onDemand
        let tariff = TokenTariff(model: then, region: key.region, endpoint: key.endpoint, mode: mode)
        for tier in tariff.tiers {
            for meter in TokenMeter.allCases where meter.isAlwaysBilled {
                if case .missing = tier.slots[meter.rawValue] {
                    let what = key.tier.map { "no \($0) tier" } ?? "no \(meter.label) rate"
                    return .failure(UnpricedReason(text: "\(what) in \(key.region)"))
                }
            }
        }
        guard let quote = RequestQuote(tariff: tariff) else {
            return .failure(UnpricedReason(text: "a rate is not a whole number of atto-dollars per token"))
        }
        return .success(quote)
    }
}
