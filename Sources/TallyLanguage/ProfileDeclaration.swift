import TallyPricing
import TallyQuantities
import TallySyntax

/// `profile "arn:…:application-inference-profile/ID" < model …; tag … >`:
/// an application inference profile, then usable wherever a model is named.
extension Evaluator {
    mutating func declareProfile(_ arn: String, at span: Span, _ properties: [Property]) throws(Diagnostic) {
        guard let region = InferenceProfile.region(ofARN: arn) else {
            throw Diagnostic(.syntax, "not an application inference profile ARN", at: span,
                             hints: ["write its ARN: \"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/ab12\""])
        }
        // The block's properties, read by the workload builder.
        var scratch = Workload(name: arn, origin: span)
        for property in properties { try apply(property, to: &scratch, in: .profile) }
        guard let model = scratch.model else {
            throw Diagnostic(.name, "the profile names no model", at: span, hints: ["add `model sonnet-4.5` (or the system profile it copies, such as \"global.…\")"])
        }
        if let other = environment.catalog.profile(named: arn), !allowsRedefinition {
            throw Diagnostic(.name, "profile \"\(arn)\" is already declared, for \(other.model)", at: span)
        }
        environment.catalog.store(InferenceProfile(arn: arn, region: region, model: model.name, endpoint: scratch.modelEndpoint, tags: scratch.tags))
    }
}
