import TallyQuantities
import TallySyntax
import TallyPricing

/// Workload, knowledge-base and customization properties: turning `< … >`
/// into what the pricing engine reads, one case of `WorkloadProperty` each.
extension Evaluator {
    /// Applies one property of a workload, knowledge base or customization.
    func apply(_ property: Property, to workload: inout Workload, in block: WorkloadSchema.Block? = nil) throws(Diagnostic) {
        let block = block ?? WorkloadSchema.Block(workload.kind)
        guard let key = WorkloadProperty(rawValue: property.name), WorkloadSchema.accepts(key, in: block) else {
            let allowed = WorkloadSchema.names(for: block)
            if WorkloadProperty(rawValue: property.name) != nil {
                let article = block.rawValue.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                throw Diagnostic(.name, "`\(property.name)` does not apply to \(article) \(block.rawValue)", at: property.nameSpan)
                    .hint("its properties are \(allowed.joined(separator: ", "))")
            }
            throw Diagnostic(.name, "unknown property `\(property.name)`", at: property.nameSpan)
                .hint(suggestionHint(for: property.name, in: allowed) ?? Suggestion.sharedStem(property.name, in: allowed).map { "did you mean `\($0)`?" }
                      ?? "properties are \(allowed.joined(separator: ", "))")
        }
        workload.spans[property.name] = property.span
        switch key {
        case .amount:
            let e = try single(property, "an amount such as `$700/month`")
            let q = try quantity(e)
            guard q.dimension == .moneyPerTime || q.dimension == .money else {
                throw Diagnostic(.dimension, "a cost's amount is money per time (`$700/month`) or money once (`$12k`), not \(Evaluator.unitName(q))",
                                 at: e.span)
            }
            guard !q.value.isNegative else { throw Diagnostic(.runtime, "a cost cannot be negative", at: e.span) }
            // Per month of the script, or a one-off amount.
            let once = q.dimension == .money
            guard let amount = once ? q.value : q.value.multiplied(by: environment.month.factor) else { throw overflow(at: e.span) }
            workload.fixedRate = Rate(amount: amount, kind: once ? .oneOffCost : .fixedCost, source: "stated in the script", asOf: nil,
                                      since: nil, origin: e.span.location, isBuiltin: false, overridden: false)
        case .model:
            let (name, span) = try singleWord(property, "a model name such as `sonnet-4.5`")
            workload.model = try model(named: name, at: span)
            workload.modelEndpoint = environment.catalog.endpoint(forReference: name)
            if let profile = environment.catalog.profile(named: name) {
                workload.profile = profile.arn
                // Requests through a profile are billed in its region, unless the script says otherwise.
                if workload.region == nil { workload.region = profile.region }
                // The profile's tags, where the workload does not set the key itself.
                for tag in profile.tags where !workload.tags.contains(where: { $0.key == tag.key }) { workload.tags.append(tag) }
            }
        case .requests:
            workload.requestsPerSecond = try ratePerSecond(try single(property, "a rate such as `3000/day`"), of: "requests", allowing: .requests)
        case .images where block == .dataAutomation, .output where block == .dataAutomation, .documents, .audio, .video, .fields:
            try applyDataAutomation(key, property, to: &workload)
        case .input, .output:
            let e = try single(property, "tokens per request, such as `1000 tokens`")
            let (tokens, note) = try tokensPerRequest(e, property: property.name)
            if key == .input {
                workload.inputTokens = tokens
                workload.inputNote = note
            } else {
                workload.outputTokens = tokens
                workload.outputNote = note
            }
        case .cache:
            try applyCache(property, to: &workload)
        case .region:
            workload.region = try singleWord(property, "a region such as `us-east-1`").0
        case .endpoint:
            let (name, span) = try singleWord(property, "`global` or `regional`")
            guard let endpoint = Endpoint(rawValue: name) else {
                throw Diagnostic(.name, "unknown endpoint `\(name)`", at: span, hints: ["endpoints are `global` and `regional`"])
            }
            workload.endpoint = endpoint
        case .mode:
            workload.mode = try mode(property)
        case .agent:
            let steps = try count(try single(property, "model calls per request, such as `6 steps`"), of: "agent")
            guard steps >= .one else {
                throw Diagnostic(.runtime, "an agent makes at least one model call per request", at: property.span)
            }
            workload.agentSteps = steps
        case .retries:
            workload.retries = try share(try single(property, "a share such as `4%`"), of: "retries")
        case .contingency:
            let e = try single(property, "a multiplier such as `1.5`")
            let m = try count(e, of: "contingency")
            guard m >= .one else {
                throw Diagnostic(.runtime, "`contingency` is a multiplier of at least 1, such as `1.5` for half again", at: e.span)
            }
            workload.contingency = m
        case .guardrails:
            try applyGuardrails(property, to: &workload)
        case .guardrailText:
            let e = try single(property, "characters checked per request, such as `5600 characters`")
            workload.guardrailCharacters = try characters(e, of: "guardrail-text")
            workload.guardrailScope = nil
        case .guardrailScope:
            workload.guardrailScope = try guardrailScope(property)
            workload.guardrailCharacters = nil
        case .images:
            let e = try single(property, "images per request, such as `4`")
            let q = try quantity(e)
            guard q.dimension == .images || q.dimension.isDimensionless else {
                throw Diagnostic(.dimension, "`images` takes images per request, such as `4`, not \(Evaluator.unitName(q))", at: e.span)
            }
            guard !q.value.isNegative else { throw Diagnostic(.runtime, "`images` cannot be negative", at: e.span) }
            workload.imagesPerRequest = q.value
        case .size:
            let e = try single(property, "the image's size in pixels, such as `1024`")
            let n = try count(e, of: "size")
            guard n.isInteger, n > .zero, n <= Rational(100_000) else {
                throw Diagnostic(.runtime, "`size` is a whole number of pixels, such as 1024", at: e.span)
            }
            workload.imageSize = Int(n.numerator)
        case .quality:
            workload.imageQuality = try singleWord(property, "`standard` or `premium`").0
        case .logs, .from, .to, .filter:
            // A `usage` declaration reads these itself; no other block accepts them.
            throw Diagnostic(.name, "`\(property.name)` applies to a `usage` declaration only", at: property.nameSpan)
        case .tag:
            try keyValuePairs(property, property.arguments[...], example: "tag team=support", into: &workload.tags)
        // Knowledge bases
        case .vectorStore:
            let (name, span) = try singleWord(property, "a vector store such as `opensearch-serverless`")
            workload.vectorStore = try catalogEntry(name, at: span, kind: .service, what: "a vector store")
        case .ocus:
            workload.ocus = try count(try single(property, "OpenSearch compute units, such as `2`"), of: "ocus")
        case .storage:
            workload.storage = try gigabytes(property, "gigabytes stored, such as `50 GB`", example: "50 GB")
        case .embedding:
            let (name, span) = try singleWord(property, "an embedding model such as `titan-embed-v2`")
            workload.embeddingModel = try catalogEntry(name, at: span, kind: .embedding, what: "an embedding model")
        case .ingest:
            let e = try single(property, "tokens ingested per month, such as `10M tokens/month`")
            let (perSecond, note) = try tokensPerSecond(e, property: "ingest")
            workload.ingestPerSecond = perSecond
            workload.ingestNote = note
        case .retrievals:
            workload.retrievalsPerSecond = try ratePerSecond(try single(property, "queries per month, such as `100k/month`"), of: "retrievals")
        case .query:
            let e = try single(property, "tokens embedded per query, such as `50 tokens`")
            workload.queryTokens = try tokensPerRequest(e, property: "query").0
        case .reranker:
            let (name, span) = try singleWord(property, "a rerank model such as `cohere-rerank-3.5`")
            workload.reranker = try catalogEntry(name, at: span, kind: .rerank, what: "a rerank model")
        case .rerank:
            workload.reranksPerSecond = try ratePerSecond(try single(property, "rerank queries per month, such as `20k/month`"), of: "rerank")
        case .chunks:
            workload.rerankChunks = try count(try single(property, "document chunks per rerank query, such as `100`"), of: "chunks")
        case .structured:
            workload.structuredPerSecond = try ratePerSecond(try single(property, "structured-data queries per month, such as `5k/month`"), of: "structured")
        case .parsing:
            workload.pagesPerSecond = try ratePerSecond(try single(property, "pages parsed per month, such as `1000 pages/month`"), of: "parsing")
        // Customization
        case .training:
            let e = try single(property, "training tokens per month, such as `50M tokens/month`")
            let (perSecond, _) = try tokensPerSecond(e, property: "training")
            workload.trainingPerSecond = perSecond
        case .models:
            workload.customModels = try count(try single(property, "custom models stored, such as `1`"), of: "models")
        case .month:
            let e = try single(property, "the forecast month it falls in, such as `3`")
            let n = try count(e, of: "month")
            guard n.isInteger, n >= .one, n <= Rational(Forecast.maximumMonths) else {
                throw Diagnostic(.runtime, "`month` is a month of a forecast: 1 to \(Forecast.maximumMonths)", at: e.span)
            }
            workload.oneOffMonth = Int(n.numerator)
        case .copies:
            workload.importCopies = try count(try single(property, "model copies, such as `2`"), of: "copies")
        case .importUnits:
            workload.importUnits = try count(try single(property, "custom model units, such as `2`"), of: "import-units")
        case .active where block == .agentcore:
            workload.activeShare = try share(try single(property, "the share of a session its CPU is busy, such as `30%`"), of: "active")
        case .active:
            let e = try single(property, "hours a day the model is active, such as `8 hours/day`")
            let q = try quantity(e)
            guard q.dimension.isDimensionless, !q.value.isNegative, q.value <= .one else {
                throw Diagnostic(.dimension, "`active` takes hours a day, such as `8 hours/day`", at: e.span)
            }
            workload.importActiveHoursPerDay = q.value.multiplied(by: Rational(24))
        // AgentCore
        case .compute:
            workload.agentCompute = try oneOf(property, Engine.agentComputes, "what sessions run on")
        case .strategy:
            workload.selfManagedStrategy = try oneOf(property, Engine.memoryStrategies, "the strategy of long-term records") == "self-managed"
        case .sessions, .invocations, .searches, .events, .identity, .authorizations, .customEvaluations:
            let perSecond = try ratePerSecond(try single(property, "a rate such as `10k/day`"), of: property.name, allowing: .requests)
            switch key {
            case .sessions: workload.sessionsPerSecond = perSecond
            case .invocations: workload.invocationsPerSecond = perSecond
            case .searches: workload.searchesPerSecond = perSecond
            case .events: workload.eventsPerSecond = perSecond
            case .identity: workload.identityPerSecond = perSecond
            case .authorizations: workload.authorizationsPerSecond = perSecond
            default: workload.customEvaluationsPerSecond = perSecond
            }
        case .session:
            let e = try single(property, "how long a session lasts, such as `60 seconds`")
            let q = try quantity(e)
            guard q.dimension == .time else {
                throw Diagnostic(.dimension, "`session` takes a duration, such as `60 seconds`, not \(Evaluator.unitName(q))", at: e.span)
            }
            guard q.value > .zero else { throw Diagnostic(.runtime, "a session lasts longer than nothing", at: e.span) }
            workload.sessionSeconds = q.value
        case .vcpu:
            workload.vcpus = try count(try single(property, "vCPUs, such as `1`"), of: "vcpu")
        case .memory:
            workload.sessionMemory = try gigabytes(property, "a session's memory, such as `2 GB`", example: "2 GB")
        case .tools:
            workload.toolsIndexed = try count(try single(property, "tools indexed, such as `200`"), of: "tools")
        case .records:
            workload.longTermRecords = try count(try single(property, "long-term records stored, such as `20k`"), of: "records")
        case .evaluations:
            let e = try single(property, "input tokens per month, such as `10M tokens/month`")
            workload.evaluationTokensPerSecond = try tokensPerSecond(e, property: "evaluations").0
        case .evaluationOutput:
            let e = try single(property, "output tokens per month, such as `1M tokens/month`")
            workload.evaluationOutputTokensPerSecond = try tokensPerSecond(e, property: "evaluation-output").0
        }
    }

