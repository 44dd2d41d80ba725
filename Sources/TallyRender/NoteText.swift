import TallyLanguage
import TallyPricing
import TallyQuantities

/// Pricing's notes and advice as people read them.
extension Note {
    package var text: String { text(exact: false) }

    /// Counts per month or per request in whole units (`91,250
    /// requests/month`), or with `exact` as `Format.count` shows them.
    package func text(exact: Bool) -> String {
        let c: (Rational) -> String = exact ? { Format.count($0) } : { Format.wholeCount($0) }
        return switch self {
        case .defaultRegion(let region): "region \(region) (default)"
        case .defaultEndpoint(let endpoint): "\(endpoint.rawValue) endpoint (default)"
        case .defaultMode: "on-demand (default)"
        case .defaultTokens(let direction, let count): "\(direction) \(Format.count(count)) tokens/request (default)"
        case .derivedTokens(let text): text
        case .longContext(let input, let threshold):
            "each call's \(Format.count(input)) input tokens exceed \(Format.count(threshold)): the whole request is billed at the long-context rates"
        case .defaultImagesPerRequest: "1 image/request (default)"
        case .defaultQuality(let quality): "quality \(quality) (default)"
        case .defaultImageSize(let size): "size up to \(size)×\(size) (default)"
        case .defaultTerm(let term): "term \(term) (default)"
        case .guardrailCharacters(let characters, let units):
            "guardrails read \(Format.count(characters)) characters/request: \(Format.count(units)) text units per policy"
        case .guardrailScope(let scope, let stated, let units):
            Note.guardrailScopeText(scope, stated: stated) + ": \(Format.count(units)) text units per policy per request"
        case .defaultVectorStore(let name): "vector store \(name) (default)"
        case .defaultOCUs(let ocus): "\(Format.count(ocus)) OCUs (default: the usual production floor)"
        case .defaultEmbedding(let name): "embedding model \(name) (default)"
        case .defaultQueryTokens(let tokens): "\(Format.count(tokens)) tokens embedded per query (default)"
        case .defaultReranker(let name): "reranker \(name) (default)"
        case .rerankBilling(let chunks, let billed):
            "each rerank of \(Format.count(chunks)) chunks bills \(Format.count(billed)) queries (100 chunks a query)"
        case .defaultCustomModels: "1 custom model stored (default)"
        case .customizationWithoutServing: "training and storage only: serving the custom model needs `mode provisioned …`"
        case .cpuAlwaysActive: "CPU busy for the whole session (default): AgentCore bills CPU only while active, give `active 30%`"
        case .defaultOutput: "standard output (default); a blueprint's fields are `output custom`"
        case .defaultBlueprintFields(let included): "a blueprint of \(Format.count(included)) fields or fewer (default): give `fields` when it has more"
        case .requestsPerMonth(let requests): Format.counted(c(requests), "request", "requests") + "/month"
        case .agentSteps(let steps): "agent \(Format.count(steps)) steps (model calls per request)"
        case .tokensPerRequest(let input, let output): "\(c(input)) input + " + Format.counted(c(output), "output token", "output tokens") + "/request"
        case .embeddingTokensPerRequest(let input): Format.counted(c(input), "input token", "input tokens") + "/request"
        case .cacheRead(let share): "cache read \(Format.percent(share))"
        case .cacheWrite(let share, let ttl): "cache write \(Format.percent(share)) (\(ttl.rawValue))"
        case .provisioned(let units, let term): "provisioned \(Format.count(units)) model unit\(units == .one ? "" : "s"), \(term)"
        case .tags(let pairs): pairs.joined(separator: " ")
        case .oneOff(let month): "once, in month \(month)"
        case .modelCopies(let copies): "\(Format.count(copies)) model cop\(copies == .one ? "y" : "ies") active"
        case .monthOf(let hours): "a month of \(Format.count(hours)) hours"
        case .measured(let records, let from, let to):
            "measured: \(Format.count(Rational(records))) record\(records == 1 ? "" : "s"), \(from) to \(to), scaled to a month"
        case .leftOut(let unpriced, let malformed, let failed):
            [unpriced > 0 ? "\(unpriced) unpriced (left out, never $0)" : nil, malformed > 0 ? "\(malformed) malformed" : nil,
             failed > 0 ? "\(failed) failed calls (not billed)" : nil].compactMap { $0 }.joined(separator: " · ")
        case .profile(let arn): "profile " + (arn.split(separator: ":").last.map(String.init) ?? arn)
        case .ocusAllMonth(let ocus): "\(Format.count(ocus)) OCUs all month"
        case .retrievalsPerMonth(let queries): Format.counted(c(queries), "retrieval", "retrievals") + "/month"
        case .customModelUnits(let units, let hours): "\(Format.count(units)) custom model units, active \(Format.count(hours)) hours/day"
        case .sessionsPerMonth(let sessions, let seconds, let active):
            Format.counted(c(sessions), "session", "sessions") + "/month of \(Format.count(seconds)) seconds, CPU active \(Format.percent(active))"
        case .blueprintFields(let fields, let included): "a blueprint of \(Format.count(fields)) fields, \(Format.count(included)) included in each unit's rate"
        }
    }
}

