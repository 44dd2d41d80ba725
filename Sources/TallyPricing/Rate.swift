import TallyQuantities

/// What a rate is charged for, and in what unit a `price` block writes it.
package struct RateKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    package enum Measure: Sendable {
        /// Dollars per token: `$3/1M tokens`.
        case perToken
        /// A share of another rate: `batch 50%`.
        case factor
        /// Dollars per hour or month, per unit of capacity: `$60.50/hour`.
        case perTime
        /// Dollars per image: `$0.04/image`.
        case perImage
        /// Dollars per item (a query, a page, a guardrail text unit): `$2/1000`.
        case perItem
        /// Dollars per GB-month: `$0.024/GB/month`.
        case perDataTime

        /// The dimension a rate of this measure must have.
        package var dimension: Dimension {
            switch self {
            case .perToken: .moneyPerToken
            case .factor: .none
            case .perTime: .moneyPerTime
            case .perImage: .moneyPerImage
            case .perItem: .money
            case .perDataTime: .moneyPerDataTime
            }
        }

        package var example: String {
            switch self {
            case .perToken: "$3/1M tokens"
            case .factor: "50%"
            case .perTime: "$60.50/hour"
            case .perImage: "$0.04/image"
            case .perItem: "$2/1000"
            case .perDataTime: "$0.024/GB/month"
            }
        }
    }

    package let name: String

    package init(_ name: String) {
        self.name = name
    }

    package var description: String { name }

    package static func < (lhs: RateKind, rhs: RateKind) -> Bool { lhs.name < rhs.name }

    package static let input = RateKind("input")
    package static let output = RateKind("output")
    package static let cacheRead = RateKind("cache-read")
    package static let cacheWrite = RateKind("cache-write")
    package static let cacheWrite1h = RateKind("cache-write-1h")
    package static let training = RateKind("training")
    package static let customStorage = RateKind("custom-storage")
    package static let ocu = RateKind("ocu")
    package static let storage = RateKind("storage")
    package static let query = RateKind("query")
    package static let page = RateKind("page")
    package static let image = RateKind("image")
    package static let modelUnit = RateKind("model-unit")
    // AgentCore: compute per vCPU-hour and GB-hour of a session; the rest per call, record or token.
    package static let vcpuHour = RateKind("vcpu-hour")
    package static let gbHour = RateKind("gb-hour")
    package static let invocation = RateKind("invocation")
    package static let search = RateKind("search")
    package static let toolIndex = RateKind("tool-index")
    package static let event = RateKind("event")
    package static let record = RateKind("record")
    package static let recordSelfManaged = RateKind("record-self-managed")
    package static let retrieval = RateKind("retrieval")
    package static let identity = RateKind("identity")
    package static let authorization = RateKind("authorization")
    package static let evaluationInput = RateKind("evaluation-input")
    package static let evaluationOutput = RateKind("evaluation-output")
    package static let customEvaluation = RateKind("custom-evaluation")
    // Data Automation: standard output per page, image and minute of media
    // (`page` also prices a knowledge base's parsing); custom output per unit,
    // and per field a blueprint has beyond those included, per unit.
    package static let pageCustom = RateKind("page-custom")
    package static let imageCustom = RateKind("image-custom")
    package static let audio = RateKind("audio")
    package static let audioCustom = RateKind("audio-custom")
    package static let video = RateKind("video")
    package static let videoCustom = RateKind("video-custom")
    package static let extraField = RateKind("extra-field")
    /// A fixed cost a script declares (`cost NAME < $700/month >`), in dollars
    /// per month of its script (not per second: a month's fee stays whole
    /// whatever the month's length); not a rate a `price` block gives.
    package static let fixedCost = RateKind("fixed")
    /// A one-off cost a script declares (`cost NAME < $12k; month 3 >`), in dollars.
    package static let oneOffCost = RateKind("once")

    /// Guardrail policies, each priced per text unit (up to 1,000 characters).
    package static let guardrailPolicies = ["content", "topics", "pii", "grounding", "reasoning", "words", "regex"]
    package static let provisionedTerms = ["no-commitment", "1-month", "6-month"]
    package static let serviceTiers = ["batch", "flex", "priority"]

    static let fixed: [String: Measure] = {
        var table: [String: Measure] = [:]
        for name in ["input", "output", "cache-read", "cache-write", "cache-write-1h", "training", "evaluation-input", "evaluation-output"] {
            table[name] = .perToken
        }
        for tier in serviceTiers {
            table[tier] = .factor
            table["\(tier)-input"] = .perToken
            table["\(tier)-output"] = .perToken
        }
        for term in provisionedTerms { table["provisioned-\(term)"] = .perTime }
        for name in ["custom-storage", "ocu", "model-unit", "vcpu-hour", "tool-index", "record", "record-self-managed",
                     "audio", "audio-custom", "video", "video-custom"] { table[name] = .perTime }
        for name in ["image", "image-content", "image-custom"] { table[name] = .perImage }
        for name in ["query", "page", "page-custom", "extra-field", "invocation", "search", "event", "retrieval", "identity", "authorization", "custom-evaluation"]
            + guardrailPolicies { table[name] = .perItem }
        for name in ["storage", "gb-hour"] { table[name] = .perDataTime }
        return table
    }()

    /// Every fixed rate name, for suggestions.
    package static var knownNames: [String] { Array(fixed.keys).sorted() + ["image-standard-1024", "image-premium-2048"] }

    /// The measure of a rate name, or nil when Tally does not know it.
    /// `image-QUALITY-SIZE` names an image price by quality and size.
    package var measure: Measure? {
        if let m = RateKind.fixed[name] { return m }
        if RateKind.imageParts(name) != nil { return .perImage }
        return nil
    }

    /// `image-premium-2048` → ("premium", 2048).
    static func imageParts(_ name: String) -> (quality: String, size: Int)? {
        let parts = name.split(separator: "-")
        guard parts.count == 3, parts[0] == "image", let size = Int(parts[2]), size > 0, size <= 100_000,
              parts[1].allSatisfy(\.isLetter)
        else { return nil }
        return (String(parts[1]), size)
    }

    package static func imageRate(quality: String, size: Int) -> RateKind { RateKind("image-\(quality)-\(size)") }
    package static func provisioned(_ term: String) -> RateKind { RateKind("provisioned-\(term)") }
    package static func tierInput(_ tier: String) -> RateKind { RateKind("\(tier)-input") }
    package static func tierOutput(_ tier: String) -> RateKind { RateKind("\(tier)-output") }
}