    /// One word from a fixed list.
    func oneOf(_ property: Property, _ choices: [String], _ what: String) throws(Diagnostic) -> String {
        let listed = choices.map { "`\($0)`" }.joined(separator: ", ")
        let (name, span) = try singleWord(property, "\(what): \(listed)")
        guard choices.contains(name) else {
            throw Diagnostic(.name, "unknown \(property.name) `\(name)`", at: span)
                .hint(suggestionHint(for: name, in: choices) ?? "choices are \(listed)")
        }
        return name
    }

    /// What a knowledge base uses when it does not say.
    static let defaultVectorStore = "opensearch-serverless"
    static let defaultEmbedding = "titan-embed-v2"
    static let defaultReranker = "amazon-rerank"

    /// Fills in the catalog entries a declaration uses without naming them.
    func resolveServices(_ workload: inout Workload) {
        let catalog = environment.catalog
        if !workload.guardrails.isEmpty, workload.guardrailService == nil { workload.guardrailService = catalog.model(named: "guardrails") }
        if workload.kind == .knowledgeBase || workload.kind == .dataAutomation {
            workload.parsingService = catalog.model(named: "data-automation")
        }
        if workload.kind == .knowledgeBase {
            if workload.vectorStore == nil { workload.vectorStore = catalog.model(named: Evaluator.defaultVectorStore) }
            if workload.embeddingModel == nil { workload.embeddingModel = catalog.model(named: Evaluator.defaultEmbedding) }
            if workload.reranksPerSecond != nil, workload.reranker == nil { workload.reranker = catalog.model(named: Evaluator.defaultReranker) }
            workload.retrievalService = catalog.model(named: "structured-retrieval")
        }
        if workload.kind == .agentCore { workload.agentCoreService = catalog.model(named: "agentcore") }
        if workload.kind == .customization, workload.importUnits != nil {
            workload.importService = catalog.model(named: "custom-model-import")
        }
    }

