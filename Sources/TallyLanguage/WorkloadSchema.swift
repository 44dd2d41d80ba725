import TallyQuantities
import TallyPricing

/// The properties of `workload`, `knowledge-base` and `customization`
/// blocks. The builder switches over these cases (no `default`), so a
/// property has a handler exactly when it has an entry here.
package enum WorkloadProperty: String, CaseIterable, Sendable {
    // Each block lists its properties in this order (diagnostics print it).
    case amount, month, model, requests, input, output, cache
    case vectorStore = "vector-store", ocus, storage, embedding, ingest, retrievals, query, reranker, rerank, chunks,
         structured, parsing
    case training, models
    case region, endpoint, mode
    case importUnits = "import-units", copies, active
    case compute, sessions, session, vcpu, memory, invocations, searches, tools, events, records, strategy, identity, authorizations,
         evaluations, evaluationOutput = "evaluation-output", customEvaluations = "custom-evaluations"
    case agent, retries, contingency, guardrails
    case guardrailText = "guardrail-text", guardrailScope = "guardrail-scope"
    // A data-automation block's meters sit around `images`, which it shares.
    case documents, images, audio, video, fields, size, quality, tag
    case logs, from, to, filter = "where"

    package var entry: WorkloadSchema.Entry {
        let workload: [WorkloadSchema.Block] = [.workload]
        let knowledgeBase: [WorkloadSchema.Block] = [.knowledgeBase]
        let customization: [WorkloadSchema.Block] = [.customization]
        let agentcore: [WorkloadSchema.Block] = [.agentcore]
        let dataAutomation: [WorkloadSchema.Block] = [.dataAutomation]
        let included = Format.count(Engine.includedBlueprintFields)
        let terms = RateKind.provisionedTerms.joined(separator: "|")
        let policies = RateKind.guardrailPolicies.map { "`\($0)`" }.joined(separator: ", ")
        return switch self {
        case .amount:
            .init(self, [.cost], "$700/month", "what it costs, per time (`$700/month`) or once (`$12k`, paid in its `month`), written bare (or `amount …`); a range gives a low and a high end",
                  default: "required")
        case .month:
            .init(self, [.cost], "month 3", "for a one-off amount (`$12k`), the month of a `forecast` it falls in", default: "1")
        case .model:
            .init(self, [.workload, .customization, .profile, .usage], "model sonnet-4.5",
                  "a catalog name (`sonnet-4.5`), alias (`claude-sonnet-4.5`) or Bedrock id in quotes (`\"anthropic.claude-sonnet-4-5-20250929-v1:0\"`); an inference-profile id (`\"global.…\"`, `\"us.…\"`) also picks its endpoint; for a customization, the base model; for `usage`, only that model's records",
                  default: "required, but not with `import-units` (a `usage`: every model)")
        case .requests:
            .init(self, [.workload, .guardrail], "requests 3000/day", "a rate: `3000/day`, `40k/day`, `5000 requests/month`",
                  default: "required (not for provisioned)")
        case .input:
            .init(self, workload, "input 1000 tokens",
                  "input per request (per model call), in `tokens`, `words` (750 words = 1,000 tokens) or `characters` (4 a token)",
                  default: "\(Format.count(Engine.defaultInputTokens)) tokens")
        case .output:
            .init(self, workload, "output 300 tokens", "output per request (per model call), in the units `input` takes",
                  default: "\(Format.count(Engine.defaultOutputTokens)) tokens")
        case .cache:
            .init(self, workload, "cache 60% [write 10%] [ttl 5min|1h]",
                  "shares of input tokens read from and written to the prompt cache", default: "no caching; writes 5-minute")
        case .vectorStore:
            .init(self, knowledgeBase, "vector-store opensearch-serverless",
                  "the vector store; it bills its OCUs every hour of the month, used or not", default: "`\(Evaluator.defaultVectorStore)`")
        case .ocus:
            .init(self, knowledgeBase, "ocus 2", "the vector store's OpenSearch compute units",
                  default: "\(Format.count(Engine.defaultOCUs)), the usual production floor")
        case .storage:
            .init(self, knowledgeBase, "storage 50 GB", "gigabytes stored in the vector store", default: "none")
        case .embedding:
            .init(self, knowledgeBase, "embedding titan-embed-v2", "the embedding model that prices ingestion and query embeddings",
                  default: "`\(Evaluator.defaultEmbedding)`")
        case .ingest:
            .init(self, knowledgeBase, "ingest 10M tokens/month", "tokens ingested, priced at the embedding model's input rate",
                  default: "none")
        case .retrievals:
            .init(self, [.knowledgeBase, .agentcore], "retrievals 100k/month",
                  "retrieval queries, each embedding `query` tokens; for `agentcore`, Memory long-term record retrievals", default: "none")
        case .query:
            .init(self, knowledgeBase, "query 50 tokens", "tokens embedded per retrieval query", default: "\(Format.count(Engine.defaultQueryTokens)) tokens")
        case .reranker:
            .init(self, knowledgeBase, "reranker cohere-rerank-3.5", "the rerank model", default: "`\(Evaluator.defaultReranker)`")
        case .rerank:
            .init(self, knowledgeBase, "rerank 20k/month", "rerank queries; one is billed per \(Format.count(Engine.chunksPerRerankQuery)) `chunks`", default: "none")
        case .chunks:
            .init(self, knowledgeBase, "chunks 150", "document chunks per rerank query", default: Format.count(Engine.chunksPerRerankQuery))
        case .structured:
            .init(self, knowledgeBase, "structured 5k/month", "structured-data retrieval queries", default: "none")
        case .parsing:
            .init(self, knowledgeBase, "parsing 1000 pages/month", "pages parsed by Bedrock Data Automation", default: "none")
        case .training:
            .init(self, customization, "training 50M tokens/month", "training tokens, at the model's training rate", default: "none")
        case .models:
            .init(self, customization, "models 1", "custom models stored, each billed per month", default: "1")
        case .region:
            .init(self, [.workload, .knowledgeBase, .customization, .guardrail, .agentcore, .dataAutomation, .usage], "region us-east-1",
                  "the region priced: `us-east-1`, `eu-central-1`, …; for `usage`, only the records made there",
                  default: "`\(Engine.defaultRegion)` (or the script's `region`; a `usage`: every region)")
        case .endpoint:
            .init(self, [.workload, .customization], "endpoint global|regional", "the endpoint, for models priced by endpoint",
                  default: "`\(Engine.defaultEndpoint.rawValue)`")
        case .mode:
            .init(self, [.workload, .customization], "mode batch",
                  "`on-demand`, `batch`, `flex`, `priority`, or `provisioned N units [\(terms)]`; a customization is served only provisioned (without `mode`: training and storage only)",
                  default: "`on-demand`; term `\(Engine.defaultTerm)`")
        case .copies:
            .init(self, customization, "copies 2", "model copies Custom Model Import keeps active, each billed for its units",
                  default: "1")
        case .importUnits:
            .init(self, customization, "import-units 2",
                  "Custom Model Import model units per model copy, billed per minute in 5-minute windows while `active`, plus storage per unit",
                  default: "none")
        case .active:
            .init(self, [.customization, .agentcore], "active 8 hours/day",
                  "hours a day the imported model is active; for `agentcore`, the share of a session its CPU is busy (`active 30%`), the only time CPU is billed",
                  default: "required with `import-units`; `agentcore`: 100%")
        case .compute:
            .init(self, agentcore, "compute runtime|browser|code-interpreter", "what the sessions run on; all three bill the same vCPU-hour and GB-hour",
                  default: "`runtime`")
        case .sessions:
            .init(self, agentcore, "sessions 10k/day", "AgentCore sessions, each billed for its CPU while active and its memory throughout", default: "none")
        case .session:
            .init(self, agentcore, "session 60 seconds", "how long a session lasts, start to shutdown", default: "required with `sessions`")
        case .vcpu:
            .init(self, agentcore, "vcpu 1", "vCPUs a session keeps busy while active", default: "required with `sessions`")
        case .memory:
            .init(self, agentcore, "memory 2 GB", "a session's peak memory, billed for the whole session", default: "required with `sessions`")
        case .invocations:
            .init(self, agentcore, "invocations 1M/month", "Gateway API calls (ListTools, InvokeTool, Ping)", default: "none")
        case .searches:
            .init(self, agentcore, "searches 100k/month", "Gateway search API calls", default: "none")
        case .tools:
            .init(self, agentcore, "tools 200", "tools in the Gateway's search index, billed per month", default: "none")
        case .events:
            .init(self, agentcore, "events 500k/month", "Memory short-term events created", default: "none")
        case .records:
            .init(self, agentcore, "records 20k", "Memory long-term records stored, billed per month", default: "none")
        case .strategy:
            .init(self, agentcore, "strategy built-in|self-managed",
                  "the strategy that makes long-term records; `self-managed` also covers a built-in strategy with override", default: "`built-in`")
        case .identity:
            .init(self, agentcore, "identity 50k/month", "Identity token and API-key requests not made through Runtime or Gateway (those are free)",
                  default: "none")
        case .authorizations:
            .init(self, agentcore, "authorizations 1M/month", "Policy authorization requests", default: "none")
        case .evaluations:
            .init(self, agentcore, "evaluations 10M tokens/month", "input tokens read by built-in evaluators", default: "none")
        case .evaluationOutput:
            .init(self, agentcore, "evaluation-output 1M tokens/month", "output tokens built-in evaluators write", default: "none")
        case .customEvaluations:
            .init(self, agentcore, "custom-evaluations 20k/month", "evaluations by custom evaluators", default: "none")
        case .documents:
            .init(self, dataAutomation, "documents 200k pages/month", "document pages processed", default: "none")
        case .audio:
            .init(self, dataAutomation, "audio 75k minutes/month", "minutes of audio processed", default: "none")
        case .video:
            .init(self, dataAutomation, "video 2k minutes/month", "minutes of video processed", default: "none")
        case .fields:
            .init(self, dataAutomation, "fields 45",
                  "fields in the custom output's blueprint; each beyond \(included) bills per field per page, image and minute",
                  default: "\(included) or fewer (custom output only)")
        case .agent:
            .init(self, workload, "agent 6 steps", "model calls per request: multiplies the token lines", default: "1")
        case .retries:
            .init(self, [.workload, .knowledgeBase, .guardrail], "retries 4%", "extra requests billed and thrown away", default: "none")
        case .contingency:
            .init(self, [.workload, .knowledgeBase, .customization, .cost, .guardrail, .agentcore, .dataAutomation], "contingency 1.5", "a multiplier for what estimates miss",
                  default: "none")
        case .guardrails:
            .init(self, [.workload, .guardrail], "guardrails content, topics", "guardrail policies: \(policies), or `none`",
                  default: "none (a `guardrail`: required)")
        case .guardrailText:
            .init(self, [.workload, .guardrail], "guardrail-text 5600 characters", "characters (or tokens) a guardrail reads per request",
                  default: "the prompt and the response at 4 characters a token (a `guardrail`: required)")
        case .guardrailScope:
            .init(self, workload, "guardrail-scope user-turn 250 tokens",
                  "what guardrails read: `prompt+response`, `prompt` (not the response), or `user-turn SIZE` (the user's turn tagged as guard content, and the response); replaces `guardrail-text`",
                  default: "`prompt+response`")
        case .images:
            .init(self, workload, "images 4", "images per request, for image models", default: "1")
        case .size:
            .init(self, workload, "size 1024",
                  "an image's pixels on the long side, priced at the smallest listed size that holds it", default: "the smallest size")
        case .quality:
            .init(self, workload, "quality standard|premium", "an image's quality", default: "`standard`")
        case .tag:
            .init(self, [.workload, .knowledgeBase, .customization, .cost, .guardrail, .agentcore, .dataAutomation, .profile],
                  "tag team=support app=help",
                  "`KEY=VALUE` pairs to group costs by; a profile's tags go to every workload that names it, unless the workload sets the key",
                  default: "none")
        case .logs:
            .init(self, [.usage], "logs \"logs/2026-11\"",
                  "model-invocation logs to read: files (`.jsonl`, `.json.gz`) or folders in AWS's S3 layout, relative to the script", default: "required")
        case .from:
            .init(self, [.usage], "from 2026-11-01", "the first day (or ISO-8601 instant, in quotes) of records counted", default: "the first record")
        case .to:
            .init(self, [.usage], "to 2026-11-30", "the last day counted, whole (or an instant in quotes, not counted)", default: "the last record")
        case .filter:
            .init(self, [.usage], "where team=search", "only records whose `requestMetadata` carries these `KEY=VALUE` pairs; they are its tags too",
                  default: "every record")
        }
    }

    /// The same name with another meaning in another block: a data-automation
    /// block's `images` are a rate and its `output` a choice.
    package var otherEntries: [WorkloadSchema.Entry] {
        switch self {
        case .images:
            [.init(self, [.dataAutomation], "images 5k/month", "images processed", default: "none")]
        case .output:
            [.init(self, [.dataAutomation], "output standard|custom",
                   "standard output, or custom output that extracts a blueprint's fields", default: "`standard`")]
        default: []
        }
    }
}

