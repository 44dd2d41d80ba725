import TallyQuantities

/// `advise`: what to change, each change priced by the engine. A
/// recommendation's saving is always the difference of two estimates.
package enum Advisor {
    /// The share of input tokens a caching recommendation assumes hits.
    package static let assumedCacheHitRate = Rational(uncheckedNumerator: 1, denominator: 2)
    /// Prefix a model caches when the catalog does not say.
    package static let defaultCacheMinimum = Rational(1024)
    /// The user's turn a guardrail-scope recommendation assumes, at most:
    /// one text unit, 1,000 characters (about 250 tokens).
    package static let assumedUserTurnCharacters = Rational(1000)

    package static func advise(subject: String, workloads: [(Workload, Breakdown)], catalog: Catalog) throws(InexactFigure) -> Advice {
        var recommendations: [Advice.Recommendation] = []
        var notes: [Advice.Remark] = []
        for (workload, breakdown) in workloads {
            let (found, remarks) = try Advisor.recommendations(workload, breakdown, catalog: catalog)
            recommendations += found
            notes += remarks
        }
        recommendations.sort { a, b in a.saving != b.saving ? a.saving > b.saving : (a.workload, a.kind) < (b.workload, b.kind) }
        guard let baseline = Rational.sum(workloads.lazy.map(\.1.total)) else { throw InexactFigure() }
        return Advice(subject: subject, baseline: baseline, recommendations: recommendations, notes: notes)
    }

    /// A cache share whose cached prefix (the share of each call's input)
    /// is shorter than the model's minimum cacheable prefix, as the catalog
    /// states it: Bedrock caches no such prefix, so it bills as input. Only
    /// for a stated input: the default 1,000 tokens says nothing of a prompt.
    package static func cachedPrefixBelowMinimum(_ w: Workload, _ b: Breakdown) -> (share: Rational, prefix: Rational, minimum: Rational, model: String)? {
        guard w.inputTokens != nil, let model = w.model, let minimum = model.cacheMinimum, let input = b.inputTokens else { return nil }
        let share = max(b.cacheRead, b.cacheWrite)
        guard !share.isZero, let prefix = cachedPrefix(input: input, share: share, minimum: minimum), !prefix.cacheable else { return nil }
        return (share, prefix.tokens, minimum, model.name)
    }

    /// The one rule for prefix length: a cache share of `input` tokens is a
    /// prefix of `input × share` tokens, which Bedrock caches only when it
    /// reaches the model's minimum. Nil when the product cannot be held.
    static func cachedPrefix(input: Rational, share: Rational, minimum: Rational) -> (tokens: Rational, cacheable: Bool)? {
        guard let tokens = input.multiplied(by: share) else { return nil }
        return (tokens, tokens >= minimum)
    }

    static func recommendations(_ w: Workload, _ b: Breakdown, catalog: Catalog) throws(InexactFigure) -> ([Advice.Recommendation], [Advice.Remark]) {
        var found: [Advice.Recommendation] = []
        var notes: [Advice.Remark] = []
        func consider(_ kind: String, _ change: String, note: Advice.Reason, _ edit: (inout Workload) -> Void) throws(InexactFigure) {
            var changed = w
            edit(&changed)
            guard let after = try? Engine.estimate(changed), after.total < b.total else { return }
            found.append(try Advice.Recommendation(kind: kind, workload: w.name, change: change, before: b, after: after, note: note))
        }

        switch w.kind {
        case .knowledgeBase:
            if w.retrievalsPerSecond == nil || w.retrievalsPerSecond == .zero, w.ingestPerSecond == nil {
                found.append(try Advice.Recommendation(kind: "knowledge-base", workload: w.name, change: nil, before: b, after: nil,
                                                   note: .idleKnowledgeBase(monthly: b.total)))
            } else if (w.ocus ?? Engine.defaultOCUs) > .one {
                try consider("knowledge-base", "ocus 1", note: .oneOCU) { $0.ocus = .one }
            }
            return (found, notes)
        case .agentCore:
            // Long-term records: a self-managed strategy stores them at a third of the built-in rate.
            if let records = w.longTermRecords, records > .zero, !w.selfManagedStrategy {
                try consider("agentcore", "strategy self-managed", note: .selfManagedMemory) { $0.selfManagedStrategy = true }
            }
            return (found, notes)
        case .dataAutomation where w.customOutput == true:
            let included = Engine.includedBlueprintFields
            if let fields = w.blueprintFields, fields > included, let extra = fields.subtracting(included) {
                // Fields beyond those a custom output's rate includes bill per field per unit.
                try consider("data-automation", "fields \(Format.count(included))", note: .includedFields(extra: extra, included: included)) {
                    $0.blueprintFields = included
                }
            } else if w.blueprintFields == nil {
                // Custom output that names no fields may need no blueprint at all.
                try consider("data-automation", "output standard", note: .standardOutput) { $0.customOutput = false }
            }
            return (found, notes)
        case .customization, .cost, .guardrail, .dataAutomation, .usage:
            return (found, notes)
        case .inference:
            break
        }
        guard let model = w.model else { return (found, notes) }
        let onDemand = w.mode == nil || w.mode == .onDemand

        // Batch: for work that can wait.
        if onDemand, model.kind != .image {
            try consider("batch", "mode batch", note: .batch) { $0.mode = .tier("batch") }
        }

        // Prompt caching, when prompts are long enough to cache.
        if model.kind == .text, onDemand, w.cacheRead < assumedCacheHitRate,
           model.rate(.cacheRead, region: b.region, endpoint: b.endpoint ?? Engine.defaultEndpoint) != nil {
            let minimum = model.cacheMinimum ?? defaultCacheMinimum
            let input = b.inputTokens ?? .zero
            // What the recommendation would cache, by the rule the warning on a workload uses.
            if cachedPrefix(input: input, share: assumedCacheHitRate, minimum: minimum)?.cacheable == true {
                try consider("caching", "cache 50%", note: .caching(minimum: minimum)) {
                    $0.cacheRead = assumedCacheHitRate
                    if let written = Rational.one.subtracting(assumedCacheHitRate), $0.cacheWrite > written { $0.cacheWrite = written }
                }
            } else {
                notes.append(.promptTooShort(workload: w.name, input: input, minimum: minimum, model: model.name))
            }
        }

        // A cheaper model from the same provider: the next step down.
        if model.kind == .text || model.kind == .embedding {
            var cheaper: [(ModelPrice, Breakdown)] = []
            for candidate in catalog.sortedModels where candidate.name != model.name && candidate.provider == model.provider && candidate.kind == model.kind {
                var changed = w
                changed.model = candidate
                changed.modelEndpoint = nil
                if !candidate.pricesByEndpoint { changed.endpoint = nil }
                guard let after = try? Engine.estimate(changed), after.total < b.total else { continue }
                cheaper.append((candidate, after))
            }
            let featured = cheaper.filter { $0.0.featured }
            if let pick = (featured.isEmpty ? cheaper : featured).max(by: { $0.1.total < $1.1.total }) {
                found.append(try Advice.Recommendation(kind: "model", workload: w.name, change: "model \(pick.0.name)", before: b, after: pick.1,
                                                   note: .cheaperModel(pick.0.name)))
            }
        }

        // Regional → global endpoint.
        if b.endpoint == .regional, model.hasRates(region: b.region, endpoint: .global) {
            try consider("endpoint", "endpoint global", note: .globalEndpoint) {
                $0.endpoint = .global
                $0.modelEndpoint = nil
            }
        }

        // Provisioned throughput: one unit at each term against on-demand.
        if onDemand {
            let terms = RateKind.provisionedTerms.filter { model.rate(.provisioned($0), region: b.region, endpoint: b.endpoint ?? Engine.defaultEndpoint) != nil }
            var cheapest: (String, Breakdown)?
            for term in terms {
                var changed = w
                changed.mode = .provisioned(units: .one, term: term)
                guard let after = try? Engine.estimate(changed) else { continue }
                if cheapest.map({ after.total < $0.1.total }) ?? true { cheapest = (term, after) }
            }
            if let (term, after) = cheapest {
                // One unit billed all month costs this much a day: above it, on-demand costs more.
                let breakEven = after.perDay
                if after.total < b.total {
                    found.append(try Advice.Recommendation(kind: "provisioned", workload: w.name, change: "mode provisioned 1 unit \(term)", before: b, after: after,
                                                       note: .provisioned(breakEvenPerDay: breakEven, term: term)))
                } else {
                    notes.append(.provisionedBreakEven(workload: w.name, term: term, breakEvenPerDay: breakEven, perDay: b.perDay))
                }
            }
        }

        // Guardrails that read the whole prompt: screening only the user's turn.
        if w.kind == .inference, !w.guardrails.isEmpty, w.guardrailCharacters == nil, let input = b.inputTokens,
           let inputCharacters = input.multiplied(by: Engine.charactersPerToken) {
            switch w.guardrailScope ?? .standard {
            case .userTurn: break
            case .promptAndResponse, .prompt:
                let turn = min(assumedUserTurnCharacters, inputCharacters)
                let scope = GuardrailScope.userTurn(characters: turn)
                try consider("guardrails", "guardrail-scope " + scope.source, note: .guardrailUserTurn(characters: turn)) {
                    $0.guardrailScope = scope
                }
            }
        }

        // What each guardrail policy costs: a note, never a saving, since
        // dropping a safety policy is not a cost decision Tally ranks.
        if !w.guardrails.isEmpty {
            // Each guardrail line by the policy its rate prices, not by its label.
            let costs = b.lines.compactMap { line -> (String, Rational)? in
                guard case .rate(let rate, _) = line.basis, RateKind.guardrailPolicies.contains(rate.kind.name), !line.amount.isZero else { return nil }
                return (rate.kind.name, line.amount)
            }
            if !costs.isEmpty {
                notes.append(.guardrailPolicies(workload: w.name, policies: costs.map(\.0), monthly: costs.map(\.1)))
            }
        }
        return (found, notes)
    }
}
