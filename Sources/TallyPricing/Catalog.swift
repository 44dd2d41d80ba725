import TallyQuantities

/// What a catalog entry prices.
package enum ModelKind: String, CaseIterable, Sendable {
    /// Text in, text out: billed per input and output token.
    case text
    /// Input tokens only.
    case embedding
    /// Billed per generated image.
    case image
    /// Billed per query.
    case rerank
    /// Priced services that are not models: guardrails, vector stores,
    /// retrieval, parsing, model import.
    case service
}

/// A model (or service) Tally can price, with its rates in every scope the
/// catalog knows.
package struct ModelPrice: Sendable {
    /// The short name scripts use: `sonnet-4.5`.
    package var name: String
    package var displayName: String?
    /// The Bedrock model id: `anthropic.claude-sonnet-4-5-20250929-v1:0`.
    package var id: String?
    package var aliases: [String] = []
    package var provider: String?
    package var kind: ModelKind = .text
    /// One of the reference models most plans start from; Tab completion
    /// offers these first.
    package var featured = false
    /// The shortest prompt prefix the model caches, in tokens.
    package var cacheMinimum: Rational?
    package var rates: [RateScope: [RateKind: Rate]] = [:] {
        didSet { hasTiers = rates.keys.contains { $0.threshold != nil } }
    }
    /// True when some rates apply above a long-context threshold.
    private(set) var hasTiers = false
    /// Rates a dated change replaced, oldest first, per scope and kind: the
    /// catalog keeps its history, so it can be read as of a past day.
    package var earlier: [RateScope: [RateKind: [Rate]]] = [:]
    /// Where the model was first declared.
    package var origin: String

    package init(name: String, origin: String) {
        self.name = name
        self.origin = origin
    }

    /// True when some rates apply to one endpoint only.
    package var pricesByEndpoint: Bool { rates.keys.contains { $0.endpoint != nil } }

    package var regions: [String] { Array(Set(rates.keys.map(\.region))).sorted() }

    package func hasRates(region: String) -> Bool { rates.keys.contains { $0.region == region } }

    package func hasRates(region: String, endpoint: Endpoint) -> Bool {
        rates.keys.contains { $0.region == region && ($0.endpoint == nil || $0.endpoint == endpoint) }
    }

    /// Long-context thresholds in a region, lowest first.
    package func thresholds(region: String, endpoint: Endpoint) -> [Rational] {
        guard hasTiers else { return [] }
        return Array(Set(rates.keys.filter { $0.region == region && ($0.endpoint == nil || $0.endpoint == endpoint) }
            .compactMap(\.threshold))).sorted()
    }

    /// The rate for `kind`: endpoint-specific before endpoint-free, and the
    /// tier for `inputTokens` (the highest threshold they exceed) before the
    /// base rate.
    package func rate(_ kind: RateKind, region: String, endpoint: Endpoint, inputTokens: Rational = .zero) -> Rate? {
        if !hasTiers {
            return rates[RateScope(region: region, endpoint: endpoint)]?[kind] ?? rates[RateScope(region: region, endpoint: nil)]?[kind]
        }
        let tiers = thresholds(region: region, endpoint: endpoint).filter { inputTokens > $0 }.reversed()
        for threshold in Array(tiers).map(Optional.some) + [nil] {
            if let r = rates[RateScope(region: region, endpoint: endpoint, threshold: threshold)]?[kind] { return r }
            if let r = rates[RateScope(region: region, endpoint: nil, threshold: threshold)]?[kind] { return r }
        }
        return nil
    }

    /// The tier threshold a request of `inputTokens` falls into, if any.
    package func tier(region: String, endpoint: Endpoint, inputTokens: Rational) -> Rational? {
        ModelPrice.tier(of: thresholds(region: region, endpoint: endpoint), inputTokens: inputTokens)
    }

    /// The highest of `thresholds` (lowest first) that a call's input exceeds:
    /// the long-context tier it is billed at, nil for the base rates.
    package static func tier(of thresholds: some BidirectionalCollection<Rational>, inputTokens: Rational) -> Rational? {
        thresholds.last { inputTokens > $0 }
    }

    /// Every rate kind the model has somewhere, sorted.
    package var rateKinds: [RateKind] {
        Array(Set(rates.values.flatMap(\.keys))).sorted()
    }
}

/// A catalog kept elsewhere and read a model at a time: the language reads
/// the built-in catalog's blocks on first use. Pricing only asks it for names
/// and models.
package protocol CatalogShelf: Sendable {
    /// The model's name for a name, alias or Bedrock id.
    func owner(of name: String) -> String?
    /// Every name, alias and Bedrock id.
    var allNames: [String] { get }
    /// The model for a canonical name, read on first use.
    func model(named name: String) -> ModelPrice?
    /// Every model, read now if not before.
    var allModels: [ModelPrice] { get }
    /// The names of the models a search for `needle` could find — a superset
    /// of those whose name, display name, id, provider, alias or kind
    /// contains it, ignoring case — so a search reads only those; nil to read
    /// every model.
    func candidates(mentioning needle: String) -> Set<String>?
}

extension CatalogShelf {
    package func candidates(mentioning needle: String) -> Set<String>? { nil }
}

