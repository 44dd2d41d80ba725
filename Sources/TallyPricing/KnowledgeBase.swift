import TallyQuantities

/// Knowledge bases and model customization: declared beside workloads, billed
/// by the month whether or not anything calls them.
extension Pricer {
    mutating func knowledgeBase() throws(PricingError) -> Breakdown {
        guard let store = workload.vectorStore else {
            throw fail(.noVectorStore)
        }
        if !workload.gave("vector-store") { assumptions.append(.defaultVectorStore(store.name)) }
        let placement = try place(store)

        // The vector store bills every hour of the month, used or not.
        let ocus = workload.ocus ?? Engine.defaultOCUs
        if workload.ocus == nil { assumptions.append(.defaultOCUs(ocus)) }
        let ocuRate = try rate(store, .ocu, placement, property: "ocus")
        try add("vector store (idle or not)", try product(ocus, try hoursPerMonth), "OCU-hours", rate: ocuRate, scale: Rational(3600))
        summary.append(.ocusAllMonth(ocus))

        if let gigabytes = workload.storage, !gigabytes.isZero {
            let r = try rate(store, .storage, placement, property: "storage")
            try add("storage", gigabytes, "GB-months", rate: r, scale: Engine.secondsPerMonth)
        }

        var requestsPerMonth: Rational?
        let needsEmbedding = workload.ingestPerSecond != nil || workload.retrievalsPerSecond != nil
        if needsEmbedding {
            guard let embedder = workload.embeddingModel else {
                throw fail(.noEmbeddingModel)
            }
            if !workload.gave("embedding") { assumptions.append(.defaultEmbedding(embedder.name)) }
            let embedPlacement = Placement(region: placement.region, endpoint: nil)
            guard embedder.hasRates(region: placement.region) else {
                throw fail(.notInRegion(model: embedder.name, region: placement.region, regions: embedder.regions), at: "embedding")
            }
            let embedRate = try rate(embedder, .input, embedPlacement, property: "embedding")
            if let ingest = workload.ingestPerSecond {
                if let note = workload.ingestNote { assumptions.append(.derivedTokens(note)) }
                try add("ingestion (\(embedder.name))", try perMonth(ingest), "tokens", rate: embedRate)
            }
            if let retrievals = workload.retrievalsPerSecond {
                let queries = try perMonth(retrievals)
                requestsPerMonth = queries
                let tokens = workload.queryTokens ?? Engine.defaultQueryTokens
                if workload.queryTokens == nil { assumptions.append(.defaultQueryTokens(tokens)) }
                summary.append(.retrievalsPerMonth(queries))
                try add("query embeddings", try product(queries, tokens), "tokens", rate: embedRate)
            }
        }
        if let reranks = workload.reranksPerSecond {
            guard let reranker = workload.reranker else {
                throw fail(.noReranker, at: "rerank")
            }
            if !workload.gave("reranker") { assumptions.append(.defaultReranker(reranker.name)) }
            let chunks = workload.rerankChunks ?? Engine.chunksPerRerankQuery
            guard let perQuery = chunks.divided(by: Engine.chunksPerRerankQuery) else { throw overflow }
            let billed = Rational(max(1, perQuery.ceiling))
            let queries = try product(try perMonth(reranks), billed)
            if billed > .one { assumptions.append(.rerankBilling(chunks: chunks, billed: billed)) }
            let r = try rate(reranker, .query, Placement(region: placement.region, endpoint: nil), property: "rerank")
            try add("rerank (\(reranker.name))", queries, "queries", rate: r)
        }
        if let structured = workload.structuredPerSecond {
            guard let service = workload.retrievalService else {
                throw fail(.missingService(.structuredRetrieval), at: "structured")
            }
            let r = try rate(service, .query, Placement(region: Engine.defaultRegion, endpoint: nil), property: "structured")
            try add("structured retrieval", try perMonth(structured), "queries", rate: r)
        }
        if let pages = workload.pagesPerSecond {
            guard let service = workload.parsingService else {
                throw fail(.missingService(.parsing), at: "parsing")
            }
            let r = try rate(service, .page, Placement(region: Engine.defaultRegion, endpoint: nil), property: "parsing")
            try add("parsing (\(service.name))", try perMonth(pages), "pages", rate: r)
        }
        return try finish(store, placement, mode: "knowledge base", requestsPerMonth: requestsPerMonth)
    }

