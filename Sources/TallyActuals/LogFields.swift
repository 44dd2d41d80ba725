/// The fields of a model-invocation log record that Tally reads, spelled
/// once: the native scanner (`LogScanner`) dispatches on these names, and the
/// SQL an engine runs (`AggregateQuery`) extracts these paths.
package enum LogField: CaseIterable, Sendable {
    case timestamp, modelId, accountId, region, operation, errorCode, serviceTier, principalARN
    case inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens
    /// The tier the request asked for, inside its body: read when the record has none.
    case bodyServiceTier

    /// Key names, each spelled once.
    package enum Name {
        static let timestamp = "timestamp"
        static let modelId = "modelId"
        static let accountId = "accountId"
        static let region = "region"
        static let operation = "operation"
        static let inferenceRegion = "inferenceRegion"
        static let errorCode = "errorCode"
        static let serviceTier = "serviceTier"
        /// A tier written as an object: `{"type": "flex"}`.
        static let tierType = "type"
        static let identity = "identity"
        static let arn = "arn"
        static let requestMetadata = "requestMetadata"
        static let input = "input"
        static let inputBody = "inputBodyJson"
        static let inputTokens = "inputTokenCount"
        static let cacheReadTokens = "cacheReadInputTokenCount"
        static let cacheWriteTokens = "cacheWriteInputTokenCount"
        static let output = "output"
        static let outputTokens = "outputTokenCount"
    }

    /// What a field holds, and so how it is read.
    package enum Kind: Sendable {
        /// A string.
        case text
        /// A whole number of tokens, 0 to `LogScanner.maximumTokens`.
        case count
        /// Only whether it is there and not null.
        case presence
        /// A string, or an object whose `type` is one.
        case tier
    }

    /// The keys from the top of the record to the value.
    package var path: [String] {
        switch self {
        case .timestamp: [Name.timestamp]
        case .modelId: [Name.modelId]
        case .accountId: [Name.accountId]
        case .region: [Name.region]
        case .operation: [Name.operation]
        case .errorCode: [Name.errorCode]
        case .serviceTier: [Name.serviceTier]
        case .principalARN: [Name.identity, Name.arn]
        case .inputTokens: [Name.input, Name.inputTokens]
        case .cacheReadTokens: [Name.input, Name.cacheReadTokens]
        case .cacheWriteTokens: [Name.input, Name.cacheWriteTokens]
        case .outputTokens: [Name.output, Name.outputTokens]
        case .bodyServiceTier: [Name.input, Name.inputBody, Name.serviceTier]
        }
    }

    package var kind: Kind {
        switch self {
        case .timestamp, .modelId, .accountId, .region, .operation, .principalARN: .text
        case .errorCode: .presence
        case .serviceTier, .bodyServiceTier: .tier
        case .inputTokens, .cacheReadTokens, .cacheWriteTokens, .outputTokens: .count
        }
    }

    /// The path of a `requestMetadata` value (a tag).
    package static func tagPath(_ key: String) -> [String] { [Name.requestMetadata, key] }
}