/// The properties of a `price` block besides its rates, which `RateKind` names.
package enum PriceProperty: String, CaseIterable, Sendable {
    case name, id, alias, provider, kind, featured
    case cacheMinimum = "cache-minimum"
    case region, endpoint, above, since, source
    case asOf = "as-of"

    package var entry: WorkloadSchema.Entry {
        let price: [WorkloadSchema.Block] = [.price]
        let kinds = ModelKind.allCases.map(\.rawValue).joined(separator: "|")
        return switch self {
        case .name: .init(self, price, "name \"Claude Sonnet 4.5\"", "the display name")
        case .id: .init(self, price, "id \"acme.model-v1:0\"", "the Bedrock model id")
        case .alias: .init(self, price, "alias acme-model", "other names for the entry")
        case .provider: .init(self, price, "provider anthropic", "who makes the model")
        case .kind: .init(self, price, "kind \(kinds)", "what the entry prices")
        case .featured: .init(self, price, "featured", "a reference model: Tab completion and `advise`'s cheaper model prefer it")
        case .cacheMinimum: .init(self, price, "cache-minimum 1024 tokens", "the shortest cacheable prefix")
        case .region: .init(self, price, "region us-east-1", "the region of the block's rates")
        case .endpoint: .init(self, price, "endpoint global|regional", "the endpoint of the block's rates")
        case .above: .init(self, price, "above 200k tokens", "input tokens per request above which the block's rates apply")
        case .since: .init(self, price, "since \"2026-08-21\"", "when the rates took effect")
        case .source: .init(self, price, "source \"…\"", "where the rates came from")
        case .asOf: .init(self, price, "as-of \"2026-11\"", "when the rates were read")
        }
    }
}