extension Breakdown {
    /// A short line of what the declaration does: `91,250 requests/month · …`.
    package var summary: [String] { summary(exact: false) }
    package func summary(exact: Bool) -> [String] { summaryNotes.map { $0.text(exact: exact) } }
    /// Everything the estimate assumed because the script did not say.
    package var assumptions: [String] { assumptionNotes.map(\.text) }
}

extension Breakdown.Line {
    /// The rate as people read it: `$3.00/1M tokens`, `4% of $520.00`.
    package var rateText: String {
        switch basis {
        case .rate(let rate, nil):
            return Format.rate(rate.amount, kind: rate.kind)
        case .rate(let rate, let factor?):
            let share = " (\(factor.kind.name) \(Format.percent(factor.amount)))"
            guard let effective = rate.amount.multiplied(by: factor.amount) else {
                return Format.rate(rate.amount, kind: rate.kind) + " ×" + share
            }
            return Format.rate(effective, kind: rate.kind) + share
        case .share(let share, let base):
            return "\(Format.percent(share)) of \(Format.money(base))"
        case .multiple(let multiplier, let base):
            return "×\(Format.count(multiplier)) of \(Format.money(base))"
        }
    }
}

extension Advice.Reason {
    package var text: String {
        switch self {
        case .idleKnowledgeBase(let monthly): "nothing retrieves from it: its vector store bills \(Format.money(monthly))/month idle"
        case .oneOCU: "one OCU without redundancy: for development and light use, not production"
        case .batch: "batch results arrive within 24 hours: for work that can wait"
        case .caching(let minimum): "if half of each prompt is a prefix shared across requests (at least \(Format.count(minimum)) tokens)"
        case .cheaperModel(let model): "the price difference only: whether \(model) does the job well enough is for your evaluations to say"
        case .globalEndpoint: "global cross-region inference may serve requests from other regions"
        case .provisioned(let breakEven, let term):
            "breaks even above \(Format.money(breakEven))/day on demand and commits for \(term); one model unit assumed: check that its tokens per minute cover the peak"
        case .guardrailUserTurn(let characters):
            "tag only the user's turn as guard content (Converse `guardContent`, InvokeModel input tags), assumed at most \(Format.count(characters)) characters: "
                + "the system prompt, retrieved context and history go unscreened; the response is screened as before"
        case .selfManagedMemory:
            "records from a self-managed strategy (or a built-in one with override) bill at the lower rate; extraction then runs on your own model: price its tokens as a workload"
        case .includedFields(let extra, let included):
            "a custom output's rate includes \(Format.count(included)) blueprint fields; the \(Format.count(extra)) beyond them bill per field per unit: extract no more than the \(Format.count(included)) you need most"
        case .standardOutput:
            "custom output that names no blueprint fields costs more than standard output: use standard unless you need a blueprint"
        }
    }
}

extension Advice.Remark {
    package var text: String {
        switch self {
        case .promptTooShort(let workload, let input, let minimum, let model):
            "\(workload): half of a \(Format.count(input))-token prompt is shorter than the \(Format.count(minimum)) tokens \(model) caches"
        case .guardrailPolicies(let workload, let policies, let monthly):
            "\(workload): its guardrail policies cost "
                + zip(policies, monthly).map { "\($0) \(Format.money($1))" }.joined(separator: ", ")
                + " a month; dropping a safety policy is never ranked as a saving"
        case .provisionedBreakEven(let workload, let term, let breakEven, let perDay):
            "\(workload): provisioned throughput (1 unit, \(term)) breaks even above \(Format.money(breakEven))/day; this workload spends \(Format.money(perDay))/day"
        }
    }
}

extension Note {
    /// `guardrails read the prompt and the response (default; …)`.
    static func guardrailScopeText(_ scope: GuardrailScope, stated: Bool) -> String {
        let what = switch scope {
        case .promptAndResponse: "the prompt and the response at 4 characters a token"
        case .prompt: "the prompt at 4 characters a token, not the response"
        case .userTurn(let characters): "the user's turn, \(Format.count(characters)) characters, and the response at 4 characters a token"
        }
        return "guardrails read " + what + (stated ? "" : " (default; `guardrail-scope user-turn 250 tokens` screens only the user's turn)")
    }
}
