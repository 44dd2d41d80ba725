/// What the pricing engine needs to know about a workload, as the script gave
/// it. Anything left nil is filled from the engine's stated defaults.
public struct Workload: Sendable {
    public enum CacheTTL: String, Sendable { case fiveMinutes = "5m", oneHour = "1h" }

    public var name: String
    public var span: Span
    public var model: ModelPrice?
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
    public var tags: [(key: String, value: String)] = []
    /// Where each property was set, for diagnostics.
    public var spans: [String: Span] = [:]

    public init(name: String, span: Span) {
        self.name = name
        self.span = span
    }
}