/// What each block accepts, read by the builder's diagnostics, `:help
/// properties`, Tab completion and the README's tables.
package enum WorkloadSchema {
    package enum Block: String, CaseIterable, Sendable {
        case workload, knowledgeBase = "knowledge-base", customization, cost, guardrail, agentcore, dataAutomation = "data-automation", usage, price,
             profile

        package init(_ kind: Workload.Kind) {
            switch kind {
            case .inference: self = .workload
            case .knowledgeBase: self = .knowledgeBase
            case .customization: self = .customization
            case .cost: self = .cost
            case .guardrail: self = .guardrail
            case .agentCore: self = .agentcore
            case .dataAutomation: self = .dataAutomation
            case .usage: self = .usage
            }
        }
    }

    package struct Entry: Sendable, Equatable {
        package let name: String
        package let blocks: [Block]
        /// As written in a script: `cache 60% [write 10%] [ttl 5min|1h]`.
        package let form: String
        package let description: String
        /// What the engine assumes when the property is not given.
        package let defaultValue: String?

        init(_ property: some RawRepresentable<String>, _ blocks: [Block], _ form: String, _ description: String,
             default defaultValue: String? = nil) {
            self.name = property.rawValue
            self.blocks = blocks
            self.form = form
            self.description = description
            self.defaultValue = defaultValue
        }
    }

    package static let workloadEntries = WorkloadProperty.allCases.flatMap { [$0.entry] + $0.otherEntries }
    package static let priceEntries = PriceProperty.allCases.map(\.entry)
    static let workloadBlocks = Dictionary(uniqueKeysWithValues: WorkloadProperty.allCases.map {
        ($0, ([$0.entry] + $0.otherEntries).flatMap(\.blocks))
    })

    package static func accepts(_ property: WorkloadProperty, in block: Block) -> Bool {
        workloadBlocks[property]?.contains(block) ?? false
    }

    /// A `price` block's rates, one row per measure: what the rates are named
    /// and in what unit each is written.
    package struct RateGroup: Sendable, Equatable {
        package let names: [String]
        package let form: String
        package let description: String
    }

    package static let rateGroups: [RateGroup] = {
        let measures: [RateKind.Measure] = [.perToken, .factor, .perTime, .perImage, .perItem, .perDataTime]
        return measures.map { measure in
            let names = RateKind.knownNames.filter { RateKind($0).measure == measure }
            let (form, description): (String, String) = switch measure {
            case .perToken: ("input $3/1M tokens", "dollars per token")
            case .factor: ("batch 50%", "a tier's share of the on-demand input and output rates")
            case .perTime:
                ("provisioned-1-month $55/hour",
                 "dollars per model unit (or OCU) per hour; `custom-storage` per custom model per month (`$1.95/month`), `model-unit` per imported model unit (`$0.0785/minute`); `audio` and `video` per minute of media (`$0.006/minute`)")
            case .perImage: ("image $0.04/image", "dollars per image; `image-QUALITY-SIZE` for one quality and size")
            case .perItem: ("query $2/1000", "dollars each: a query, a page, a guardrail policy's text unit, an AgentCore call or event, a blueprint field per unit")
            case .perDataTime: ("storage $0.024/GB/month", "dollars per GB-month")
            }
            return RateGroup(names: names, form: form, description: description)
        }
    }()

    /// A block's entries; for `price`, without its rates.
    package static func entries(for block: Block) -> [Entry] {
        (block == .price ? priceEntries : workloadEntries).filter { $0.blocks.contains(block) }
    }

    /// Every name a block accepts; for `price`, its rates too.
    package static func names(for block: Block) -> [String] {
        entries(for: block).map(\.name) + (block == .price ? RateKind.knownNames : [])
    }
}