    func mode(_ property: Property) throws(Diagnostic) -> Workload.Mode {
        let usage = "modes: `on-demand`, `batch`, `flex`, `priority`, `provisioned 2 units 1-month` (terms: \(RateKind.provisionedTerms.joined(separator: ", ")))"
        guard case .expression(let first)? = property.arguments.first, let name = word(first) else {
            throw Diagnostic(.syntax, "`mode` takes a billing mode", at: property.span, hints: [usage])
        }
        switch name {
        case "on-demand", "batch", "flex", "priority":
            guard property.arguments.count == 1 else {
                throw Diagnostic(.syntax, "mode `\(name)` takes nothing more", at: property.arguments[1].span, hints: [usage])
            }
            return name == "on-demand" ? .onDemand : .tier(name)
        case "provisioned":
            var units: Rational?
            var term: String?
            for argument in property.arguments.dropFirst() {
                guard case .expression(let e) = argument else {
                    throw Diagnostic(.syntax, "unexpected argument to `mode provisioned`", at: argument.span, hints: [usage])
                }
                if let w = word(e) {
                    guard RateKind.provisionedTerms.contains(w) else {
                        throw Diagnostic(.name, "unknown term `\(w)`", at: e.span)
                            .hint(suggestionHint(for: w, in: RateKind.provisionedTerms) ?? "terms are \(RateKind.provisionedTerms.joined(separator: ", "))")
                    }
                    term = w
                } else {
                    let n = try count(e, of: "provisioned units")
                    guard n.isInteger, n >= .one else {
                        throw Diagnostic(.runtime, "provisioned throughput is bought in whole model units", at: e.span)
                    }
                    units = n
                }
            }
            guard let units else {
                throw Diagnostic(.syntax, "say how many model units: `mode provisioned 2 units 1-month`", at: property.span)
            }
            return .provisioned(units: units, term: term)
        default:
            let known = ["on-demand", "batch", "flex", "priority", "provisioned"]
            throw Diagnostic(.name, "unknown mode `\(name)`", at: first.span)
                .hint(suggestionHint(for: name, in: known) ?? usage)
        }
    }

