import TallyPricing

/// What a Bedrock token usage type bills: `REGIONCODE-MODEL-TOKENCLASS[-TIER][-ROUTING]`,
/// `USE1-Claude4.5Sonnet-cache-write-input-token-count-1-hour`,
/// `USE1-Nova2.0Lite-input-tokens-flex`, `USE1-Claude4.5Sonnet-output-tokens-cross-region-global`.
/// The token class, tier and routing are read by `AWSUsageType` (what the
/// price list import reads), the region and model through `UsageTypeNames`.
package struct BedrockUsageType: Sendable, Equatable {
    package let region: String
    /// The catalog's name.
    package let model: String
    package let meter: TokenMeter
    /// `batch`, `flex` or `priority`, or nil for on-demand (standard).
    package let tier: String?
    package let endpoint: Endpoint

    package var mode: Workload.Mode { tier.map { .tier($0) } ?? .onDemand }

    /// The token class as a group key: `input`, `cache read`, `cache write 1h`, `output`.
    package var tokenClass: String { meter.label }

    /// The usage type read, or why it is not one Tally prices.
    package static func read(_ usageType: String, catalog: Catalog) -> Result<BedrockUsageType, AWSUsageType.Unmapped> {
        func fail(_ reason: String) -> Result<BedrockUsageType, AWSUsageType.Unmapped> { .failure(.init(reason: reason)) }
        guard let dash = usageType.firstIndex(of: "-") else { return fail("not REGION-MODEL-TOKENS") }
        let code = String(usageType[..<dash])
        guard let region = UsageTypeNames.regions[code] else { return fail("region code `\(code)` is not in Tally's table") }
        guard let part = modelPart(of: usageType) else {
            return fail("no token class (input, output, cache read or write) after a model")
        }
        guard let model = model(part, catalog: catalog) else { return fail("model `\(part)` is not in Tally's table or catalog") }

        // The classic SKUs price per 1K tokens; the unit here only chooses the shift, which a CUR does not use.
        let meter: AWSUsageType.Meter
        switch AWSUsageType.meter(usageType: usageType, unit: "1k tokens") {
        case .success(let m): meter = m
        case .failure(let why): return .failure(why)
        }
        var name = meter.kind.name
        var tier: String?
        for candidate in RateKind.serviceTiers where name.hasPrefix(candidate + "-") {
            tier = candidate
            name = String(name.dropFirst(candidate.count + 1))
        }
        guard let tokenMeter = TokenMeter.allCases.first(where: { $0.rateKind.name == name }) else {
            return fail("`\(meter.kind.name)` is not a token meter")
        }
        return .success(BedrockUsageType(region: region, model: model, meter: tokenMeter, tier: tier,
                                         endpoint: meter.global ? .global : .regional))
    }

    /// What precedes the token class after the region code: `Claude4.5Sonnet`
    /// in `USE1-Claude4.5Sonnet-input-tokens`; nil when there is no token class.
    package static func modelPart(of usageType: String) -> String? {
        guard let dash = usageType.firstIndex(of: "-") else { return nil }
        let segments = usageType[usageType.index(after: dash)...].split(separator: "-", omittingEmptySubsequences: false)
        let classStarts: Set<String> = ["input", "output", "cache", "cacheread", "cachewrite"]
        guard let at = segments.firstIndex(where: { classStarts.contains($0.lowercased()) }), at > 0 else { return nil }
        return segments[..<at].joined(separator: "-")
    }

    /// The catalog name for a usage type's model part: the reviewed table,
    /// else a catalog name or Bedrock id as written (`-mantle` SKUs embed the id).
    package static func model(_ part: String, catalog: Catalog) -> String? {
        if let name = UsageTypeNames.models[part.lowercased()] { return name }
        if let name = catalog.canonicalName(part) { return name }
        if part.hasSuffix("-mantle"), let name = catalog.canonicalName(String(part.dropLast("-mantle".count))) { return name }
        return nil
    }
}
