/// What the pricing engine needs to know about a workload, as the script gave
/// it. Anything left nil is filled from the engine's stated defaults.
@dynamicMemberLookup
public struct Workload: Sendable {
    public enum CacheTTL: String, Sendable { case fiveMinutes = "5m", oneHour = "1h" }

    public enum Mode: Sendable, Equatable {
        case onDemand
        /// `batch`, `flex` or `priority`: a service tier priced from the
        /// on-demand rates.
        case tier(String)
        /// Model units reserved for a term, billed by the hour.
        case provisioned(units: Rational, term: String?)

        public var name: String {
            switch self {
            case .onDemand: "on-demand"
            case .tier(let t): t
            case .provisioned: "provisioned"
            }
        }
    }

    /// What a declaration describes: requests to a model, a knowledge base,
    /// or a customized model.
    public enum Kind: String, Sendable { case inference, knowledgeBase = "knowledge-base", customization }

    public var name: String
    public var kind: Kind = .inference
    public var span: Span
    public var model: ModelPrice?
    /// The endpoint an inference-profile id (`global.…`) implied.
    public var modelEndpoint: Endpoint?
    /// Requests per second.
    public var requestsPerSecond: Rational?
    /// Tokens per request.
    public var inputTokens: Rational?
    public var outputTokens: Rational?
    /// How the token counts were derived when they were not given in tokens.
    public var inputNote: String?
    public var outputNote: String?
    /// Share of input tokens read from the prompt cache, and written to it.
    public var cacheRead: Rational = .zero
    public var cacheWrite: Rational = .zero
    public var cacheTTL: CacheTTL = .fiveMinutes
    public var region: String?
    public var endpoint: Endpoint?
    public var mode: Mode?
    /// Model calls an agent makes per request.
    public var agentSteps: Rational?
    /// Extra requests billed and thrown away, as a share of requests.
    public var retries: Rational?
    /// A multiplier for what estimates miss (1.5 adds half again).
    public var contingency: Rational?
    /// Guardrail policies applied to each request.
    public var guardrails: [String] = []
    public var tags: [(key: String, value: String)] = []

    /// Where each property was set, for diagnostics.
    public var spans = PropertySpans()

    /// Knowledge-base, customization, image and guardrail fields, read as
    /// `workload.vectorStore`. Most workloads set none of them, so they live
    /// in a box that all such workloads share: a plan keeps every workload.
    private var details = DetailsBox.empty

    public subscript<T>(dynamicMember field: WritableKeyPath<Details, T>) -> T {
        get { details.fields[keyPath: field] }
        set {
            if !isKnownUniquelyReferenced(&details) { details = DetailsBox(details.fields) }
            details.fields[keyPath: field] = newValue
        }
    }

    public struct Details: Sendable {
        /// The catalog's guardrail prices (its `guardrails` entry).
        public var guardrailService: ModelPrice?
        /// Characters a guardrail evaluates per request, when given directly.
        public var guardrailCharacters: Rational?
        /// Images per request, their size (pixels on the long side) and quality.
        public var imagesPerRequest: Rational?
        public var imageSize: Int?
        public var imageQuality: String?

        // Knowledge bases.
        public var vectorStore: ModelPrice?
        public var ocus: Rational?
        /// Gigabytes stored.
        public var storage: Rational?
        public var embeddingModel: ModelPrice?
        /// Tokens ingested per second.
        public var ingestPerSecond: Rational?
        public var ingestNote: String?
        /// Retrieval queries per second, and tokens embedded per query.
        public var retrievalsPerSecond: Rational?
        public var queryTokens: Rational?
        public var reranker: ModelPrice?
        public var reranksPerSecond: Rational?
        /// Document chunks reranked per query (a billed query covers up to 100).
        public var rerankChunks: Rational?
        public var structuredPerSecond: Rational?
        public var pagesPerSecond: Rational?
        /// The catalog entries that price structured retrieval and parsing.
        public var retrievalService: ModelPrice?
        public var parsingService: ModelPrice?

        // Customization.
        /// Training tokens per second (a retraining cadence).
        public var trainingPerSecond: Rational?
        public var customModels: Rational?
        /// Custom Model Import: model units, and how long they are active per second.
        public var importUnits: Rational?
        /// Hours a day the imported model is active.
        public var importActiveHoursPerDay: Rational?
        public var importService: ModelPrice?
    }

    /// Copied before a write when shared, so a workload stays a value.
    final class DetailsBox: @unchecked Sendable {
        var fields: Details
        init(_ fields: Details) { self.fields = fields }
        static let empty = DetailsBox(Details())
    }

    public init(name: String, span: Span) {
        self.name = name
        self.span = span
    }
}

/// Where each property of a workload was set: a short list, since a workload
/// sets a handful of properties and a plan keeps every workload.
public struct PropertySpans: Sendable {
    private var entries: [(name: String, span: Span)] = []

    public init() {}

    public subscript(name: String) -> Span? {
        get { entries.first { $0.name == name }?.span }
        set {
            let index = entries.firstIndex { $0.name == name }
            switch (index, newValue) {
            case (let i?, let span?): entries[i].span = span
            case (let i?, nil): entries.remove(at: i)
            case (nil, let span?): entries.append((name, span))
            case (nil, nil): break
            }
        }
    }
}