    func applyGuardrails(_ property: Property, to workload: inout Workload) throws(Diagnostic) {
        guard !property.arguments.isEmpty else {
            throw Diagnostic(.syntax, "`guardrails` takes policies: \(RateKind.guardrailPolicies.joined(separator: ", "))", at: property.span)
        }
        var policies: [String] = []
        if property.arguments.count == 1, case .expression(let e) = property.arguments[0], word(e) == "none" {
            workload.guardrails = []
            return
        }
        for argument in property.arguments {
            guard case .expression(let e) = argument, let policy = word(e) else {
                throw Diagnostic(.syntax, "`guardrails` takes policy names", at: argument.span)
            }
            guard RateKind.guardrailPolicies.contains(policy) else {
                throw Diagnostic(.name, "unknown guardrail policy `\(policy)`", at: e.span)
                    .hint(suggestionHint(for: policy, in: RateKind.guardrailPolicies) ?? "policies are \(RateKind.guardrailPolicies.joined(separator: ", "))")
            }
            if !policies.contains(policy) { policies.append(policy) }
        }
        workload.guardrails = policies
    }

    func model(named name: String, at span: Span) throws(Diagnostic) -> ModelPrice {
        if let model = environment.catalog.model(named: name) { return model }
        if case .string(let s)? = environment[name]?.value, let model = environment.catalog.model(named: s) { return model }
        throw Diagnostic(.name, "unknown model `\(name)`", at: span)
            .hint(suggestionHint(for: name, in: Suggestion.models(like: name, in: environment.catalog.allNames)) ?? "`tally models` lists the models Tally knows")
    }

