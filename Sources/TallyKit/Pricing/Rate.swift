/// What a rate is charged for, and in what unit a `price` block writes it.
public struct RateKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Measure: Sendable {
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
        public var dimension: Dimension {
            switch self {
            case .perToken: .moneyPerToken
            case .factor: .none
            case .perTime: .moneyPerTime
            case .perImage: .moneyPerImage
            case .perItem: .money
            case .perDataTime: .moneyPerDataTime
            }
        }

        var example: String {
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

    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }

    public static func < (lhs: RateKind, rhs: RateKind) -> Bool { lhs.name < rhs.name }

    public static let input = RateKind("input")
    public static let output = RateKind("output")
    public static let cacheRead = RateKind("cache-read")
    public static let cacheWrite = RateKind("cache-write")
    public static let cacheWrite1h = RateKind("cache-write-1h")
    public static let training = RateKind("training")
    public static let customStorage = RateKind("custom-storage")
    public static let ocu = RateKind("ocu")
    public static let storage = RateKind("storage")
    public static let query = RateKind("query")
    public static let page = RateKind("page")
    public static let image = RateKind("image")
    public static let modelUnit = RateKind("model-unit")

    /// Guardrail policies, each priced per text unit (up to 1,000 characters).
    public static let guardrailPolicies = ["content", "topics", "pii", "grounding", "reasoning", "words", "regex"]
    public static let provisionedTerms = ["no-commitment", "1-month", "6-month"]
    public static let serviceTiers = ["batch", "flex", "priority"]

    static let fixed: [String: Measure] = {
        var table: [String: Measure] = [:]
        for name in ["input", "output", "cache-read", "cache-write", "cache-write-1h", "training"] { table[name] = .perToken }
        for tier in serviceTiers {
            table[tier] = .factor
            table["\(tier)-input"] = .perToken
            table["\(tier)-output"] = .perToken
        }
        for term in provisionedTerms { table["provisioned-\(term)"] = .perTime }
        for name in ["custom-storage", "ocu", "model-unit"] { table[name] = .perTime }
        for name in ["image", "image-content"] { table[name] = .perImage }
        for name in ["query", "page"] + guardrailPolicies { table[name] = .perItem }
        table["storage"] = .perDataTime
        return table
    }()

    /// Every fixed rate name, for suggestions.
    public static var knownNames: [String] { Array(fixed.keys).sorted() + ["image-standard-1024", "image-premium-2048"] }

    /// The measure of a rate name, or nil when Tally does not know it.
    /// `image-QUALITY-SIZE` names an image price by quality and size.
    public var measure: Measure? {
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

    public static func imageRate(quality: String, size: Int) -> RateKind { RateKind("image-\(quality)-\(size)") }
    public static func provisioned(_ term: String) -> RateKind { RateKind("provisioned-\(term)") }
    public static func tierInput(_ tier: String) -> RateKind { RateKind("\(tier)-input") }
    public static func tierOutput(_ tier: String) -> RateKind { RateKind("\(tier)-output") }
}

/// One price and where it came from. `amount` is in base units: dollars per
/// token, per second, per image, per item, per GB-second, or a plain factor.
/// A class: every breakdown line refers to its rate, and a reference is a
/// tenth of the size of a copy.
public final class Rate: Sendable {
    public let amount: Rational
    public let kind: RateKind
    /// The public source the figure was taken from.
    public let source: String
    /// When the source was read, as written in the catalog (`2026-11`).
    public let asOf: String?
    /// The date the price took effect, when the catalog records a change.
    public let since: String?
    /// The price this one replaced, when the catalog records the change.
    public let previousAmount: Rational?
    /// The catalog or script line that declared it: `bedrock.tally:42`.
    public let origin: String
    /// True for the rates of Tally's built-in catalog.
    public let isBuiltin: Bool
    /// True when a script's `price` declaration replaced a built-in rate.
    public let overridden: Bool

    public init(amount: Rational, kind: RateKind, source: String, asOf: String?, since: String?, previousAmount: Rational?,
                origin: String, isBuiltin: Bool, overridden: Bool) {
        self.amount = amount
        self.kind = kind
        self.source = source
        self.asOf = asOf
        self.since = since
        self.previousAmount = previousAmount
        self.origin = origin
        self.isBuiltin = isBuiltin
        self.overridden = overridden
    }
}

/// Which endpoint a request goes through.
public enum Endpoint: String, CaseIterable, Sendable {
    case global, regional
}

/// Where a block of rates applies: a region, an endpoint when the model's
/// price depends on it, and a long-context threshold for tier rates.
public struct RateScope: Hashable, Sendable {
    public var region: String
    public var endpoint: Endpoint?
    /// Tier rates apply to the whole request when its input tokens exceed this.
    public var threshold: Rational?

    public init(region: String, endpoint: Endpoint? = nil, threshold: Rational? = nil) {
        self.region = region
        self.endpoint = endpoint
        self.threshold = threshold
    }
}
