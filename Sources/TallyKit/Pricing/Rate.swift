/// What a rate is charged for.
public enum RateKind: String, CaseIterable, Sendable {
    case input
    case output
    case cacheRead = "cache-read"
    case cacheWrite = "cache-write"
    case cacheWrite1h = "cache-write-1h"

    /// The line of a breakdown this rate prices.
    public var lineLabel: String {
        switch self {
        case .input: "input"
        case .output: "output"
        case .cacheRead: "cache read"
        case .cacheWrite: "cache write 5m"
        case .cacheWrite1h: "cache write 1h"
        }
    }
}

/// One price: dollars per token, and where it came from.
public struct Rate: Sendable {
    /// Dollars per token.
    public var amount: Rational
    /// The public source the figure was taken from.
    public var source: String
    /// When the source was read, as written in the catalog (`2026-11`).
    public var asOf: String?
    /// The catalog or script line that declared it: `bedrock.tally:42`.
    public var origin: String
    /// True for the rates of Tally's built-in catalog.
    public var isBuiltin: Bool
    /// True when a script's `price` declaration replaced a built-in rate.
    public var overridden: Bool
}

/// Which endpoint a request goes through.
public enum Endpoint: String, CaseIterable, Sendable {
    case global, regional
}

/// Where a block of rates applies: a region, and an endpoint when the model's
/// price depends on it.
public struct RateScope: Hashable, Sendable {
    public var region: String
    public var endpoint: Endpoint?
}