/// Every model Tally knows, by name, alias and Bedrock id: the built-in
/// catalog (read a model at a time) and what a script declares or overrides.
package struct Catalog: Sendable {
    /// Models declared or changed here, by name.
    private var declared: [String: ModelPrice] = [:]
    /// Alias or id → name, for the models declared here.
    private var names: [String: String] = [:]
    /// Application inference profiles declared here, by ARN.
    private var profiles: [String: InferenceProfile] = [:]
    /// The built-in catalog under what is declared here.
    let source: (any CatalogShelf)?

    package init() {
        source = nil
    }

    package init(source: any CatalogShelf) {
        self.source = source
    }

    /// The model for a name, alias or Bedrock id. An inference-profile id
    /// (`global.…`, `us.…`) names the same model; `endpoint(forReference:)`
    /// tells which endpoint it implies.
    package func model(named name: String) -> ModelPrice? {
        if !profiles.isEmpty, let profile = profiles[name] { return exactly(profile.model) }
        if let found = exactly(name) { return found }
        // Once, without recursion: a name of many `bedrock/` prefixes is no model.
        let key = Catalog.withoutLiteLLMPrefix(name) ?? name
        if key != name, let found = exactly(key) { return found }
        if let (_, base) = Catalog.splitProfile(key) { return exactly(base) }
        return nil
    }

    /// LiteLLM's keys name a model behind `bedrock/`, `bedrock/converse/`,
    /// `bedrock/invoke/` and `bedrock/REGION/`: the model id after them, or
    /// nil for a name without that prefix. The region does not select one.
    package static func withoutLiteLLMPrefix(_ name: String) -> String? {
        guard name.hasPrefix("bedrock/") else { return nil }
        var parts = name.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if parts.count > 1, let first = parts.first, first == "converse" || first == "invoke" || isRegion(first) {
            parts = parts.dropFirst()
        }
        guard parts.count == 1, let key = parts.first, !key.isEmpty else { return nil }
        return String(key)
    }

    /// `us-east-1`, `us-gov-west-1`, `ap-southeast-2`: letters, dashes, a final digit.
    static func isRegion(_ text: Substring) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        guard words.count >= 3, let last = words.last, last.allSatisfy(\.isNumber) else { return false }
        return words.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter && $0.isASCII } }
    }

    private func exactly(_ name: String) -> ModelPrice? {
        if !names.isEmpty, let canonical = names[name] { return declared[canonical] }
        guard let source, let owner = source.owner(of: name) else { return nil }
        return declared[owner] ?? source.model(named: owner)
    }

    static let geographies = ["us", "eu", "apac", "us-gov", "jp", "au", "ca", "in"]

    package static func splitProfile(_ name: String) -> (Endpoint, String)? {
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let prefix = String(name[..<dot])
        let rest = String(name[name.index(after: dot)...])
        if prefix == "global" { return (.global, rest) }
        if prefix == "regional" || geographies.contains(prefix) { return (.regional, rest) }
        return nil
    }

    /// `global.anthropic.…` implies the global endpoint, `us.anthropic.…` a
    /// regional one.
    package func endpoint(forReference name: String) -> Endpoint? {
        if !profiles.isEmpty, let profile = profiles[name] { return profile.endpoint }
        return Catalog.splitProfile(Catalog.withoutLiteLLMPrefix(name) ?? name)?.0
    }

    /// The application inference profile an ARN names, when declared.
    package func profile(named arn: String) -> InferenceProfile? { profiles[arn] }

    /// Declares (or redeclares) an application inference profile.
    package mutating func store(_ profile: InferenceProfile) {
        profiles[profile.arn] = profile
    }

    /// Every name, alias and id.
    package var allNames: [String] {
        Array(Set(names.keys).union(source?.allNames ?? []))
    }

    /// Every model, sorted by name (the built-in ones read now if not before).
    package var sortedModels: [ModelPrice] {
        var all = declared
        for model in source?.allModels ?? [] where all[model.name] == nil { all[model.name] = model }
        return all.values.sorted { $0.name < $1.name }
    }

    /// Every region a model is priced in, sorted (the built-in models read now if not before).
    package var regions: [String] {
        Set(sortedModels.flatMap(\.regions)).sorted()
    }

    /// The models a search for `needle` could find, sorted by name: every
    /// one declared here, and of the built-in ones only those the shelf
    /// names as candidates (read now if not before).
    package func sortedModels(mentioning needle: String) -> [ModelPrice] {
        guard let source, let names = source.candidates(mentioning: needle) else { return sortedModels }
        var all = declared
        for name in names where all[name] == nil {
            if let model = source.model(named: name) { all[name] = model }
        }
        return all.values.sorted { $0.name < $1.name }
    }

    /// Adds or replaces a model; its aliases and id become names for it.
    package mutating func store(_ model: ModelPrice) {
        declared[model.name] = model
        names[model.name] = model.name
        for alias in model.aliases { names[alias] = model.name }
        if let id = model.id { names[id] = model.name }
    }

    /// The canonical name for a name, alias or id.
    package func canonicalName(_ name: String) -> String? {
        names[name] ?? source?.owner(of: name)
    }
}
