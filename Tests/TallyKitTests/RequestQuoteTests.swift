import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities

/// The estimator and the request quote read one token tariff: on random
/// requests across the catalog (every text and embedding model, region,
/// endpoint, service tier and cache lifetime), they agree on the price, and on
/// which requests cannot be priced.
@Suite struct RequestQuoteTests {
    struct Draw {
        let model: ModelPrice
        let region: String
        let endpoint: Endpoint
        let mode: Workload.Mode
        let input: Int
        let output: Int
        let cacheRead: Int
        let cacheWrite: Int
        let oneHour: Bool
    }

    static let modes: [Workload.Mode] = [.onDemand, .onDemand, .onDemand, .onDemand, .tier("batch"), .tier("flex"), .tier("priority")]

    static func draw(_ models: [ModelPrice], _ generator: inout Generator) -> Draw {
        let model = models[generator.below(models.count)]
        let regions = model.regions
        let region = regions[generator.below(regions.count)]
        let endpoint: Endpoint = model.pricesByEndpoint && generator.below(2) == 0 ? .regional : .global
        let input = generator.below(4) == 0 ? 150_000 + generator.below(900_000) : 1 + generator.below(30_000)
        // Cache tokens mostly on models with a cache; sometimes on one without, which both must refuse.
        let hasCache = model.rate(.cacheRead, region: region, endpoint: endpoint) != nil
        let cached = hasCache ? generator.below(3) != 0 : generator.below(20) == 0
        let read = cached ? generator.below(input / 2 + 1) : 0
        let write = cached ? generator.below((input - read) / 2 + 1) : 0
        return Draw(model: model, region: region, endpoint: endpoint, mode: modes[generator.below(modes.count)],
                    input: input, output: model.kind == .text ? generator.below(8_000) : 0,
                    cacheRead: read, cacheWrite: write, oneHour: generator.below(4) == 0)
    }

    /// One request a month, as a workload: its monthly total is the request's price.
    static func estimate(_ d: Draw) -> Result<Rational, PricingError> {
        var w = Workload(name: "r")
        w.model = d.model
        w.region = d.region
        if d.model.pricesByEndpoint { w.endpoint = d.endpoint }
        w.mode = d.mode
        w.requestsPerSecond = Rational(1).divided(by: Units.month.factor)
        w.inputTokens = Rational(d.input)
        w.outputTokens = Rational(d.output)
        w.cacheRead = Rational(Int128(d.cacheRead), Int128(d.input)) ?? .zero
        w.cacheWrite = Rational(Int128(d.cacheWrite), Int128(d.input)) ?? .zero
        w.cacheTTL = d.oneHour ? .oneHour : .fiveMinutes
        return Result { () throws(PricingError) in try Engine.estimate(w).total }
    }

    @Test func estimatorAndQuoterAgreeOn100000RandomRequests() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let models = catalog.sortedModels.filter { ($0.kind == .text || $0.kind == .embedding) && !$0.regions.isEmpty }
        #expect(models.count > 90)
        var generator = Generator(state: 2026)
        var quotes: [String: RequestQuote?] = [:]
        var (agreedOnPrice, agreedOnRefusal, notCompiled) = (0, 0, 0)
        var disagreements: [String] = []
        var reasons: [String: Int] = [:]
        for _ in 0..<100_000 {
            let d = Self.draw(models, &generator)
            let key = "\(d.model.name) \(d.region) \(d.endpoint) \(d.mode.name)"
            let quote: RequestQuote? = if let cached = quotes[key] { cached } else {
                RequestQuote(model: d.model, region: d.region, endpoint: d.endpoint, mode: d.mode)
            }
            quotes[key] = quote
            guard let quote else {
                // A tariff that does not compile to whole atto-dollars: the estimate still prices it.
                if case .failure = Self.estimate(d), disagreements.count < 10 { disagreements.append("\(key): no quote, and no estimate") }
                notCompiled += 1
                continue
            }
            let quoted = quote.price(input: d.input, output: d.output, cacheRead: d.cacheRead, cacheWrite: d.cacheWrite, oneHour: d.oneHour)
            switch (Self.estimate(d), quoted) {
            case (.success(let estimate), let price?) where estimate == price: agreedOnPrice += 1
            case (.failure(let e), nil):
                agreedOnRefusal += 1
                reasons["\(e.reason)".prefix(while: { $0 != "(" }) + " \(d.mode.name)", default: 0] += 1
            case (let estimate, let price):
                if disagreements.count < 10 { disagreements.append("\(key) input \(d.input) output \(d.output) read \(d.cacheRead) write \(d.cacheWrite) 1h \(d.oneHour): estimate \(estimate), quote \(String(describing: price))") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        // Most requests are priced; the refusals are real gaps (a service tier or a cache the model lacks).
        // Seed 2026 on the regenerated catalog (143 text and embedding models): 60,693 priced, 39,307 refused, all compiled.
        #expect(agreedOnPrice == 60_693, "\(agreedOnPrice) priced, \(agreedOnRefusal) refused, \(notCompiled) not compiled: \(reasons)")
        #expect(agreedOnRefusal == 39_307)
        #expect(notCompiled == 0)
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

    @Test func aServiceTierQuotesItsShareOfTheOnDemandRates() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let model = try #require(catalog.sortedModels.first { m in
            m.kind == .text && m.rate(RateKind("batch"), region: "us-east-1", endpoint: .global) != nil
                && m.rate(.tierInput("batch"), region: "us-east-1", endpoint: .global) == nil
        })
        let onDemand = try #require(RequestQuote(model: model, region: "us-east-1", endpoint: .global))
        let batch = try #require(RequestQuote(model: model, region: "us-east-1", endpoint: .global, mode: .tier("batch")))
        let share = try #require(model.rate(RateKind("batch"), region: "us-east-1", endpoint: .global)).amount
        let full = try #require(onDemand.price(input: 10_000, output: 1_000))
        #expect(batch.price(input: 10_000, output: 1_000) == full.multiplied(by: share), "\(model.name)")
    }
}
