import Foundation
import Testing
@testable import TallyKit

/// Prices at least 1,000 random requests for every Bedrock model that Tally
/// and genai-prices 0.2.3 both know, and compares with that package's
/// `calc_price`: equal to the millionth of a cent. Scripts/test installs the
/// package; Tally itself never needs Python.
@Suite struct CrossCheckTests {
    struct Request: Codable {
        let ref: String
        let input: Int
        let output: Int
        let cache_read: Int
        let cache_write: Int
    }

    /// Where the two sources knowingly differ, and why.
    struct Disagreement: Sendable {
        let model: String
        let reason: String
        /// Requests with more input tokens than this are priced differently.
        let aboveInputTokens: Int
    }

    static let disagreements = [
        Disagreement(model: "sonnet-4.5", reason: "long context: Bedrock and LiteLLM bill $6/$22.50 above 200k input tokens; genai-prices 0.2.3 has no tier",
                     aboveInputTokens: 200_000),
        Disagreement(model: "sonnet-4", reason: "long context: Bedrock bills $6/$22.50 above 200k input tokens; genai-prices 0.2.3 has no tier",
                     aboveInputTokens: 200_000),
    ]

    /// The model ids genai-prices knows a Tally scope by: `global.ID` for the
    /// global endpoint, the bare id (which genai-prices prices as regional)
    /// otherwise.
    static func reference(_ model: ModelPrice, endpoint: Endpoint?) -> String? {
        guard let id = model.id else { return nil }
        return endpoint == .global ? "global." + id : id
    }

    static func tallyPrice(_ model: ModelPrice, endpoint: Endpoint?, _ r: Request) throws -> Rational {
        let file = SourceFile(name: "<cross-check>", text: "")
        var w = Workload(name: "r", span: Span(file: file, start: 0, end: 0))
        w.model = model
        w.endpoint = endpoint
        w.requestsPerSecond = Rational(1).divided(by: Units.month.factor)
        w.inputTokens = Rational(r.input)
        w.outputTokens = Rational(r.output)
        if r.input > 0 {
            w.cacheRead = Rational(Int128(r.cache_read), Int128(r.input)) ?? .zero
            w.cacheWrite = Rational(Int128(r.cache_write), Int128(r.input)) ?? .zero
        }
        return try Engine.estimate(w).total
    }

    @Test func tallyMatchesGenaiPrices() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        var generator = Generator(state: 0x7A11)
        var requests: [Request] = []
        var owners: [(ModelPrice, Endpoint?)] = []
        for model in catalog.sortedModels where model.kind == .text || model.kind == .embedding {
            let endpoints: [Endpoint?] = model.pricesByEndpoint ? [.global, .regional] : [nil]
            for endpoint in endpoints {
                guard let ref = Self.reference(model, endpoint: endpoint),
                      model.rate(.input, region: "us-east-1", endpoint: endpoint ?? .global) != nil else { continue }
                let hasCache = model.rate(.cacheRead, region: "us-east-1", endpoint: endpoint ?? .global) != nil
                let hasOutput = model.kind == .text
                for i in 0..<1_000 {
                    // Every fourth request is large enough to cross the long-context thresholds.
                    let input = i % 4 == 0 ? 90_000 + generator.below(320_000) : 1 + generator.below(20_000)
                    let read = hasCache ? generator.below(input / 2 + 1) : 0
                    let write = hasCache ? generator.below((input - read) / 2 + 1) : 0
                    requests.append(Request(ref: ref, input: input, output: hasOutput ? generator.below(8_000) : 0,
                                            cache_read: read, cache_write: write))
                    owners.append((model, endpoint))
                }
            }
        }

