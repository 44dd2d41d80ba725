import TallyQuantities

/// What the pricing engine needs to know about a workload, as the script gave
/// it. Anything left nil is filled from the engine's stated defaults.
@dynamicMemberLookup
package struct Workload: Sendable {
    package enum CacheTTL: String, Sendable { case fiveMinutes = "5m", oneHour = "1h" }

    package enum Mode: Sendable, Equatable {
        case onDemand
        /// `batch`, `flex` or `priority`: a service tier priced from the
        /// on-demand rates.
        case tier(String)
        /// Model units reserved for a term, billed by the hour.
        case provisioned(units: Rational, term: String?)

        package var name: String {
            switch self {
            case .onDemand: "on-demand"
            case .tier(let t): t
            case .provisioned: "provisioned"
            }
        }
    }

    /// What a declaration describes: requests to a model, a knowledge base,
    /// or a customized model.
    package enum Kind: String, Sendable {
        case inference, knowledgeBase = "knowledge-base", customization, cost, guardrail, agentCore = "agentcore",
             dataAutomation = "data-automation"
        /// What logs say was spent: measured, never estimated.
        case usage
    }

    package var name: String
    package var kind: Kind = .inference
    /// Where the workload was declared, opaque to pricing (the language
    /// keeps its source spans here); nil for a workload built in code.
    package var origin: (any Provenance)?
    package var model: ModelPrice?
    /// The endpoint an inference-profile id (`global.…`) implied.
    package var modelEndpoint: Endpoint?
    /// Requests per second.
    package var requestsPerSecond: Rational?
    /// Tokens per request.
    package var inputTokens: Rational?
    package var outputTokens: Rational?
    /// How the token counts were derived when they were not given in tokens.
    package var inputNote: String?
    package var outputNote: String?
    /// Share of input tokens read from the prompt cache, and written to it.
    package var cacheRead: Rational = .zero
    package var cacheWrite: Rational = .zero
    package var cacheTTL: CacheTTL = .fiveMinutes
    package var region: String?
    package var endpoint: Endpoint?
    package var mode: Mode?
    /// Model calls an agent makes per request.
    package var agentSteps: Rational?
    /// Extra requests billed and thrown away, as a share of requests.
    package var retries: Rational?
    /// A multiplier for what estimates miss (1.5 adds half again).
    package var contingency: Rational?
    /// Guardrail policies applied to each request.
    package var guardrails: [String] = []
    package var tags: [(key: String, value: String)] = []
    /// Price at the rates in force on this day (a script's `catalog "DATE"`);
    /// nil: the catalog's current rates.
    package var pricedAsOf: CatalogDay?

    /// Where each property was set, for diagnostics.
    package var spans = PropertySpans()

    /// Knowledge-base, customization, image and guardrail fields, read as
    /// `workload.vectorStore`. Most workloads set none of them, so they live
    /// in a box that all such workloads share: a plan keeps every workload.
    private var details = DetailsBox.empty

    package subscript<T>(dynamicMember field: WritableKeyPath<Details, T>) -> T {
        get { details.fields[keyPath: field] }
        set {
            if !isKnownUniquelyReferenced(&details) { details = DetailsBox(details.fields) }
            details.fields[keyPath: field] = newValue
        }
    }

    package struct Details: Sendable {
        /// The application inference profile the model was named by, if any.
        package var profile: String?
        /// A `cost` block's amount: dollars per second, with where it was written.
        package var fixedRate: Rate?
        /// The forecast month a one-off cost falls in (1 is the first).
        package var oneOffMonth: Int?
        /// Seconds in the script's month (`month 744 hours`); nil: 730 hours.
        package var secondsPerMonth: Rational?
        /// The catalog's guardrail prices (its `guardrails` entry).
        package var guardrailService: ModelPrice?
        /// Characters a guardrail evaluates per request, when given directly.
        package var guardrailCharacters: Rational?
        /// What of each request a guardrail reads, when said; nil: the
        /// prompt and the response (`GuardrailScope.standard`).
        package var guardrailScope: GuardrailScope?
        /// Images per request, their size (pixels on the long side) and quality.
        package var imagesPerRequest: Rational?
        package var imageSize: Int?
        package var imageQuality: String?

        // Knowledge bases.
        package var vectorStore: ModelPrice?
        package var ocus: Rational?
        /// Gigabytes stored.
        package var storage: Rational?
        package var embeddingModel: ModelPrice?
        /// Tokens ingested per second.
        package var ingestPerSecond: Rational?
        package var ingestNote: String?
        /// Retrieval queries per second, and tokens embedded per query.
        package var retrievalsPerSecond: Rational?
        package var queryTokens: Rational?
        package var reranker: ModelPrice?
        package var reranksPerSecond: Rational?
        /// Document chunks reranked per query (a billed query covers up to 100).
        package var rerankChunks: Rational?
        package var structuredPerSecond: Rational?
        /// Pages Data Automation processes per second: a knowledge base's
        /// `parsing`, a data-automation block's `documents`.
        package var pagesPerSecond: Rational?
        /// The catalog entries that price structured retrieval and Data
        /// Automation (parsing, and a data-automation block's every line).
        package var retrievalService: ModelPrice?
        package var parsingService: ModelPrice?

        // Customization.
        /// Training tokens per second (a retraining cadence).
        package var trainingPerSecond: Rational?
        package var customModels: Rational?
        /// Custom Model Import: model units, and how long they are active per second.
        package var importUnits: Rational?
        /// Hours a day the imported model is active.
        package var importActiveHoursPerDay: Rational?
        package var importService: ModelPrice?
        /// Model copies active at once, each billed for `importUnits`.
        package var importCopies: Rational?

        // AgentCore. Rates are per second, counts as given.
        package var agentCoreService: ModelPrice?
        /// `runtime`, `browser` or `code-interpreter`: which compute the sessions run on.
        package var agentCompute: String?
        package var sessionsPerSecond: Rational?
        /// Seconds a session lasts, and the share of them its CPU is busy.
        package var sessionSeconds: Rational?
        package var activeShare: Rational?
        package var vcpus: Rational?
        /// Gigabytes of memory a session holds (its peak).
        package var sessionMemory: Rational?
        package var invocationsPerSecond: Rational?
        package var searchesPerSecond: Rational?
        package var toolsIndexed: Rational?
        package var eventsPerSecond: Rational?
        /// Long-term memory records stored, and whether a self-managed strategy made them.
        package var longTermRecords: Rational?
        package var selfManagedStrategy = false
        package var identityPerSecond: Rational?
        package var authorizationsPerSecond: Rational?
        /// Input tokens built-in evaluators read and output tokens they write
        /// per second, and custom evaluations per second.
        package var evaluationTokensPerSecond: Rational?
        package var evaluationOutputTokensPerSecond: Rational?
        package var customEvaluationsPerSecond: Rational?

        // Data Automation: images per second, and seconds of audio and video
        // per second; documents are `pagesPerSecond`.
        package var mediaImagesPerSecond: Rational?
        package var audioPerSecond: Rational?
        package var videoPerSecond: Rational?
        /// Custom output (a blueprint) rather than standard; nil: standard, the default.
        package var customOutput: Bool?
        /// Fields in the custom output's blueprint.
        package var blueprintFields: Rational?
    }

    /// Copied before a write when shared, so a workload stays a value.
    final class DetailsBox: @unchecked Sendable {
        var fields: Details
        init(_ fields: Details) { self.fields = fields }
        static let empty = DetailsBox(Details())
    }

    package init(name: String, origin: (any Provenance)? = nil) {
        self.name = name
        self.origin = origin
    }

    /// Seconds in a month for this workload: its script's month, or 730 hours.
    package var monthSeconds: Rational { self.secondsPerMonth ?? Units.month.factor }

    /// True when the workload's declaration set `property`.
    package func gave(_ property: String) -> Bool { spans.contains(property) }
}

