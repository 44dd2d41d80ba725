import TallyPricing
import TallyQuantities
import TallySyntax

/// A source span is where a workload or a property was written; pricing keeps
/// it for the language and never looks inside.
extension Span: Provenance {}

extension Workload {
    /// Where the declaration set `property`, or where the workload was declared.
    func span(of property: String) -> Span? {
        (spans[property] as? Span) ?? (origin as? Span)
    }
}

extension PricingError {
    /// The error as a diagnostic at the first of its properties the workload
    /// set, or at the workload's name; `fallback` when the workload has no
    /// source (one built in code).
    package func diagnostic(for workload: Workload, fallback: Span? = nil) -> Diagnostic {
        let span = properties.lazy.compactMap { workload.spans[$0] as? Span }.first ?? (workload.origin as? Span) ?? fallback
        let (message, hints) = wording
        return Diagnostic(isRuntime ? .runtime : .pricing, message, at: span, hints: hints)
    }

    var isRuntime: Bool {
        switch reason {
        case .tooLarge, .inexact, .cacheExceedsInput: true
        default: false
        }
    }

    /// The message and hints, in the words Tally uses everywhere.
    package var wording: (String, [String]) {
        let name = workload
        switch reason {
        case .tooLarge:
            return ("the cost of `\(name)` is too large to compute exactly", [])
        case .inexact:
            return ("the cost of `\(name)` per day, per request or per second cannot be held exactly", [])
        case .noModel:
            return ("workload `\(name)` has no model", ["add a property such as `model sonnet-4.5`"])
        case .noRequests:
            return ("workload `\(name)` does not say how many requests it makes", ["add a property such as `requests 3000/day`"])
        case .noVectorStore:
            return ("knowledge base `\(name)` has no vector store", ["add `vector-store opensearch-serverless`"])
        case .noEmbeddingModel:
            return ("knowledge base `\(name)` needs an embedding model", ["add `embedding titan-embed-v2`"])
        case .noReranker:
            return ("knowledge base `\(name)` reranks but names no reranker", ["add `reranker amazon-rerank`"])
        case .noBaseModel:
            return ("customization `\(name)` has no base model", ["add `model cohere-command`, or `import-units 1` for Custom Model Import"])
        case .customNeedsProvisioned:
            return ("a custom model is served only through provisioned throughput", ["add `mode provisioned 1 unit 1-month`"])
        case .guardrailNeedsText:
            return ("guardrail `\(name)` says no text per request", ["add `guardrail-text 2000 characters` (or tokens)"])
        case .guardrailNeedsPolicies:
            return ("guardrail `\(name)` applies no policy", ["add `guardrails content, pii` (policies: \(RateKind.guardrailPolicies.joined(separator: ", ")))"])
        case .monthOnlyForOneOff:
            return ("`month` places a one-off cost, and `\(name)` recurs", ["write its amount once, such as `$12k`, or drop `month`"])
        case .agentCoreMetersNothing:
            return ("agentcore `\(name)` meters nothing",
                    ["add sessions (`sessions 10k/day; session 60 seconds; active 30%; vcpu 1; memory 2 GB`) or a meter such as `invocations 1M/month`"])
        case .sessionsNeed(let property):
            return ("agentcore `\(name)` has sessions but no `\(property)`",
                    ["sessions are billed per vCPU-hour while active and per GB-hour: give `session 60 seconds`, `vcpu 1` and `memory 2 GB`"])
        case .computeNeedsSessions:
            return ("agentcore `\(name)` sizes a session but gives no `sessions`", ["add `sessions 10k/day`"])
        case .dataAutomationProcessesNothing:
            return ("data-automation `\(name)` processes nothing",
                    ["add what it processes: `documents 200k pages/month`, `images 5k/month`, `audio 75k minutes/month` or `video 2k minutes/month`"])
        case .fieldsNeedCustomOutput:
            return ("data-automation `\(name)` counts blueprint fields, but its output is standard",
                    ["fields belong to a custom output's blueprint: add `output custom`, or drop `fields`"])
        case .cacheExceedsInput:
            return ("cache reads and writes together exceed 100% of input tokens", [])
        case .noAmount:
            return ("cost `\(name)` says no amount", ["give its amount: `cost \(name) < $700/month >`"])
        case .importNeedsActiveHours:
            return ("say how long the imported model is active: `active 8 hours/day`", [])
        case .guardrailsNeedRequests:
            return ("guardrails are billed per request: give `requests`", [])
        case .missingService(.guardrails):
            return ("the catalog has no guardrail prices (a `service` entry named `guardrails`)", [])
        case .missingService(.structuredRetrieval):
            return ("the catalog has no structured-retrieval price", [])
        case .missingService(.parsing):
            return ("the catalog has no Data Automation prices (a `service` entry named `data-automation`)", [])
        case .missingService(.modelImport):
            return ("the catalog has no Custom Model Import price", [])
        case .measuredOnly:
            return ("usage `\(name)` is what its logs say was spent; it cannot be estimated or changed", ["declare a `workload` to estimate"])
        case .missingService(.agentCore):
            return ("the catalog has no AgentCore prices (a `service` entry named `agentcore`)", [])
        case .notInRegion(let model, let region, let regions):
            return ("no price for \(model) in \(region)",
                    [regions.isEmpty ? "none of \(model)'s rates was in force on the script's `catalog` date"
                                     : "\(model) is priced in: \(regions.joined(separator: ", "))"])
        case .noEndpoint(let model, let endpoint, let region, let priced):
            return ("no \(endpoint.rawValue)-endpoint price for \(model) in \(region)",
                    priced.isEmpty ? [] : ["priced endpoints: \(priced.map(\.rawValue).joined(separator: ", "))"])
        case .noRate(let model, let kind, let region, let hint):
            let advice = switch hint {
            case .declare: "if you have one, declare it: `price \(model) < \(kind.name) \(kind.measure?.example ?? "…") >`"
            case .promptCache: "\(model) has no prompt-cache price: remove `cache`, or declare the rate with `price \(model) < cache-read $…/1M tokens >`"
            case .oneHourCache: "\(model) has no 1-hour cache; use `ttl 5min`"
            case .training: "\(model) cannot be fine-tuned at a price Tally knows; declare one: `price \(model) < training $…/1k tokens >`"
            }
            return ("\(model) has no \(kind.name) price in \(region)", [advice])
        case .imageModelTokens(let model, let property):
            return ("\(model) is an image model: it bills per image, not per token", ["remove `\(property)`; use `images`, `size` and `quality`"])
        case .embeddingOutput(let model):
            return ("\(model) is an embedding model: it bills input tokens only", ["remove `output`"])
        case .embeddingCache(let model):
            return ("\(model) is an embedding model and has no prompt cache", [])
        case .notCallable(let model, let kind):
            return ("\(model) is not a model a workload calls",
                    [kind == .rerank ? "use it in a knowledge base: `reranker \(model)`" : "see `tally models` for models"])
        case .imageProperty(let property, let model, let kind):
            return ("`\(property)` applies to image models, and \(model) is a \(kind.rawValue) model", [])
        case .noTier(let model, let tier, let region):
            return ("\(model) has no \(tier) price in \(region)",
                    [tier == "batch"
                        ? "Bedrock offers batch for some models only; Tally never invents a batch price. If your account has one, declare it: `price \(model) < batch 50% >`"
                        : "if your account has one, declare it: `price \(model) < \(tier) \(tier == "flex" ? "50%" : "175%") >`"])
        case .imageTier(let model, let tier):
            return ("\(model) has no \(tier) price: image models bill per image on demand", [])
        case .noQuality(let model, let quality, let qualities):
            return ("\(model) has no \(quality)-quality price", ["qualities: \(qualities.joined(separator: ", "))"])
        case .imageTooLarge(let model, let largest, let sizes):
            return ("\(model) has no price for images larger than \(largest) pixels", ["sizes: \(sizes.map(String.init).joined(separator: ", "))"])
        case .noTerm(let model, let term, let region, let terms):
            return ("\(model) has no provisioned-throughput price for \(term) in \(region)",
                    [terms.isEmpty ? "Tally's catalog has no provisioned-throughput price for \(model); declare one: `price \(model) < provisioned-1-month $…/hour >`"
                        : "terms priced: \(terms.joined(separator: ", "))"])
        }
    }
}
