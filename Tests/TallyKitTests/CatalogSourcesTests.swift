import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities

/// Keeps the built-in catalog in step with what Scripts/catalog writes from its
/// pinned sources: the manifest and the disagreement file are read without Python.
@Suite struct CatalogSourcesTests {
    static let folder = Repository.root + "/Sources/TallyKit/Catalog"

    static func table(_ file: String) throws -> [[String]] {
        try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Dollars per 1M tokens, as the files and the catalog write them.
    static func million(_ text: String) -> Rational? { Rational(decimalLiteral: Substring(text)) }

    static func perMillion(_ rate: Rate?) -> Rational? { rate?.amount.multiplied(by: Rational(1_000_000)) }

    static func manifest() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try table("manifest.tsv").map { ($0[0], $0[1]) })
    }

    /// The built-in catalog is read through its byte-level index (built on
    /// the first lookup), never the eager fallback, and the index reads every
    /// block the eager reading does, without a diagnostic.
    @Test func theBuiltInCatalogIsReadThroughItsIndex() throws {
        let index = try #require(BuiltinCatalog.index)
        let eager = try BuiltinCatalog.loadEagerly().get()
        #expect(index.allModels.map(\.name).sorted() == eager.sortedModels.map(\.name))
        #expect(index.diagnostics.isEmpty)
        // Every name, alias and id stands for the same model both ways.
        #expect(Set(index.allNames) == Set(eager.allNames))
        for name in eager.allNames { #expect(index.owner(of: name) == eager.canonicalName(name), "\(name)") }
        #expect(index.owner(of: "sonnet-4.5x") == nil)
        #expect(index.owner(of: "") == nil)
    }

    /// `tally models FILTER` reads only the models whose catalog text could
    /// match, and lists what a search of every model lists, as text and JSON.
    @Test func aSearchReadsOnlyItsCandidatesAndFindsWhatAFullSearchFinds() throws {
        let indexed = try Session.standard().get()
        let eager = Session(catalog: try BuiltinCatalog.loadEagerly().get())
        let index = try #require(BuiltinCatalog.index)
        #expect(try #require(index.candidates(mentioning: "nova")).count < index.order.count / 4)
        #expect(index.candidates(mentioning: "embed") == nil)
        #expect(index.candidates(mentioning: "é") == nil)
        for needle in ["nova", "NOVA", "Nova Lite", "claude", "anthropic", "amazon.nova-lite-v1:0", "embed", "text", "image",
                       "v1:0", "meta", "x", "é", "-", "sonnet-4.5", "no-such-model", "Llama 3.3"] {
            for format in [OutputFormat.text, .json] {
                let fast = Commands.models(in: indexed, filter: needle, format: format)
                let full = Commands.models(in: eager, filter: needle, format: format)
                #expect(fast.stdout == full.stdout, "\(needle)")
                #expect(fast.stderr == full.stderr, "\(needle)")
                #expect(fast.status == full.status, "\(needle)")
            }
            let exact = Commands.models(in: indexed, filter: needle, exact: true)
            #expect(exact.stdout == Commands.models(in: eager, filter: needle, exact: true).stdout, "exactly \(needle)")
        }
    }

    /// The index's name table: found after growing from the smallest size,
    /// absent names not found, whatever the hashes collide on.
    @Test func theNameTableFindsWhatItHolds() {
        var table = NameTable(capacity: 1)
        let names = (0..<3_000).map { "model-\($0)" } + ["", "é", "anthropic.claude-opus-4-5-20251101-v1:0"]
        for (value, name) in names.enumerated() { table.insert(name, value) }
        for (value, name) in names.enumerated() { #expect(table.find(name) == value, "\(name)") }
        #expect(table.find("model-3000") == nil)
        #expect(table.find("model-") == nil)
        #expect(table.keys == names)
    }

    @Test func theCatalogHasTheModelsAndRegionsOfTheManifest() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let manifest = try Self.manifest()
        #expect(String(catalog.sortedModels.count) == manifest["models"])
        let regions = Set(catalog.regions)
        #expect(regions.sorted().joined(separator: ",") == manifest["regions"])
        #expect(regions.count >= 18)
    }

    @Test func everyDisagreementNamesARateTheCatalogHoldsAtTheChosenAmount() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let rows = try Self.table("disagreements.tsv")
        #expect(rows.first?.prefix(7) == ["model", "region", "endpoint", "kind", "genai-prices", "litellm", "chosen"])
        let body = rows.dropFirst()
        #expect(String(body.count) == (try Self.manifest())["disagreements"])
        for row in body {
            let (name, region, endpointText, kind, chosenText) = (row[0], row[1], row[2], row[3], row[6])
            let model = try #require(catalog.model(named: name), "\(name) is not in the catalog")
            let chosen = try #require(Self.million(String(chosenText.dropFirst())))
            let endpoint = Endpoint(rawValue: endpointText) ?? .regional
            let rate = try #require(model.rate(RateKind(kind), region: region, endpoint: endpoint), "\(name) \(kind)")
            #expect(Self.perMillion(rate) == chosen, "\(name) \(region) \(endpointText) \(kind)")
            #expect(row[4] != row[5], "a row lists two sources that agree")
        }
    }

    @Test func theNamedFixesHold() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        func perMillion(_ name: String, _ kind: RateKind, _ endpoint: Endpoint, region: String = "us-east-1") throws -> Rational? {
            Self.perMillion(try #require(catalog.model(named: name), "\(name)").rate(kind, region: region, endpoint: endpoint))
        }
        // gpt-5.4: global $2.50/$15, in-Region $2.75/$16.50.
        #expect(try perMillion("gpt-5.4", .input, .global) == Self.million("2.5"))
        #expect(try perMillion("gpt-5.4", .output, .global) == Self.million("15"))
        #expect(try perMillion("gpt-5.4", .input, .regional) == Self.million("2.75"))
        // Mistral Large 2 (24.07) at LiteLLM's $2/$6, not the seed's rounded $3/$9.
        #expect(try perMillion("mistral-large", .input, .regional) == Self.million("2"))
        #expect(try perMillion("mistral-large", .output, .regional) == Self.million("6"))
        // On-demand rates for Claude Instant, Cohere Command and Command Light.
        #expect(try perMillion("claude-instant", .input, .regional) == Self.million("0.8"))
        #expect(try perMillion("cohere-command", .output, .regional) == Self.million("2"))
        #expect(try perMillion("cohere-command-light", .input, .regional) == Self.million("0.3"))
        // The six open-weight models of February 2026, at LiteLLM 1.110.2's us-east-1 rates.
        let february: [(String, Rational?, Rational?)] = [
            ("deepseek-v3.2", Self.million("0.62"), Self.million("1.85")), ("minimax-m2.1", Self.million("0.3"), Self.million("1.2")),
            ("glm-4.7", Self.million("0.6"), Self.million("2.2")), ("glm-4.7-flash", Self.million("0.07"), Self.million("0.4")),
            ("kimi-k2.5", Self.million("0.6"), Self.million("3")), ("qwen3-coder-next", Self.million("0.5"), Self.million("1.2")),
        ]
        for (name, input, output) in february {
            #expect(try perMillion(name, .input, .regional) == input, "\(name)")
            #expect(try perMillion(name, .output, .regional) == output, "\(name)")
        }
        // A model only LiteLLM's bedrock_mantle keys list: Grok 4.3 at $1.25/$2.50.
        #expect(try perMillion("grok-4.3", .input, .regional) == Self.million("1.25"))
        #expect(try perMillion("grok-4.3", .output, .regional) == Self.million("2.5"))
        // GPT-5.4 above 272k input tokens, LiteLLM's tier: input twice, output 1.5 times.
        let catalog272 = try #require(catalog.model(named: "gpt-5.4"))
        #expect(Self.perMillion(catalog272.rate(.output, region: "us-east-1", endpoint: .global, inputTokens: Rational(300_000))) == Self.million("22.5"))
        #expect(Self.perMillion(catalog272.rate(.input, region: "us-east-1", endpoint: .regional, inputTokens: Rational(300_000))) == Self.million("5.5"))
        // LiteLLM's service tiers, as shares of on-demand: batch and flex 50%, priority 175%.
        let deepseek = try #require(catalog.model(named: "deepseek-v3.2"))
        #expect(deepseek.rate(RateKind("batch"), region: "us-east-1", endpoint: .regional)?.amount == Rational(1, 2))
        #expect(deepseek.rate(RateKind("priority"), region: "us-east-1", endpoint: .regional)?.amount == Rational(7, 4))
        // A region beyond us-east-1: DeepSeek V3.2 in eu-north-1.
        #expect(try perMillion("deepseek-v3.2", .input, .regional, region: "eu-north-1") == Self.million("0.74"))
    }

    static let python = Repository.root + "/.build/oracles/bin/python"
    static var wheel: String? {
        let folder = Repository.root + "/.build/oracles/wheels"
        return (try? FileManager.default.contentsOfDirectory(atPath: folder))?
            .first { $0.hasPrefix("litellm-1.110.2-") && $0.hasSuffix(".whl") }.map { folder + "/" + $0 }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python) && wheel != nil,
                   "needs the price-source venv in .build/oracles (Scripts/test makes it)"))
    func theGeneratorWritesTheCommittedCatalog() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Repository.root + "/Scripts/lib/catalog.py", try #require(Self.wheel),
                             Self.folder + "/bedrock.tally", "--check"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }
}
