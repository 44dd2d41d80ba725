import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Prices 1,000 random requests for every Bedrock model and endpoint that
/// Tally and an oracle both know, and compares with the oracle's answers
/// committed in Tests/CrossCheck (Scripts/crosscheck refreshes them): equal to
/// the millionth of a cent. The oracles are genai-prices 0.2.3 (`calc_price`)
/// and LiteLLM 1.110.2 (`cost_per_token`). Tally never needs Python.
@Suite struct CrossCheckTests {
    struct Request: Codable, Hashable {
        let ref: String
        let input: Int
        let output: Int
        let cache_read: Int
        let cache_write: Int
    }

    /// Where Tally and an oracle knowingly differ, and why.
    struct Disagreement: Sendable {
        let model: String
        /// nil for every endpoint of the model.
        var endpoint: String? = nil
        let reason: String
        /// Requests with more input tokens than this are priced differently.
        var aboveInputTokens = 0
    }

    static let genaiPricesDisagreements = [
        Disagreement(model: "sonnet-4.5", reason: "long context: Bedrock and LiteLLM bill $6/$22.50 above 200k input tokens; genai-prices 0.2.3 has no tier",
                     aboveInputTokens: 200_000),
        Disagreement(model: "sonnet-4", reason: "long context: Bedrock bills $6/$22.50 above 200k input tokens; genai-prices 0.2.3 has no tier",
                     aboveInputTokens: 200_000),
        Disagreement(model: "gpt-5.4", reason: "long context: LiteLLM 1.110.2 bills input and cache 2x, output 1.5x above 272k input tokens, as genai-prices does for GPT-5.6; genai-prices 0.2.3 has no tier for GPT-5.4",
                     aboveInputTokens: 272_000),
        Disagreement(model: "gpt-5.5", reason: "long context: LiteLLM 1.110.2 bills input and cache 2x, output 1.5x above 272k input tokens, as genai-prices does for GPT-5.6; genai-prices 0.2.3 has no tier for GPT-5.5",
                     aboveInputTokens: 272_000),
    ]

    /// The model ids genai-prices knows a Tally scope by: `global.ID` for the
    /// global endpoint, the bare id (which genai-prices prices as regional)
    /// otherwise.
    static func genaiPricesReference(_ model: ModelPrice, endpoint: Endpoint?) -> String? {
        guard let id = model.id else { return nil }
        return endpoint == .global ? "global." + id : id
    }

    /// Every spelling of the model's id LiteLLM might key it by, best first,
    /// joined by `|`: the global profile, then the bare id, for the global
    /// endpoint; the `us.` profile, then the bare id, for the regional one.
    static func litellmReference(_ model: ModelPrice, endpoint: Endpoint?) -> String? {
        guard let id = model.id else { return nil }
        let ids = [id] + model.aliases.filter { $0.contains(".") }.sorted()
        let prefixes = switch endpoint {
        case .global?: ["global.", ""]
        case .regional?: ["us.", ""]
        case nil: ["", "us."]
        }
        return prefixes.flatMap { prefix in ids.map { prefix + $0 } }.joined(separator: "|")
    }

