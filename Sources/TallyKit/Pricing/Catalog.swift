/// A model Tally can price, with its rates in every scope the catalog knows.
public struct ModelPrice: Sendable {
    /// The short name scripts use: `sonnet-4.5`.
    public var name: String
    public var displayName: String?
    /// The Bedrock model id: `anthropic.claude-sonnet-4-5-20250929-v1:0`.
    public var id: String?
    public var aliases: [String] = []
    public var provider: String?
    public var rates: [RateScope: [RateKind: Rate]] = [:]
    /// Where the model was first declared.
    public var origin: String

    /// True when some rates apply to one endpoint only.
    public var pricesByEndpoint: Bool { rates.keys.contains { $0.endpoint != nil } }

    public var regions: [String] { Array(Set(rates.keys.map(\.region))).sorted() }

    /// The rate for `kind`, preferring an endpoint-specific one.
    public func rate(_ kind: RateKind, region: String, endpoint: Endpoint) -> Rate? {
        rates[RateScope(region: region, endpoint: endpoint)]?[kind] ?? rates[RateScope(region: region, endpoint: nil)]?[kind]
    }

    public func hasRates(region: String) -> Bool { rates.keys.contains { $0.region == region } }

    public func hasRates(region: String, endpoint: Endpoint) -> Bool {
        rates[RateScope(region: region, endpoint: endpoint)] != nil || rates[RateScope(region: region, endpoint: nil)] != nil
    }
}

/// Every model Tally knows, by name, alias and Bedrock id.
public struct Catalog: Sendable {
    public private(set) var models: [String: ModelPrice] = [:]
    /// Alias or id → canonical name.
    private var names: [String: String] = [:]

    public init() {}

    public func model(named name: String) -> ModelPrice? {
        names[name].flatMap { models[$0] }
    }

    public var allNames: [String] { Array(names.keys) }

    public var sortedModels: [ModelPrice] { models.values.sorted { $0.name < $1.name } }

    /// Adds or replaces a model; its aliases and id become names for it.
    public mutating func store(_ model: ModelPrice) {
        models[model.name] = model
        names[model.name] = model.name
        for alias in model.aliases { names[alias] = model.name }
        if let id = model.id { names[id] = model.name }
    }

    /// The canonical name for a name, alias or id.
    public func canonicalName(_ name: String) -> String? { names[name] }
}