/// Where something was written, as the layer that read it knows it: pricing
/// stores it and hands it back, and never looks inside.
package protocol Provenance: Sendable {}

/// Which properties a workload's declaration set, and where: a short list,
/// since a workload sets a handful of properties and a plan keeps every
/// workload.
package struct PropertySpans: Sendable {
    private var entries: [(name: String, span: any Provenance)] = []

    package init() {}

    package func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }

    package subscript(name: String) -> (any Provenance)? {
        get { entries.first { $0.name == name }?.span }
        set {
            let index = entries.firstIndex { $0.name == name }
            switch (index, newValue) {
            case (let i?, let span?): entries[i].span = span
            case (let i?, nil): entries.remove(at: i)
            case (nil, let span?):
                // A workload sets a handful: one allocation, not four growths.
                if entries.isEmpty { entries.reserveCapacity(8) }
                entries.append((name, span))
            case (nil, nil): break
            }
        }
    }
}

/// What of each request the guardrails read. Bedrock bills every policy per
/// text unit (1,000 characters, rounded up per request) of what it screens.
/// A guardrail attached to the model call screens the whole prompt and the
/// response; tagging only the user's turn as guard content (the
/// `guardContent` block of Converse, or input tags in InvokeModel) leaves
/// the system prompt, retrieved context and history of the input unscreened
/// and unbilled, while the response is screened as before.
package enum GuardrailScope: Sendable, Equatable {
    case promptAndResponse
    /// The whole prompt, not the response.
    case prompt
    /// The user's turn, this many characters, and the response.
    case userTurn(characters: Rational)

    /// What a guardrail reads when the workload does not say.
    package static let standard = GuardrailScope.promptAndResponse

    /// As a script writes it: `prompt+response`, `prompt`, `user-turn 250 tokens`.
    package var source: String {
        switch self {
        case .promptAndResponse: "prompt+response"
        case .prompt: "prompt"
        case .userTurn(let characters):
            characters.divided(by: Engine.charactersPerToken).flatMap { $0.isInteger ? "user-turn \(Format.count($0)) tokens" : nil }
                ?? "user-turn \(Format.count(characters)) characters"
        }
    }
}