    static func tallyPrice(_ model: ModelPrice, endpoint: Endpoint?, _ r: Request) throws -> Rational {
        var w = Workload(name: "r")
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

    typealias Reference = (ModelPrice, Endpoint?) -> String?

    /// Every Tally text or embedding model at every endpoint it is priced by,
    /// with the ref the oracle would be asked about.
    static func scopes(_ reference: Reference) throws -> [(model: ModelPrice, endpoint: Endpoint?, scope: CrossCheckFixture.Scope)] {
        try BuiltinCatalog.loaded.get().sortedModels.filter { $0.kind == .text || $0.kind == .embedding }.flatMap { model in
            (model.pricesByEndpoint ? [Endpoint.global, .regional] : [nil]).compactMap { endpoint in
                guard let ref = reference(model, endpoint),
                      model.rate(.input, region: "us-east-1", endpoint: endpoint ?? .global) != nil else { return nil }
                return (model, endpoint, CrossCheckFixture.Scope(model: model.name, endpoint: endpoint.map { "\($0)" } ?? "-", ref: ref))
            }
        }
    }

    /// Asks the oracle about 1,000 random requests per scope (every fourth
    /// past the long-context thresholds) and rewrites its fixture.
    static func refreshFixture(_ oracle: Oracle, _ reference: Reference) throws {
        let scopes = try Self.scopes(reference)
        var generator = Generator(state: 0x7A11)
        var requests: [[Request]] = []
        for (model, endpoint, scope) in scopes {
            let hasCache = model.rate(.cacheRead, region: "us-east-1", endpoint: endpoint ?? .global) != nil
            let hasOutput = model.kind == .text
            requests.append((0..<1_000).map { i in
                let input = i % 4 == 0 ? 90_000 + generator.below(320_000) : 1 + generator.below(20_000)
                let read = hasCache ? generator.below(input / 2 + 1) : 0
                let write = hasCache ? generator.below((input - read) / 2 + 1) : 0
                return Request(ref: scope.ref, input: input, output: hasOutput ? generator.below(8_000) : 0,
                               cache_read: read, cache_write: write)
            })
        }
        let answer = try oracle.ask(refs: scopes.map(\.scope.ref), requests: requests.flatMap { $0 })
        var prices = answer.prices[...]
        var fixture = CrossCheckFixture(oracle, version: answer.version, oracleModels: answer.models, scopes: [])
        for ((_, _, scope), asked) in zip(scopes, requests) {
            var scope = scope
            scope.oracleModel = answer.refs[scope.ref] ?? nil
            for request in asked {
                let price = prices.popFirst() ?? nil
                if scope.oracleModel != nil, let price { scope.rows.append(.init(request: request, price: price)) }
            }
            fixture.scopes.append(scope)
        }
        try fixture.text.write(toFile: oracle.fixturePath, atomically: true, encoding: .utf8)
    }

    struct Tally { var shared = 0; var compared = 0; var skipped = 0 }

    /// Compares Tally with the oracle's committed answers, every request but
    /// those of a named disagreement.
    static func compare(_ oracle: Oracle, _ reference: Reference, except disagreements: [Disagreement]) throws -> Tally {
        if ProcessInfo.processInfo.environment["TALLY_CROSSCHECK_REFRESH"] == "1" { try refreshFixture(oracle, reference) }
        let fixture = try CrossCheckFixture.load(oracle)
        #expect(fixture.version == oracle.version)
        let ours = try Self.scopes(reference)
        let answered = Dictionary(fixture.scopes.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        // A model or endpoint added to Tally, or gone from it, makes the fixture stale.
        let missing = ours.filter { answered[$0.scope.key] == nil }.map(\.scope.key)
        let extra = Set(answered.keys).subtracting(ours.map(\.scope.key))
        #expect(missing.isEmpty, "not in the fixture (run Scripts/crosscheck): \(missing.prefix(10))")
        #expect(extra.isEmpty, "in the fixture, not in Tally (run Scripts/crosscheck): \(extra.sorted().prefix(10))")
        #expect(answered.count == fixture.scopes.count, "a scope is in the fixture twice")

        let oracleModels = Set(fixture.oracleModels)
        let tolerance = Rational(1, 100_000_000) ?? .zero   // a millionth of a cent
        var shared = Set<String>()
        var tally = Tally()
        var stale: [String] = []
        var mismatches: [String] = []
        for (model, endpoint, scope) in ours {
            guard let answer = answered[scope.key] else { continue }
            guard let oracleModel = answer.oracleModel else {
                // The oracle never misses one of its own ids.
                let isOracleModel = scope.ref.split(separator: "|").contains { oracleModels.contains(String($0)) }
                #expect(!isOracleModel, "\(scope.ref) is a \(oracle.name) model, yet has no prices")
                #expect(answer.rows.isEmpty, "\(scope.key)")
                continue
            }
            let isOracleModel = oracleModels.contains(oracleModel)
            #expect(isOracleModel, "\(scope.key): \(oracleModel) is not a \(oracle.name) model")
            #expect(answer.rows.count == 1_000, "\(scope.key): \(answer.rows.count) requests")
            shared.insert(model.name)
            let named = disagreements.filter { $0.model == model.name && ($0.endpoint == nil || $0.endpoint == scope.endpoint) }
            // The quote prices most rows (it is held equal to the estimate below), the estimate every tenth.
            let quote = RequestQuote(model: model, region: "us-east-1", endpoint: endpoint ?? .global)
            // Rows a named disagreement covers are priced too: one of them must still disagree, or the entry is stale.
            var (excused, stillDisagreeing) = (0, 0)
            for (index, row) in answer.rows.enumerated() {
                let isExcused = named.contains(where: { row.request.input > $0.aboveInputTokens })
                let r = row.request
                let quoted = index % 10 == 0 ? nil
                    : quote?.price(input: r.input, output: r.output, cacheRead: r.cache_read, cacheWrite: r.cache_write)
                let ours = try quoted ?? Self.tallyPrice(model, endpoint: endpoint, r)
                guard let expected = Rational(decimalLiteral: Substring(row.price)),
                      let difference = ours.subtracting(expected)?.magnitude else {
                    mismatches.append("\(scope.ref): cannot read \(row.price)")
                    continue
                }
                if isExcused {
                    tally.skipped += 1
                    excused += 1
                    if difference > tolerance { stillDisagreeing += 1 }
                    continue
                }
                tally.compared += 1
                // The first difference of each scope, for up to 40 scopes.
                if difference > tolerance, mismatches.count < 40, !mismatches.contains(where: { $0.hasPrefix("\(oracleModel) \(scope.endpoint) ") }) {
                    mismatches.append("\(oracleModel) \(scope.endpoint) \(r.input)/\(r.output)/\(r.cache_read)/\(r.cache_write): Tally \(ours.decimalString(fractionDigits: 12)) \(oracle.name) \(row.price)")
                }
            }
            if excused > 0 && stillDisagreeing == 0 { stale.append("\(model.name) \(scope.endpoint)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(stale.isEmpty, "named disagreements that no longer disagree (remove them): \(stale)")
        tally.shared = shared.count
        return tally
    }

    @Test func tallyMatchesGenaiPrices() throws {
        let tally = try Self.compare(.genaiPrices, Self.genaiPricesReference, except: Self.genaiPricesDisagreements)
        // Every model genai-prices 0.2.3 prices on Bedrock is in Tally's catalog.
        #expect(tally.shared >= 85, "only \(tally.shared) shared models")
        #expect(tally.compared >= 85_000)
        #expect(tally.skipped > 0 && tally.skipped < 1_000)
    }

    @Test func tallyMatchesLiteLLM() throws {
        // The catalog's reviewed disagreements (disagreements.tsv) are about which key's rate it keeps; the refs
        // asked here price alike, so nothing is excused.
        let tally = try Self.compare(.litellm, Self.litellmReference, except: [])
        #expect(tally.shared >= 100, "only \(tally.shared) shared models")
        #expect(tally.compared >= 100_000)
    }

    /// A sample of each fixture asked of its package again, with how it knows
    /// each ref: a hand-edited fixture or a changed package fails here.
    @Test(.enabled(if: Oracle.genaiPrices.available, "needs genai-prices 0.2.3 in .build/oracles (Scripts/test installs it)"))
    func genaiPricesStillAnswersTheFixture() throws { try Self.askAgain(.genaiPrices) }

    @Test(.enabled(if: Oracle.litellm.available, "needs litellm 1.110.2 in .build/oracles (Scripts/test installs it)"))
    func litellmStillAnswersTheFixture() throws { try Self.askAgain(.litellm) }

    static func askAgain(_ oracle: Oracle) throws {
        let fixture = try CrossCheckFixture.load(oracle)
        let rows = fixture.scopes.flatMap(\.rows)
        try #require(rows.count > 50)
        var generator = Generator(state: 50)
        let sample = (0..<50).map { _ in rows[generator.below(rows.count)] }
        let answer = try oracle.ask(refs: fixture.scopes.map(\.ref), requests: sample.map(\.request))
        #expect(answer.version == fixture.version)
        #expect(answer.models == fixture.oracleModels)
        for scope in fixture.scopes {
            #expect(answer.refs[scope.ref] == .some(scope.oracleModel), "\(scope.ref): \(oracle.name) now prices it as \(String(describing: answer.refs[scope.ref]))")
        }
        try #require(answer.prices.count == sample.count)
        for (row, price) in zip(sample, answer.prices) {
            #expect(price == row.price, "\(row.request): \(oracle.name) now answers \(price ?? "nothing")")
        }
    }

    /// Found by the LiteLLM cross-check and reviewed: where Tally (with
    /// genai-prices) and LiteLLM 1.110.2 price a request differently.
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
                            && other?.since == rate.since, "\(x.name) \(kind)")
                }
            }
        }
        #expect(a.count > 100)
    }
}
