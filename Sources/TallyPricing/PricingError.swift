import TallyQuantities

/// Why a workload could not be priced, as data: the language turns it into a
/// located diagnostic, the facade hands it to code. `properties` name what the
/// error is about, most specific first; a reader points at the first one the
/// declaration set, or else at the declaration.
package struct PricingError: Error, Sendable {
    package enum Service: String, Sendable {
        case guardrails, structuredRetrieval = "structured retrieval", parsing = "document parsing", modelImport = "Custom Model Import", agentCore = "AgentCore"
    }

    /// What a missing rate's hint should suggest.
    package enum RateHint: Sendable {
        /// Declare the rate with a `price` block.
        case declare
        /// The model has no prompt cache.
        case promptCache
        /// The model has no 1-hour cache.
        case oneHourCache
        /// The model cannot be fine-tuned at a known price.
        case training
    }

    package enum Reason: Sendable {
        /// A figure overflowed exact arithmetic.
        case tooLarge
        /// A per-day, per-request or per-second figure has no exact form.
        case inexact
        case noModel
        case noRequests
        case noVectorStore
        case noEmbeddingModel
        case noReranker
        case noBaseModel
        case customNeedsProvisioned
        case importNeedsActiveHours
        case noAmount
        /// Cache reads and writes together are more than the prompt, or negative.
        case cacheExceedsInput
        case monthOnlyForOneOff
        case guardrailNeedsText
        case guardrailNeedsPolicies
        case agentCoreMetersNothing
        /// A `usage` declaration is read from logs, not estimated.
        case measuredOnly
        case sessionsNeed(String)
        case computeNeedsSessions
        case dataAutomationProcessesNothing
        /// `fields` counts a blueprint's fields, and the output is standard.
        case fieldsNeedCustomOutput
        case guardrailsNeedRequests
        case missingService(Service)
        case notInRegion(model: String, region: String, regions: [String])
        case noEndpoint(model: String, endpoint: Endpoint, region: String, priced: [Endpoint])
        case noRate(model: String, kind: RateKind, region: String, hint: RateHint)
        case imageModelTokens(model: String, property: String)
        case embeddingOutput(model: String)
        case embeddingCache(model: String)
        case notCallable(model: String, kind: ModelKind)
        case imageProperty(property: String, model: String, kind: ModelKind)
        case noTier(model: String, tier: String, region: String)
        case imageTier(model: String, tier: String)
        case noQuality(model: String, quality: String, qualities: [String])
        case imageTooLarge(model: String, largest: Int, sizes: [Int])
        case noTerm(model: String, term: String, region: String, terms: [String])
    }

    /// The workload's name.
    package let workload: String
    package let reason: Reason
    package let properties: [String]

    package init(_ workload: String, _ reason: Reason, at properties: [String] = []) {
        self.workload = workload
        self.reason = reason
        self.properties = properties
    }
}