    /// `cache READ [write WRITE] [ttl 5min|1h]`
    func applyCache(_ property: Property, to workload: inout Workload) throws(Diagnostic) {
        let usage = "write `cache 60%`, `cache 60% write 10%` or `cache 60% write 10% ttl 1h`"
        var arguments = property.arguments[...]
        guard case .expression(let readExpr)? = arguments.popFirst() else {
            throw Diagnostic(.syntax, "`cache` takes the share of input tokens read from the prompt cache", at: property.span, hints: [usage])
        }
        let read = try share(readExpr, of: "cache", lowersCost: true)
        var write = Rational.zero
        var ttl = Workload.CacheTTL.fiveMinutes
        while let keyword = arguments.popFirst() {
            guard case .expression(let keyExpr) = keyword, let key = word(keyExpr), key == "write" || key == "ttl",
                  case .expression(let valueExpr)? = arguments.popFirst()
            else {
                throw Diagnostic(.syntax, "unexpected argument to `cache`", at: keyword.span, hints: [usage])
            }
            if key == "write" {
                write = try share(valueExpr, of: "cache write")
            } else {
                let q = try quantity(valueExpr)
                guard q.dimension == .time, q.value == Rational(300) || q.value == Rational(3600) else {
                    throw Diagnostic(.runtime, "the prompt cache lives 5 minutes or 1 hour", at: valueExpr.span,
                                     hints: ["write `ttl 5min` or `ttl 1h`"])
                }
                ttl = q.value == Rational(3600) ? .oneHour : .fiveMinutes
            }
        }
        guard let sum = read.adding(write), sum <= .one else {
            throw Diagnostic(.runtime, "cache reads and writes together exceed 100% of input tokens", at: property.span)
        }
        workload.cacheRead = read
        workload.cacheWrite = write
        workload.cacheTTL = ttl
    }
}