        let directory = NSTemporaryDirectory() + "tally-crosscheck-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inPath = directory + "/requests.json"
        let outPath = directory + "/prices.json"
        try JSONEncoder().encode(requests).write(to: URL(fileURLWithPath: inPath))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root + "/Tests/CrossCheck/genai_prices_check.py", inPath, outPath]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "genai-prices failed (Scripts/test installs genai-prices==0.2.3): \(stderr)")
        let prices = try JSONDecoder().decode([String?].self, from: Data(contentsOf: URL(fileURLWithPath: outPath)))
        try #require(prices.count == requests.count)

        let tolerance = Rational(1, 100_000_000) ?? .zero   // a millionth of a cent
        var shared = Set<String>()
        var compared = 0
        var skipped = 0
        var mismatches: [String] = []
        for (index, (request, theirs)) in zip(requests, prices).enumerated() {
            guard let theirs else { continue }
            let (model, endpoint) = owners[index]
            if Self.disagreements.contains(where: { $0.model == model.name && request.input > $0.aboveInputTokens }) {
                skipped += 1
                continue
            }
            shared.insert(model.name)
            let ours = try Self.tallyPrice(model, endpoint: endpoint, request)
            guard let expected = Rational(decimalLiteral: Substring(theirs)),
                  let difference = ours.subtracting(expected)?.magnitude else {
                mismatches.append("\(request.ref): cannot read \(theirs)")
                continue
            }
            compared += 1
            if difference > tolerance, mismatches.count < 10 {
                mismatches.append("\(request.ref) \(request): Tally \(ours.decimalString(fractionDigits: 12)) genai-prices \(theirs)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        // Every model genai-prices 0.2.3 prices on Bedrock is in Tally's catalog.
        #expect(shared.count >= 85, "only \(shared.count) shared models")
        #expect(compared >= 85_000)
        #expect(skipped > 0 && skipped < 1_000)
    }
}

/// The request quote is the engine, compiled: for every model and endpoint,
/// random single requests cost the same either way.
@Suite struct RequestQuoteTests {
    @Test func quotesEqualEstimates() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        var generator = Generator(state: 99)
        var compared = 0
        for model in catalog.sortedModels where model.kind == .text {
            let endpoints: [Endpoint] = model.pricesByEndpoint ? [.global, .regional] : [.global]
            for endpoint in endpoints {
                guard let quote = RequestQuote(model: model, region: "us-east-1", endpoint: endpoint) else { continue }
                let hasCache = model.rate(.cacheRead, region: "us-east-1", endpoint: endpoint) != nil
                for i in 0..<50 {
                    let input = i % 3 == 0 ? 150_000 + generator.below(200_000) : 1 + generator.below(20_000)
                    let read = hasCache ? generator.below(input / 2 + 1) : 0
                    let write = hasCache ? generator.below((input - read) / 2 + 1) : 0
                    let output = generator.below(5_000)
                    let request = CrossCheckTests.Request(ref: "", input: input, output: output, cache_read: read, cache_write: write)
                    let estimate = try CrossCheckTests.tallyPrice(model, endpoint: model.pricesByEndpoint ? endpoint : nil, request)
                    #expect(quote.price(input: input, output: output, cacheRead: read, cacheWrite: write) == estimate, "\(model.name) \(request)")
                    compared += 1
                }
            }
        }
        #expect(compared > 4_000)
    }

    @Test func quotesRefuseWhatTheModelCannotPrice() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let llama = try #require(catalog.model(named: "llama-3.3-70b"))
        let quote = try #require(RequestQuote(model: llama, region: "us-east-1", endpoint: .global))
        #expect(quote.price(input: 100, output: 10, cacheRead: 50) == nil)
        #expect(quote.price(input: 100, output: 10, cacheRead: 200) == nil)
        #expect(quote.price(input: -1, output: 10) == nil)
        // 1,000 × $0.72 + 300 × $0.72 per 1M = $0.000936
        #expect(quote.price(input: 1000, output: 300) == rational("0.000936"))
    }
}

/// The built-in catalog is read a model at a time; read whole, it must give
/// the same models, names and rates, and have no errors.
@Suite struct BuiltinCatalogTests {
    @Test func lazyReadingAgreesWithReadingItWhole() throws {
        let whole = try BuiltinCatalog.loadEagerly().get()
        let lazy = try BuiltinCatalog.loaded.get()
        #expect(Set(whole.allNames) == Set(lazy.allNames))
        let a = whole.sortedModels
        let b = lazy.sortedModels
        #expect(a.map(\.name) == b.map(\.name))
        for (x, y) in zip(a, b) {
            #expect(x.displayName == y.displayName && x.id == y.id && x.aliases == y.aliases && x.kind == y.kind, "\(x.name)")
            #expect(x.featured == y.featured && x.cacheMinimum == y.cacheMinimum && x.provider == y.provider, "\(x.name)")
            #expect(Set(x.rates.keys) == Set(y.rates.keys), "\(x.name)")
            for (scope, table) in x.rates {
                for (kind, rate) in table {
                    let other = y.rates[scope]?[kind]
                    #expect(other?.amount == rate.amount && other?.origin == rate.origin && other?.source == rate.source
                            && other?.since == rate.since && other?.previousAmount == rate.previousAmount, "\(x.name) \(kind)")
                }
            }
        }
        #expect(a.count > 100)
    }
}