/// One price and where it came from. `amount` is in base units: dollars per
/// token, per second, per image, per item, per GB-second, or a plain factor.
/// A class: every breakdown line refers to its rate, and a reference is a
/// tenth of the size of a copy.
package final class Rate: Sendable {
    package let amount: Rational
    package let kind: RateKind
    /// The public source the figure was taken from.
    package let source: String
    /// When the source was read, as written in the catalog (`2026-11`).
    package let asOf: String?
    /// The date the price took effect, when the catalog records a change.
    package let since: String?
    /// The catalog or script line that declared it: `bedrock.tally:42`.
    package let origin: String
    /// True for the rates of Tally's built-in catalog.
    package let isBuiltin: Bool
    /// True when a script's `price` declaration replaced a built-in rate.
    package let overridden: Bool
    /// In a catalog read as of a past day: when this rate stopped applying, and
    /// the rate that followed it.
    package let supersededOn: String?
    package let supersededBy: Rational?

    package init(amount: Rational, kind: RateKind, source: String, asOf: String?, since: String?,
                origin: String, isBuiltin: Bool, overridden: Bool, supersededOn: String? = nil, supersededBy: Rational? = nil) {
        self.supersededOn = supersededOn
        self.supersededBy = supersededBy
        self.amount = amount
        self.kind = kind
        self.source = source
        self.asOf = asOf
        self.since = since
        self.origin = origin
        self.isBuiltin = isBuiltin
        self.overridden = overridden
    }
}

extension Rate {
    /// The same rate, marked as replaced on `day` by `next`.
    func superseded(on day: String, by next: Rational) -> Rate {
        Rate(amount: amount, kind: kind, source: source, asOf: asOf, since: since, origin: origin,
             isBuiltin: isBuiltin, overridden: overridden, supersededOn: day, supersededBy: next)
    }
}

/// Which endpoint a request goes through.
package enum Endpoint: String, CaseIterable, Sendable {
    case global, regional
}

/// Where a block of rates applies: a region, an endpoint when the model's
/// price depends on it, and a long-context threshold for tier rates.
package struct RateScope: Hashable, Sendable {
    package var region: String
    package var endpoint: Endpoint?
    /// Tier rates apply to the whole request when its input tokens exceed this.
    package var threshold: Rational?

    package init(region: String, endpoint: Endpoint? = nil, threshold: Rational? = nil) {
        self.region = region
        self.endpoint = endpoint
        self.threshold = threshold
    }
}
