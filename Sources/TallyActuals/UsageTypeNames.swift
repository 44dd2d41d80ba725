/// The names a Bedrock usage type writes, reviewed by hand: AWS's billing
/// region codes and the model display names its usage types carry. Nothing
/// here is guessed at run time; a name not listed (and not a catalog name or
/// Bedrock id) leaves its rows unpriced and listed. `UsageTypeNamesTests`
/// holds every model entry to a catalog model and every region to a region.
package enum UsageTypeNames {
    /// The prefix of a usage type → the region (AWS's billing codes; eu-west-1 is `EU`, and `EUW1` is accepted too).
    package static let regions: [String: String] = [
        "USE1": "us-east-1", "USE2": "us-east-2", "USW1": "us-west-1", "USW2": "us-west-2",
        "UGW1": "us-gov-west-1", "UGE1": "us-gov-east-1",
        "CAN1": "ca-central-1", "CAN2": "ca-west-1", "SAE1": "sa-east-1",
        "EU": "eu-west-1", "EUW1": "eu-west-1", "EUW2": "eu-west-2", "EUW3": "eu-west-3",
        "EUC1": "eu-central-1", "EUC2": "eu-central-2", "EUN1": "eu-north-1", "EUS1": "eu-south-1", "EUS2": "eu-south-2",
        "APN1": "ap-northeast-1", "APN2": "ap-northeast-2", "APN3": "ap-northeast-3",
        "APS1": "ap-southeast-1", "APS2": "ap-southeast-2", "APS3": "ap-south-1", "APS4": "ap-southeast-3",
        "APS5": "ap-south-2", "APS6": "ap-southeast-4", "APE1": "ap-east-1",
        "MEC1": "me-central-1", "MES1": "me-south-1", "AFS1": "af-south-1", "ILC1": "il-central-1",
    ]

    /// A usage type's model part, lower-cased → the catalog's name. The
    /// spelling is AWS's display name without spaces (`Claude4.5Sonnet`,
    /// `Nova2.0Lite`, `NovaPro`); a part that is already a catalog name
    /// (`gpt-oss-120b`) or a Bedrock id (`anthropic.claude-opus-4-8-mantle`,
    /// less `-mantle`) needs no entry.
    package static let models: [String: String] = [
        // Anthropic: version before family, as in `USE1-Claude4.5Sonnet-input-tokens`.
        "claude3haiku": "haiku-3", "claude3.5haiku": "haiku-3.5", "claude4.5haiku": "haiku-4.5",
        "claude3sonnet": "sonnet-3", "claude3.5sonnet": "sonnet-3.5", "claude3.5sonnetv2": "sonnet-3.5-v2",
        "claude3.7sonnet": "sonnet-3.7", "claude4sonnet": "sonnet-4", "claude4.5sonnet": "sonnet-4.5",
        "claude4.6sonnet": "sonnet-4.6",
        "claude3opus": "opus-3", "claude4opus": "opus-4", "claude4.1opus": "opus-4.1", "claude4.5opus": "opus-4.5",
        "claude4.6opus": "opus-4.6",
        "claudeinstant": "claude-instant", "claude2.1": "claude-v2.1",
        // Amazon, as in `USE1-NovaPro-input-tokens` and `USE1-Nova2.0Lite-input-tokens-flex`.
        "novamicro": "nova-micro", "novalite": "nova-lite", "novapro": "nova-pro", "novapremier": "nova-premier",
        "nova2.0lite": "nova-2-lite", "nova2.0pro": "nova-2-pro-preview",
        "titantextexpress": "titan-text-express", "titantextlite": "titan-text-lite", "titantextpremier": "titan-text-premier",
        "titanembeddingsv2": "titan-embed-v2", "titantextembeddingsv2": "titan-embed-v2",
    ]
}
