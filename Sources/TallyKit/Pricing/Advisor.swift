/// `advise`: what to change, each change priced by the engine. A
/// recommendation's saving is always the difference of two estimates.
public enum Advisor {
    /// The share of input tokens a caching recommendation assumes hits.
    public static let assumedCacheHitRate = Rational(uncheckedNumerator: 1, denominator: 2)
    /// Prefix a model caches when the catalog does not say.
    public static let defaultCacheMinimum = Rational(1024)

    public static func advise(subject: String, workloads: [(Workload, Breakdown)], catalog: Catalog) throws(InexactFigure) -> Advice {
        var recommendations: [Advice.Recommendation] = []
        var notes: [String] = []
        for (workload, breakdown) in workloads {
            let (found, remarks) = try Advisor.recommendations(workload, breakdown, catalog: catalog)
            recommendations += found
            notes += remarks
        }
        recommendations.sort { a, b in a.saving != b.saving ? a.saving > b.saving : (a.workload, a.kind) < (b.workload, b.kind) }
        guard let baseline = Rational.sum(workloads.lazy.map(\.1.total)) else { throw InexactFigure() }
        return Advice(subject: subject, baseline: baseline, recommendations: recommendations, notes: notes)
    }

    static func recommendations(_ w: Workload, _ b: Breakdown, catalog: Catalog) throws(InexactFigure) -> ([Advice.Recommendation], [String]) {
        var found: [Advice.Recommendation] = []
        var notes: [String] = []
        func consider(_ kind: String, _ change: String, note: String, _ edit: (inout Workload) -> Void) throws(InexactFigure) {
            var changed = w
            edit(&changed)
            guard let after = try? Engine.estimate(changed), after.total < b.total else { return }
            found.append(try Advice.Recommendation(kind: kind, workload: w.name, change: change, before: b, after: after, note: note))
        }

        switch w.kind {
        case .knowledgeBase:
            if w.retrievalsPerSecond == nil || w.retrievalsPerSecond == .zero, w.ingestPerSecond == nil {
                found.append(try Advice.Recommendation(kind: "knowledge-base", workload: w.name, change: nil, before: b, after: nil,
                                                   note: "nothing retrieves from it: its vector store bills \(Format.money(b.total))/month idle"))
            } else if (w.ocus ?? Pricer.defaultOCUs) > .one {
                try consider("knowledge-base", "ocus 1", note: "one OCU without redundancy: for development and light use, not production") { $0.ocus = .one }
            }
            return (found, notes)
        case .customization:
            return (found, notes)
        case .inference:
            break
        }
        guard let model = w.model else { return (found, notes) }
        let onDemand = w.mode == nil || w.mode == .onDemand

        // Batch: for work that can wait.
        if onDemand, model.kind != .image {
            try consider("batch", "mode batch", note: "batch results arrive within 24 hours: for work that can wait") { $0.mode = .tier("batch") }
        }

        // Prompt caching, when prompts are long enough to cache.
        if model.kind == .text, onDemand, w.cacheRead < assumedCacheHitRate,
           model.rate(.cacheRead, region: b.region, endpoint: b.endpoint ?? Engine.defaultEndpoint) != nil {
            let minimum = model.cacheMinimum ?? defaultCacheMinimum
            let input = b.inputTokens ?? .zero
            if input >= minimum {
                try consider("caching", "cache 50%", note: "if half of each prompt is a prefix shared across requests (at least \(Format.count(minimum)) tokens)") {
                    $0.cacheRead = assumedCacheHitRate
                    if let written = Rational.one.subtracting(assumedCacheHitRate), $0.cacheWrite > written { $0.cacheWrite = written }
                }
            } else {
                notes.append("\(w.name): prompts of \(Format.count(input)) tokens are shorter than the \(Format.count(minimum)) tokens \(model.name) caches")
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
                                                   note: "the price difference only: whether \(pick.0.name) does the job well enough is for your evaluations to say"))
            }
        }

        // Regional → global endpoint.
        if b.endpoint == .regional, model.hasRates(region: b.region, endpoint: .global) {
            try consider("endpoint", "endpoint global", note: "global cross-region inference may serve requests from other regions") {
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
                                                       note: "breaks even above \(Format.money(breakEven))/day on demand and commits for \(term); one model unit assumed: check that its tokens per minute cover the peak"))
                } else {
                    notes.append("\(w.name): provisioned throughput (1 unit, \(term)) breaks even above \(Format.money(breakEven))/day; this workload spends \(Format.money(b.perDay))/day")
                }
            }
        }

        // The guardrail policy that costs most.
        if w.guardrails.count > 0 {
            let costs = b.lines.filter { $0.label.hasPrefix("guardrail ") }.map { (String($0.label.dropFirst("guardrail ".count)), $0.amount) }
            if let (policy, amount) = costs.max(by: { $0.1 < $1.1 }), !amount.isZero {
                let rest = w.guardrails.filter { $0 != policy }
                let change = rest.isEmpty ? nil : "guardrails " + rest.joined(separator: ", ")
                var changed = w
                changed.guardrails = rest
                if let after = try? Engine.estimate(changed), after.total < b.total {
                    found.append(try Advice.Recommendation(kind: "guardrails", workload: w.name, change: change ?? "guardrails none", before: b, after: after,
                                                       note: "drops the \(policy) policy's checks, the costliest at \(Format.money(amount))/month"))
                }
            }
        }
        return (found, notes)
    }
}