    mutating func customization() throws(PricingError) -> Breakdown {
        if let units = workload.importUnits {
            return try customModelImport(units: units)
        }
        guard let model = workload.model else {
            throw fail(.noBaseModel)
        }
        let placement = try place(model)
        if let training = workload.trainingPerSecond {
            let r = try rate(model, .training, placement, property: "training",
                             hint: .training)
            try add("training", try perMonth(training), "tokens", rate: r)
        }
        let count = workload.customModels ?? .one
        if workload.customModels == nil { assumptions.append(.defaultCustomModels) }
        let storage = try rate(model, .customStorage, placement, property: "models")
        try add("custom model storage", count, "model-months", rate: storage, scale: Engine.secondsPerMonth)
        switch workload.mode {
        case .provisioned(let units, let term)?:
            try provisioned(model, placement, units: units, term: term)
        case nil:
            // Training and storage only: serving it needs provisioned throughput, priced when `mode` says so.
            assumptions.append(.customizationWithoutServing)
        case .onDemand?, .tier?:
            throw fail(.customNeedsProvisioned, at: "mode")
        }
        return try finish(model, placement, mode: "customization")
    }

    /// Custom Model Import: model units billed per minute in 5-minute windows
    /// while active, plus storage per unit per month.
    mutating func customModelImport(units: Rational) throws(PricingError) -> Breakdown {
        guard let service = workload.importService else {
            throw fail(.missingService(.modelImport), at: "import-units")
        }
        let placement = try place(service)
        guard let hours = workload.importActiveHoursPerDay else {
            throw fail(.importNeedsActiveHours, at: "import-units")
        }
        // Minutes a day, rounded up to whole 5-minute windows.
        guard let minutes = hours.multiplied(by: Rational(60)), let windows = minutes.divided(by: Rational(5)) else { throw overflow }
        let billedMinutes = try product(Rational(windows.ceiling), Rational(5))
        guard let daysPerMonth = workload.monthSeconds.divided(by: Rational(86_400)) else { throw overflow }
        let copies = workload.importCopies ?? .one
        let unitMinutes = try product(copies, units, billedMinutes, daysPerMonth)
        summary.append(.customModelUnits(units, hoursPerDay: hours))
        if workload.importCopies != nil { summary.append(.modelCopies(copies)) }
        let r = try rate(service, .modelUnit, placement, property: "import-units")
        try add("imported model units", unitMinutes, "unit-minutes", rate: r, scale: Rational(60))
        let storage = try rate(service, .customStorage, placement, property: "import-units")
        try add("imported model storage", units, "unit-months", rate: storage, scale: Engine.secondsPerMonth)
        return try finish(service, placement, mode: "custom model import")
    }

    /// A cost the script states: its amount every month, whatever runs.
    mutating func fixedCost() throws(PricingError) -> Breakdown {
        guard let rate = workload.fixedRate else { throw fail(.noAmount) }
        let once = rate.kind == .oneOffCost
        if !once, workload.oneOffMonth != nil { throw fail(.monthOnlyForOneOff, at: "month") }
        try add(once ? "once" : "fixed", .one, once ? "time" : "month", rate: rate)
        try retriesAndContingency()
        return Breakdown(
            name: workload.name, kind: .cost, model: "", modelDisplayName: nil, region: workload.region ?? "", endpoint: nil,
            mode: once ? "once" : "fixed", requestsPerMonth: nil, inputTokens: nil, outputTokens: nil,
            summaryNotes: summary + (once ? [.oneOff(month: workload.oneOffMonth ?? 1)] : []), lines: lines, total: try total,
            assumptionNotes: assumptions, tags: workload.tags, high: nil, oneOffMonth: once ? workload.oneOffMonth ?? 1 : nil)
    }

    /// A guardrail applied on its own (ApplyGuardrail): each request's text, in
    /// text units, through each policy.
    mutating func standaloneGuardrail() throws(PricingError) -> Breakdown {
        guard let perSecond = workload.requestsPerSecond else { throw fail(.noRequests) }
        guard !workload.guardrails.isEmpty else { throw fail(.guardrailNeedsPolicies) }
        guard workload.guardrailCharacters != nil else { throw fail(.guardrailNeedsText, at: "guardrails") }
        guard let service = workload.guardrailService else { throw fail(.missingService(.guardrails), at: "guardrails") }
        let placement = try place(service)
        let requests = try perMonth(perSecond)
        summary.append(.requestsPerMonth(requests))
        try guardrailLines(placement: placement, requestsPerMonth: requests, input: .zero, output: .zero)
        return try finish(service, placement, mode: "guardrail", requestsPerMonth: requests)
    }

    /// Retries and contingency, then the breakdown of a declaration that is
    /// not a stream of model requests.
    mutating func finish(_ entry: ModelPrice, _ placement: Placement, mode: String, requestsPerMonth: Rational? = nil) throws(PricingError) -> Breakdown {
        try retriesAndContingency()
        return Breakdown(
            name: workload.name, kind: workload.kind, model: entry.name, modelDisplayName: entry.displayName,
            region: placement.region, endpoint: nil, mode: mode,
            requestsPerMonth: requestsPerMonth, inputTokens: nil, outputTokens: nil,
            summaryNotes: summary, lines: lines, total: try total, assumptionNotes: assumptions, tags: workload.tags, high: nil)
    }
}
