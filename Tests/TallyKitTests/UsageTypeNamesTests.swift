import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyPricing

/// The reviewed table of usage-type names holds to the catalog, and CUR usage
/// types read to the region, model, token class, tier and routing they bill.
@Suite struct UsageTypeNamesTests {
    static func catalog() throws -> Catalog { try BuiltinCatalog.loaded.get() }

    @Test func everyModelEntryIsACatalogTextModel() throws {
        let catalog = try Self.catalog()
        for (part, name) in UsageTypeNames.models.sorted(by: { $0.key < $1.key }) {
            #expect(part == part.lowercased(), "\(part) is looked up lower-cased")
            let model = catalog.model(named: name)
            #expect(model?.name == name, "\(part) → \(name) is no catalog model")
            #expect(model?.kind == .text || model?.kind == .embedding, "\(part) → \(name) is not priced by tokens")
        }
    }

    @Test func everyRegionCodeNamesARegion() {
        for (code, region) in UsageTypeNames.regions {
            #expect(code.count >= 2 && code.count <= 4 && code.allSatisfy { $0.isUppercase || $0.isNumber }, "\(code)")
            #expect(Catalog.isRegion(Substring(region)), "\(code) → \(region)")
        }
        // One code per region, but eu-west-1's two spellings.
        let regions = UsageTypeNames.regions.filter { $0.key != "EUW1" }.map(\.value)
        #expect(Set(regions).count == regions.count)
    }

    @Test(arguments: [
        ("USE1-Claude4.5Sonnet-input-tokens", "us-east-1", "sonnet-4.5", TokenMeter.input, nil, Endpoint.regional),
        ("USE1-Claude4.5Sonnet-output-tokens-cross-region-global", "us-east-1", "sonnet-4.5", .output, nil, .global),
        ("USE1-Claude4.5Sonnet-cache-read-input-token-count", "us-east-1", "sonnet-4.5", .cacheRead, nil, .regional),
        ("USE1-Claude4.5Sonnet-cache-write-input-token-count-1-hour", "us-east-1", "sonnet-4.5", .cacheWrite1h, nil, .regional),
        ("USW2-Claude4.5Haiku-cache-write-input-token-count-cross-region-global", "us-west-2", "haiku-4.5", .cacheWrite, nil, .global),
        ("USE1-Nova2.0Lite-input-tokens-flex", "us-east-1", "nova-2-lite", .input, "flex", .regional),
        ("USE1-gpt-oss-120b-output-tokens-priority", "us-east-1", "gpt-oss-120b", .output, "priority", .regional),
        ("USE1-NovaPro-input-tokens-batch", "us-east-1", "nova-pro", .input, "batch", .regional),
        ("EU-NovaMicro-output-tokens", "eu-west-1", "nova-micro", .output, nil, .regional),
        ("USE1-anthropic.claude-opus-4-8-mantle-input-tokens-standard", "us-east-1", "opus-4.8", .input, nil, .regional),
    ] as [(String, String, String, TokenMeter, String?, Endpoint)])
    func usageTypesRead(_ usageType: String, _ region: String, _ model: String, _ meter: TokenMeter, _ tier: String?,
                        _ endpoint: Endpoint) throws {
        let read = try BedrockUsageType.read(usageType, catalog: try Self.catalog()).get()
        #expect(read == BedrockUsageType(region: region, model: model, meter: meter, tier: tier, endpoint: endpoint))
    }

    @Test(arguments: [
        ("USE1-Claude9Sonnet-input-tokens", "model `Claude9Sonnet` is not in Tally's table or catalog"),
        ("XYZ9-NovaPro-input-tokens", "region code `XYZ9` is not in Tally's table"),
        ("USE1-MP:USE1_InputTokenCount-Units", "no token class (input, output, cache read or write) after a model"),
        ("USE1-NovaPro-input-tokens-latency-optimized", "`latency optimized` is not a meter Tally has"),
        ("USE1-Nova2.0Sonic-speech-input-tokens", "model `Nova2.0Sonic-speech` is not in Tally's table or catalog"),
        ("USE1-NovaPro-cache-read-input-token-count-batch", "cache-read in the batch tier: Tally has batch input and output rates only"),
        ("", "not REGION-MODEL-TOKENS"),
        ("USE1-input-tokens", "no token class (input, output, cache read or write) after a model"),
    ])
    func otherUsageTypesSayWhy(_ usageType: String, _ reason: String) throws {
        #expect(throws: AWSUsageType.Unmapped(reason: reason)) { try BedrockUsageType.read(usageType, catalog: try Self.catalog()).get() }
    }

    /// The price list import reads the same table when a product's attributes name no catalog model.
    @Test func thePriceListImportReadsTheSameTable() throws {
        let names = ModelNames(catalog: try Self.catalog())
        let found = names.model(attributes: ["model": "Claude Sonnet 4.5 Preview Edition"], offer: "AmazonBedrock",
                                usageType: "USE1-Claude4.5Sonnet-input-tokens")
        #expect(found?.name == "sonnet-4.5")
        let unknown = names.model(attributes: ["model": "Claude Sonnet 9"], offer: "AmazonBedrock", usageType: "USE1-Claude9Sonnet-input-tokens")
        #expect(unknown?.name == "Claude Sonnet 9")
    }
}
