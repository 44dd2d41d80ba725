import Foundation
import Testing
@testable import TallyKit
@testable import TallyActuals
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallySyntax

/// `tally catalog import --aws-price-list` over `Tests/Fixtures/awspricelist/`:
/// two small offer files written by hand in AWS's bulk offer format.
/// `imported.tally` is the expected output (set TALLY_UPDATE_GOLDEN=1 to
/// rewrite it); `roundtrip.tally`, a golden fixture, prices workloads with it.
@Suite struct AWSPriceListImportTests {
    static let directory = Repository.fixtures + "/awspricelist"
    static let offers = ["AmazonBedrock.json", "AmazonBedrockFoundationModels.json"]

    static func catalog() throws -> Catalog { try BuiltinCatalog.loaded.get() }

    static func importOffers(_ names: [String] = offers) throws -> AWSPriceListImport.Result {
        let files = try names.map { ($0, try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))) }
        return try AWSPriceListImport.declarations(files: files, catalog: try catalog())
    }

    static func importText(_ json: String, name: String = "offer.json") throws(Diagnostic) -> AWSPriceListImport.Result {
        guard let catalog = try? catalog() else { throw Diagnostic(.io, "no catalog", at: nil) }
        return try AWSPriceListImport.declarations(files: [(name, Data(json.utf8))], catalog: catalog)
    }

    /// A one-SKU AmazonBedrock offer.
    static func offer(usageType: String = "USE1-NovaPro-input-tokens", unit: String = "1K tokens", usd: String = "\"0.0008\"",
                      effectiveDate: String = "\"2025-12-01T00:00:00Z\"", attributes: String? = nil) -> String {
        let attributes = attributes ?? #"{"regionCode": "us-east-1", "usagetype": "\#(usageType)", "model": "Nova Pro", "operation": "Usage"}"#
        return #"""
            {"formatVersion": "v1.0", "offerCode": "AmazonBedrock", "version": "20251201000000",
             "publicationDate": "2025-12-02T18:21:05Z",
             "products": {"SKU1": {"sku": "SKU1", "productFamily": "Amazon Bedrock", "attributes": \#(attributes)}},
             "terms": {"OnDemand": {"SKU1": {"SKU1.T": {"sku": "SKU1", "effectiveDate": \#(effectiveDate),
               "priceDimensions": {"SKU1.T.D": {"unit": "\#(unit)", "beginRange": "0", "endRange": "Inf", "pricePerUnit": {"USD": \#(usd)}}}}}}}}
            """#
    }

    // MARK: The fixtures

    @Test func fixturesGiveTheGoldenText() throws {
        let result = try Self.importOffers()
        try matchGolden(result.text, at: Self.directory + "/imported.tally")
    }

    @Test func everySKUIsMappedOrListed() throws {
        let result = try Self.importOffers()
        // 26 products in AmazonBedrock.json and 13 in AmazonBedrockFoundationModels.json.
        #expect(result.skusRead == 39)
        #expect(result.skusMapped == 34)
        #expect(result.unmapped.map(\.sku) == ["KIMIUSE1CW30", "NOVAPROUSE1LAT", "RAYUSE1VID", "SONICUSE1SPIN", "HAIKUUSE1RES"])
        #expect(result.unmapped.map(\.reason) == [
            "a 30m cache write: Tally has 5m and 1h",
            "`latency optimized` is not a meter Tally has",
            "no token, image or provisioned-throughput meter in the usage type",
            "speech tokens: Tally prices text tokens only",
            "no token, image or provisioned-throughput meter in the usage type",
        ])
        // Each mapped SKU is the source of exactly one block; each unmapped one is in the closing comment.
        var skus: [String] = []
        for name in Self.offers {
            let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/" + name)))
            skus += ((object as? [String: Any])?["products"] as? [String: Any])?.keys.map { $0 } ?? []
        }
        #expect(skus.count == 39)
        for sku in skus {
            let sources = result.text.components(separatedBy: ", SKU \(sku) (").count - 1
            let listed = result.text.contains("#   Amazon") && result.text.contains(" SKU \(sku) (us-east-1, ")
            #expect(sources + (result.unmapped.contains { $0.sku == sku } ? 1 : 0) == 1, "\(sku)")
            #expect(sources == 1 || listed, "\(sku)")
        }
    }

    @Test func independentOfTheOrderOfFiles() throws {
        let forward = try Self.importOffers()
        let backward = try Self.importOffers(Self.offers.reversed())
        // Only the header, which names the offers in the order given, differs.
        #expect(forward.text.split(separator: "\n").dropFirst() == backward.text.split(separator: "\n").dropFirst())
        #expect(try Self.importOffers().text == forward.text)
    }

    @Test func generatedTextLoadsWithoutDiagnostics() throws {
        let result = try Self.importOffers()
        var session = try Session.standard().get()
        let loaded = session.run(SourceFile(name: "imported.tally", text: result.text))
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        let catalog = session.environment.catalog
        // Per 1K tokens × 1,000 = per 1M tokens: SKU NOVAPROUSE1IN is $0.0008/1K.
        let input = catalog.model(named: "nova-pro")?.rate(.input, region: "us-east-1", endpoint: .regional)
        #expect(input?.amount == Rational(8, 10_000_000))
        #expect(input?.since == "2025-12-01")
        #expect(input?.asOf == "2025-12-02")
        #expect(input?.source == "AWS price list AmazonBedrock 20251201000000, SKU NOVAPROUSE1IN (USE1-NovaPro-input-tokens)")
        // Per 1M tokens as written: SKU HAIKUUSE1GIN is $1/1M on the global endpoint.
        let global = catalog.model(named: "haiku-4.5")?.rate(.input, region: "us-east-1", endpoint: .global)
        #expect(global?.amount == Rational(1, 1_000_000))
        // `Nova 2.0 Lite` is the catalog's Nova 2 Lite; SKU NOVA2LITEUSE1GIN is $0.0003/1K.
        let lite = catalog.model(named: "nova-2-lite")?.rate(.input, region: "us-east-1", endpoint: .global)
        #expect(lite?.amount == Rational(3, 10_000_000))
        #expect(lite?.source.contains("SKU NOVA2LITEUSE1GIN (USE1-Nova2.0Lite-input-tokens-cross-region-global)") == true)
        // A new model answers to the Bedrock id in its usage type.
        #expect(catalog.model(named: "moonshotai.kimi-k9")?.name == "Kimi K9")
        // Per hour, per image.
        #expect(catalog.model(named: "nova-pro")?.rate(.provisioned("6-month"), region: "us-east-1", endpoint: .global)?.amount
            == Rational(1362, 100 * 3600))
        #expect(catalog.model(named: "Titan Image Generator v2")?.kind == .image)
        #expect(catalog.model(named: "Titan Image Generator v2")?.rate(.imageRate(quality: "standard", size: 512), region: "us-east-1",
                                                                        endpoint: .global)?.amount == Rational(8, 1000))
    }

    // MARK: Usage types

    @Test(arguments: [
        ("USE1-NovaPro-input-tokens", "1K tokens", "input", false, 3),
        ("USE1-NovaPro-output-tokens-batch", "1K tokens", "batch-output", false, 3),
        ("USE1-NovaPro-cache-read-input-token-count", "1K tokens", "cache-read", false, 3),
        ("USE1-NovaPro-cache-write-input-token-count", "1K tokens", "cache-write", false, 3),
        ("USW2-Nova2.0Lite-input-tokens-priority-cross-region-global", "1K tokens", "priority-input", true, 3),
        ("USE1-xai.grok-4.3-mantle-input-tokens-global-flex", "1K tokens", "flex-input", true, 3),
        ("USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units", "1M tokens", "cache-write-1h", true, 0),
        ("USE1-MP:USE1_cache_write_tokens_1h_standard-Units", "1M tokens", "cache-write-1h", false, 0),
        ("USE1-MP:USE1_OutputTokenCount-Units", "1M tokens", "output", false, 0),
        ("USE1-MP:USE1_input_tokens_geo_standard-Units", "1M tokens", "input", false, 0),
        ("EUC1-NovaPro-ProvisionedThroughput-NoCommit-ModelUnits", "Hour", "provisioned-no-commitment", false, 0),
        ("EUC1-NovaPro-ProvisionedThroughput-6MonthCommit-ModelUnits", "Hrs", "provisioned-6-month", false, 0),
        ("USE1-TitanImageGeneratorV2-T2I-1024x1024-Standard", "Images", "image-standard-1024", false, 0),
        ("USE1-NovaCanvas-T2I", "Image", "image", false, 0),
    ])
    func usageTypeMeters(_ usageType: String, _ unit: String, _ kind: String, _ global: Bool, _ shift: Int) throws {
        let meter = try AWSUsageType.meter(usageType: usageType, unit: unit).get()
        #expect(meter.kind == RateKind(kind))
        #expect(meter.global == global)
        #expect(meter.shift == shift)
    }

    @Test(arguments: [
        ("USE1-NovaPro-input-tokens", "tokens"),
        ("USE1-NovaPro-input-tokens", "1K characters"),
        ("USE1-NovaPro-input-tokens-custom-model", "1K tokens"),
        ("USE1-MP:USE1_input_tokens_long_ctx_standard-Units", "1M tokens"),
        ("USE1-NovaPro-cache-read-input-token-count-batch", "1K tokens"),
        ("USE1-Nova2.0Pro-input-image-token-count", "1K tokens"),
        ("USE1-Nova2.0Omni-input-audio-token-count", "1K tokens"),
        ("USE1-NovaPro-input-tokens-batch-flex", "1K tokens"),
        ("USE1-NovaPro-ProvisionedThroughput-3MonthCommit-ModelUnits", "Hour"),
        ("USE1-NovaPro-ProvisionedThroughput-NoCommit-ModelUnits", "Month"),
        ("USE1-TitanImage-T2I-Premium", "Images"),
        ("", "1K tokens"),
        ("USE1", "1K tokens"),
        ("---", "1K tokens"),
    ])
    func usageTypesTallyDoesNotHave(_ usageType: String, _ unit: String) {
        #expect(throws: AWSUsageType.Unmapped.self) { try AWSUsageType.meter(usageType: usageType, unit: unit).get() }
    }

    // MARK: Hostile input: exit 2 with the place

    @Test func malformedFixtureNamesThePath() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/malformed.json"))
        #expect {
            _ = try AWSPriceListImport.declarations(files: [("malformed.json", data)], catalog: try Self.catalog())
        } throws: { error in
            (error as? Diagnostic)?.message == #"malformed.json: products["BADSKU"].attributes: expected an object, found an array"#
        }
    }

    @Test(arguments: [
        (offer(usd: "0.0008"), #"pricePerUnit.USD: expected a string, found a number"#),
        (offer(usd: "\"1e400\""), #"pricePerUnit.USD: "1e400" is not a price Tally holds exactly"#),
        (offer(usd: "\"-0.5\""), #"pricePerUnit.USD: "-0.5" is not a price"#),
        (offer(usd: "1e999999"), #"pricePerUnit.USD: expected a string, found an unreadable value"#),
        (offer(usd: "\"999999999999999\""), #"pricePerUnit.USD: "999999999999999" per 1K tokens is too large a price to hold exactly"#),
        (offer(effectiveDate: "\"yesterday\""), #"effectiveDate: "yesterday" is not a date"#),
        (offer(effectiveDate: "20251201"), "effectiveDate: expected a string, found a number"),
        (offer(attributes: #"{"regionCode": ["us-east-1"]}"#), #"attributes["regionCode"]: expected a string, found an array"#),
        (offer(attributes: "null"), #"products["SKU1"].attributes: expected an object, found null"#),
        (#"{"formatVersion": "v2.0"}"#, #"formatVersion: "v2.0" is not v1.0"#),
        (#"{"formatVersion": "v1.0", "offerCode": "AmazonEC2"}"#, #"offerCode: "AmazonEC2" is not AmazonBedrock"#),
        ("[]", "the top level: expected an object, found an array"),
        (String(repeating: "[", count: 100_000), "line 1, column 65: arrays and objects nested more than 64 deep"),
        (String(repeating: #"{"a":"#, count: 10_000), "line 1, column 321: arrays and objects nested more than 64 deep"),
        ("{\"formatVersion\": \"v1.0\",\n  \"offerCode\" \"AmazonBedrock\"}", "line 2, column 15: expected `:` after a key"),
        ("{\"a\": 1e}", "line 1, column 9: a number with no digits in its exponent"),
        ("{\"a\": \"\u{1}\"}", "line 1, column 8: a control character in a string"),
    ])
    func hostileOffersAreLocatedErrors(_ json: String, _ message: String) {
        #expect {
            _ = try Self.importText(json)
        } throws: { error in
            guard let diagnostic = error as? Diagnostic else { return false }
            #expect(diagnostic.message.contains(message), "\(diagnostic.message)")
            return diagnostic.kind == .io && diagnostic.message.contains("offer.json")
        }
    }

    @Test func oddButWellFormedSKUsAreListed() throws {
        let tiered = Self.offer().replacingOccurrences(of: #""endRange": "Inf""#, with: #""endRange": "1000000""#)
        #expect(try Self.importText(tiered).unmapped.map(\.reason) == ["a tiered price (from 0 to 1000000 1K tokens)"])
        let noRegion = Self.offer(attributes: #"{"usagetype": "USE1-NovaPro-input-tokens", "model": "Nova Pro"}"#)
        #expect(try Self.importText(noRegion).unmapped.map(\.reason) == ["no regionCode naming an AWS region"])
        let noModel = Self.offer(attributes: #"{"regionCode": "us-east-1", "usagetype": "USE1-NovaPro-input-tokens"}"#)
        #expect(try Self.importText(noModel).unmapped.map(\.reason) == ["no model or servicename attribute"])
        let result = try Self.importText(noModel)
        #expect(result.skusRead == 1 && result.skusMapped == 0)
        #expect(result.text.hasSuffix("#   AmazonBedrock SKU SKU1 (us-east-1, USE1-NovaPro-input-tokens): no model or servicename attribute\n"))
    }

    @Test func irregularSKUsAreListedWithTheirReason() throws {
        func product(_ sku: String, _ usageType: String) -> String {
            #""\#(sku)": {"sku": "\#(sku)", "attributes": {"regionCode": "us-east-1", "usagetype": "\#(usageType)", "model": "Nova Pro"}}"#
        }
        func dimension(_ code: String, _ usd: String) -> String {
            #""\#(code)": {"unit": "1K tokens", "pricePerUnit": {"USD": "\#(usd)"}}"#
        }
        func term(_ sku: String, _ code: String, _ dimensions: [String]) -> String {
            #""\#(code)": {"sku": "\#(sku)", "effectiveDate": "2025-12-01T00:00:00Z", "priceDimensions": {\#(dimensions.joined(separator: ", "))}}"#
        }
        let json = """
            {"formatVersion": "v1.0", "offerCode": "AmazonBedrock", "version": "7", "publicationDate": "2025-12-02T00:00:00Z",
             "products": {\(product("A", "USE1-NovaPro-input-tokens")), \(product("B", "USE1-NovaPro-input-tokens-v2")),
                          \(product("C", "USE1-NovaPro-input-tokens")), \(product("D", "USE1-NovaPro-output-tokens")),
                          \(product("E", "USE1-NovaPro-output-tokens")), \(product("F", "USE1-NovaPro-output-tokens"))},
             "terms": {"OnDemand": {
               "A": {\(term("A", "A.T", [dimension("A.T.D", "0.0008")]))},
               "B": {\(term("B", "B.T", [dimension("B.T.D", "0.0008")]))},
               "C": {\(term("C", "C.T", [dimension("C.T.D", "0.0009")]))},
               "D": {\(term("D", "D.T", [dimension("D.T.1", "0.003"), dimension("D.T.2", "0.002")]))},
               "E": {\(term("E", "E.T", [dimension("E.T.D", "0.003")])), \(term("E", "E.U", [dimension("E.U.D", "0.002")]))},
               "Z": {\(term("Z", "Z.T", [dimension("Z.T.D", "0.001")]))}}}}
            """
        let result = try Self.importText(json)
        #expect(result.skusRead == 6)
        #expect(result.skusMapped == 1)
        #expect(result.unmapped.map(\.sku) == ["B", "C", "D", "E", "F", "Z"])
        #expect(result.unmapped.map(\.reason) == [
            "`v 2` is not a meter Tally has",
            "sets input again, after SKU A",
            "2 price dimensions (a tiered price)",
            "2 on-demand offer terms",
            "no on-demand price",
            "an on-demand price with no product",
        ])
        #expect(result.text.contains("  input $0.8/1M tokens\n  since \"2025-12-01\"\n  source \"AWS price list AmazonBedrock 7, SKU A ("))
    }

    @Test func aRateSetTwiceKeepsTheSameSKUWhateverTheOrderOfFiles() throws {
        let older = Self.offer(usd: "\"0.001\"").replacingOccurrences(of: "SKU1", with: "B")
        let newer = Self.offer(usd: "\"0.002\"").replacingOccurrences(of: "SKU1", with: "A")
            .replacingOccurrences(of: "\"version\": \"20251201000000\"", with: "\"version\": \"20251202000000\"")
        let catalog = try Self.catalog()
        for files in [[("old.json", older), ("new.json", newer)], [("new.json", newer), ("old.json", older)]] {
            let result = try AWSPriceListImport.declarations(files: files.map { ($0.0, Data($0.1.utf8)) }, catalog: catalog)
            #expect(result.unmapped.map(\.reason) == ["sets input again, after SKU B"])
            #expect(result.text.contains("  input $1/1M tokens\n"))
            #expect(!result.text.contains("  input $2/1M tokens\n"))
        }
    }

    @Test func validJSONHasNoSyntaxError() {
        for text in ["{}", "[]", "0", "-0.5e+10", #""a\u00e9\n""#, #"{"a": [true, false, null, {"b": []}]}"#, " \n\t[1 , 2]\r\n"] {
            let problem = Data(text.utf8).withUnsafeBytes { JSONValue.syntaxError(in: $0) }
            #expect(problem == nil, "\(text)")
        }
    }
}

/// The command line: `tally catalog import --aws-price-list FILE… [-o OUT]`.
@Suite struct AWSPriceListCommandTests {
    @Test func importsBothOffersAndAScriptPricesWithThem() throws {
        let directory = AWSPriceListImportTests.directory
        let out = NSTemporaryDirectory() + "tally-aws-\(UUID().uuidString).tally"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try TallyBinary.run(["catalog", "import", "--aws-price-list", directory + "/AmazonBedrock.json",
                                     directory + "/AmazonBedrockFoundationModels.json", "-o", out])
        #expect(r.status == 0)
        #expect(r.stdout == "")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.prefix(5).allSatisfy { $0.hasPrefix("tally: not mapped: Amazon") })
        #expect(lines.last == "tally: read 39 SKUs; mapped 34; 5 not mapped")
        #expect(Repository.read(out) == Repository.read(directory + "/imported.tally"))

        // Nova Pro in eu-west-3 from SKUs NOVAPROEUW3IN/OUT ($0.00105 and $0.0042 per 1K tokens):
        // 1,000 × (2,000 × $1.05 + 500 × $4.20) / 1M = $4.20
        let script = "import \"\(Path.lastComponent(out))\"\n"
            + "workload paris < model nova-pro; region eu-west-3; requests 1000/month; input 2000 tokens; output 500 tokens >\n"
            + "show paris in $/month\n"
        let scriptPath = Path.directory(of: out) + "/tally-aws-use-\(UUID().uuidString).tally"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let used = try TallyBinary.run([scriptPath])
        #expect(used.stdout == "paris in $/month = $4.20/month\n")
        #expect(used.status == 0)
    }

    @Test func malformedAndMissingFilesExitTwo() throws {
        let malformed = try TallyBinary.run(["catalog", "import", "--aws-price-list", AWSPriceListImportTests.directory + "/malformed.json"])
        #expect(malformed.status == 2)
        #expect(malformed.stdout == "")
        #expect(malformed.stderr == "tally: error: malformed.json: products[\"BADSKU\"].attributes: expected an object, found an array\n")
        let missing = try TallyBinary.run(["catalog", "import", "--aws-price-list", "/no/such.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("tally: error: cannot read /no/such.json"))
        let both = try TallyBinary.run(["catalog", "import", "--aws-price-list", "a.json", "--litellm", "b.json"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("give one of --litellm FILE or --aws-price-list FILE…"))
    }

    @Test func deepNestingThroughTheBinaryIsALocatedError() throws {
        let path = NSTemporaryDirectory() + "tally-aws-deep-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: UInt8(ascii: "["), count: 1 << 20).write(to: URL(fileURLWithPath: path))
        let r = try TallyBinary.run(["catalog", "import", "--aws-price-list", path])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "tally: error: cannot read \(Path.lastComponent(path)): it is not valid JSON: line 1, column 65: "
            + "arrays and objects nested more than 64 deep\n")
    }

    @Test func helpNamesTheOption() throws {
        let help = try TallyBinary.run(["catalog", "import", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--aws-price-list <file> ..."))
        #expect(help.stdout.contains("AmazonBedrockFoundationModels"))
    }

    @Test func aFileOverTheLimitIsRefusedUnread() throws {
        let path = NSTemporaryDirectory() + "tally-aws-big-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1).write(to: URL(fileURLWithPath: path))
        var output = CommandOutput()
        #expect(Commands.readImported(path, limit: 1 << 20, into: &output) == nil)
        #expect(output.status == 2)
        #expect(output.stderr == "tally: error: cannot read \(path): it is larger than the 1 MiB Tally reads as a price list\n")
        #expect(AWSPriceListImport.maximumFileBytes == 128 << 20)
    }
}
