import TallyQuantities

/// One fact about an estimate, as data: what it assumed because the script did
/// not say, or what it summarizes. Rendering turns notes into text.
package enum Note: Sendable, Equatable {
    // Assumptions.
    case defaultRegion(String)
    case defaultEndpoint(Endpoint)
    case defaultMode
    /// Tokens per request the script did not give.
    case defaultTokens(direction: String, Rational)
    /// How the script's figure became tokens, in the language's words
    /// (`800 words ≈ 1,067 tokens …`).
    case derivedTokens(String)
    case longContext(input: Rational, threshold: Rational)
    case defaultImagesPerRequest
    case defaultQuality(String)
    case defaultImageSize(Int)
    case defaultTerm(String)
    case guardrailCharacters(Rational, units: Rational)
    /// What the guardrails read (`stated` false: the default), and the text
    /// units that makes per policy per request.
    case guardrailScope(GuardrailScope, stated: Bool, units: Rational)
    case defaultVectorStore(String)
    case defaultOCUs(Rational)
    case defaultEmbedding(String)
    case defaultQueryTokens(Rational)
    case defaultReranker(String)
    case rerankBilling(chunks: Rational, billed: Rational)
    case defaultCustomModels
    /// A customization without `mode`: training and storage, no serving.
    case customizationWithoutServing
    /// AgentCore sessions without `active`: CPU billed for the whole session.
    case cpuAlwaysActive
    /// Data Automation without `output`: standard output.
    case defaultOutput
    /// Custom output without `fields`: a blueprint of no more fields than are included.
    case defaultBlueprintFields(included: Rational)

    // Summary.
    case requestsPerMonth(Rational)
    case agentSteps(Rational)
    case tokensPerRequest(input: Rational, output: Rational)
    case embeddingTokensPerRequest(Rational)
    case cacheRead(Rational)
    case cacheWrite(Rational, Workload.CacheTTL)
    case provisioned(units: Rational, term: String)
    case tags([String])
    /// The application inference profile the requests go through (its ARN).
    case profile(String)
    case ocusAllMonth(Rational)
    case retrievalsPerMonth(Rational)
    case customModelUnits(Rational, hoursPerDay: Rational)
    case modelCopies(Rational)
    /// A one-off cost, and the forecast month it falls in.
    case oneOff(month: Int)
    /// The script's month, when it is not 730 hours.
    case monthOf(hours: Rational)
    case sessionsPerMonth(Rational, seconds: Rational, active: Rational)
    /// A `usage` declaration: the records it priced, the period they cover.
    case measured(records: Int, from: String, to: String)
    /// Records a `usage` declaration read but could not price or parse: left
    /// out of its total, never counted as $0.
    case leftOut(unpriced: Int, malformed: Int, failed: Int)
    /// A custom output's blueprint fields, and how many of them each unit's rate includes.
    case blueprintFields(Rational, included: Rational)

    /// Token counts come first among the assumptions.
    package var isTokens: Bool {
        switch self {
        case .defaultTokens, .derivedTokens: true
        default: false
        }
    }
}
