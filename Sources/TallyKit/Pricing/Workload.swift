/// What the pricing engine needs to know about a workload, as the script gave
/// it. Anything left nil is filled from the engine's stated defaults.
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
    /// The catalog's guardrail prices (its `guardrails` entry).
    public var guardrailService: ModelPrice?
    /// Characters a guardrail evaluates per request, when given directly.
    public var guardrailCharacters: Rational?
    /// Images per request, their size (pixels on the long side) and quality.
    public var imagesPerRequest: Rational?
    public var imageSize: Int?
    public var imageQuality: String?
    public var tags: [(key: String, value: String)] = []

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

    /// Where each property was set, for diagnostics.
    public var spans: [String: Span] = [:]

    public init(name: String, span: Span) {
        self.name = name
        self.span = span
    }
}
