import TallyQuantities

/// An application inference profile: an ARN an account creates to route a
/// model's requests and tag them. Declared once, it stands for its model
/// wherever a model is named, and lends its tags to what uses it.
package struct InferenceProfile: Sendable {
    /// `arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/ab12`
    package let arn: String
    /// The region the ARN names.
    package let region: String
    /// The model's canonical name in the catalog.
    package let model: String
    /// The endpoint a system profile it copies implies (`global.…`), if any.
    package let endpoint: Endpoint?
    package let tags: [(key: String, value: String)]

    package init(arn: String, region: String, model: String, endpoint: Endpoint?, tags: [(key: String, value: String)]) {
        self.arn = arn
        self.region = region
        self.model = model
        self.endpoint = endpoint
        self.tags = tags
    }

    /// The region of an application inference profile's ARN; nil when the
    /// text is not one (`arn:PARTITION:bedrock:REGION:ACCOUNT:application-inference-profile/ID`).
    package static func region(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", ["aws", "aws-us-gov", "aws-cn"].contains(parts[1]), parts[2] == "bedrock",
              !parts[3].isEmpty, parts[3].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }),
              parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber }),
              parts[5].hasPrefix("application-inference-profile/"),
              case let id = parts[5].dropFirst("application-inference-profile/".count),
              !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        return String(parts[3])
    }
}
