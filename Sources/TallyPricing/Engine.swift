import TallyQuantities

/// Prices workloads the way Bedrock bills them. Every line carries the rates
/// it used; every default the engine filled in is named in `assumptions`.
package enum Engine {
    /// Tokens per request when a workload does not say: a short chat turn.
    package static let defaultInputTokens = Rational(1_000)
    package static let defaultOutputTokens = Rational(300)
    package static let defaultRegion = "us-east-1"
    package static let defaultEndpoint = Endpoint.global
    package static let defaultTerm = "no-commitment"
    /// A knowledge base's OpenSearch compute units, the usual production floor.
    package static let defaultOCUs = Rational(2)
    package static let defaultQueryTokens = Rational(50)
    /// Document chunks one rerank query covers.
    package static let chunksPerRerankQuery = Rational(100)
    /// Guardrails count characters; text given in tokens converts at this ratio.
    package static let charactersPerToken = Rational(4)
    package static let charactersPerTextUnit = Rational(1_000)
    /// A fee billed per month (storage, a tool index, records kept) is per
    /// 730-hour month, whatever a script's `month` says.
    package static let secondsPerMonth = Units.month.factor
    /// Where AgentCore sessions run; all three bill the same vCPU-hour and GB-hour.
    package static let agentComputes = ["runtime", "browser", "code-interpreter"]
    package static let memoryStrategies = ["built-in", "self-managed"]
    /// Data Automation's outputs; a custom output's rate includes this many
    /// blueprint fields per page, image or minute, and each further one bills
    /// the `extra-field` rate per unit (AWS Price List, see the catalog).
    package static let dataAutomationOutputs = ["standard", "custom"]
    package static let includedBlueprintFields = Rational(30)

    package static func estimate(_ workload: Workload) throws(PricingError) -> Breakdown {
        var workload = workload
        if let day = workload.pricedAsOf { workload.readAsOf(day) }
        var pricer = Pricer(workload: workload)
        var breakdown: Breakdown
        switch workload.kind {
        case .inference: breakdown = try pricer.inference()
        case .knowledgeBase: breakdown = try pricer.knowledgeBase()
        case .customization: breakdown = try pricer.customization()
        case .cost: breakdown = try pricer.fixedCost()
        case .guardrail: breakdown = try pricer.standaloneGuardrail()
        case .agentCore: breakdown = try pricer.agentCore()
        case .dataAutomation: breakdown = try pricer.dataAutomation()
        case .usage: throw PricingError(workload.name, .measuredOnly)
        }
        breakdown.monthSeconds = workload.monthSeconds
        if workload.secondsPerMonth != nil, let hours = workload.monthSeconds.divided(by: Rational(3600)) {
            breakdown.summaryNotes.append(.monthOf(hours: hours))
        }
        // A tiny rate can leave a total whose per-day figure has no exact form.
        guard breakdown.deriveFigures() else { throw pricer.inexact }
        return breakdown
    }
}

/// One estimate in progress: checked arithmetic, lines, assumptions.
struct Pricer {
    let workload: Workload
    var lines: [Breakdown.Line] = []
    var assumptions: [Note] = []
    var summary: [Note] = []

    init(workload: Workload) {
        self.workload = workload
    }

    var overflow: PricingError { fail(.tooLarge) }

    var inexact: PricingError { fail(.inexact) }

    /// An error about the workload, pointing at the first of `properties` it set.
    func fail(_ reason: PricingError.Reason, at properties: String...) -> PricingError {
        PricingError(workload.name, reason, at: properties)
    }

    func product(_ factors: Rational...) throws(PricingError) -> Rational {
        var result = Rational.one
        for f in factors {
            guard let next = result.multiplied(by: f) else { throw overflow }
            result = next
        }
        return result
    }

    func sum(_ values: [Rational]) throws(PricingError) -> Rational {
        guard let total = Rational.sum(values) else { throw overflow }
        return total
    }

    /// Hours in the workload's month: what capacity bills by the hour for.
    var hoursPerMonth: Rational {
        get throws(PricingError) {
            guard let hours = workload.monthSeconds.divided(by: Rational(3600)) else { throw overflow }
            return hours
        }
    }

    func perMonth(_ perSecond: Rational) throws(PricingError) -> Rational {
        try product(perSecond, workload.monthSeconds)
    }

    /// Adds a line: `quantity` × the rate × `scale`, where `scale` turns the
    /// rate's base unit into the line's (3,600 for a per-second rate billed in
    /// hours), and `factor` is a service-tier share of the rate.
    mutating func add(_ label: String, _ quantity: Rational, _ unit: String, rate: Rate, scale: Rational = .one, scaled factor: Rate? = nil) throws(PricingError) {
        var amount = try product(quantity, rate.amount, scale)
        if let factor { amount = try product(amount, factor.amount) }
        var line = Breakdown.Line(label: label, quantity: quantity, unit: unit, basis: .rate(rate, factor: factor), amount: amount)
        // A quantity held for a month (GB-months, tool-months) or a fee per month.
        line.heldPerMonth = scale == Engine.secondsPerMonth || rate.kind == .fixedCost
        lines.append(line)
    }

    var total: Rational {
        get throws(PricingError) { try sum(lines.map(\.amount)) }
    }

    // MARK: Where and how

    struct Placement {
        let region: String
        let endpoint: Endpoint?
        var chosenEndpoint: Endpoint { endpoint ?? Engine.defaultEndpoint }
    }

    /// The region and endpoint a model is priced in, with the defaults named.
    mutating func place(_ model: ModelPrice, regionProperty: String = "region") throws(PricingError) -> Placement {
        let region: String
        if let given = workload.region {
            region = given
        } else {
            region = Engine.defaultRegion
            assumptions.append(.defaultRegion(region))
        }
        guard model.hasRates(region: region) else {
            throw fail(.notInRegion(model: model.name, region: region, regions: model.regions), at: regionProperty, "model")
        }
        var endpoint = workload.endpoint ?? workload.modelEndpoint
        if model.pricesByEndpoint, endpoint == nil {
            endpoint = Engine.defaultEndpoint
            assumptions.append(.defaultEndpoint(Engine.defaultEndpoint))
        }
        if let endpoint, !model.hasRates(region: region, endpoint: endpoint) {
            let priced = Endpoint.allCases.filter { model.hasRates(region: region, endpoint: $0) }
            throw fail(.noEndpoint(model: model.name, endpoint: endpoint, region: region, priced: priced), at: "endpoint", "model")
        }
        return Placement(region: region, endpoint: model.pricesByEndpoint ? endpoint : workload.endpoint)
    }

    func rate(_ model: ModelPrice, _ kind: RateKind, _ placement: Placement, inputTokens: Rational = .zero, property: String,
              hint: PricingError.RateHint = .declare) throws(PricingError) -> Rate {
        guard let rate = model.rate(kind, region: placement.region, endpoint: placement.chosenEndpoint, inputTokens: inputTokens) else {
            throw fail(.noRate(model: model.name, kind: kind, region: placement.region, hint: hint), at: property)
        }
        return rate
    }

    // MARK: Inference

    mutating func inference() throws(PricingError) -> Breakdown {
        guard let model = workload.model else {
            throw fail(.noModel)
        }
        let mode = workload.mode ?? .onDemand
        let placement = try place(model)

        var requestsPerMonth: Rational?
        if let perSecond = workload.requestsPerSecond {
            requestsPerMonth = try perMonth(perSecond)
        } else if case .provisioned = mode {
            requestsPerMonth = nil
        } else {
            throw fail(.noRequests)
        }
        if let r = requestsPerMonth { summary.append(.requestsPerMonth(r)) }

        let steps = workload.agentSteps ?? .one
        if workload.agentSteps != nil {
            summary.append(.agentSteps(steps))
        }

        var inputTokens: Rational?
        var outputTokens: Rational?
        switch model.kind {
        case .image:
            for property in ["input", "output", "cache"] where workload.gave(property) {
                throw fail(.imageModelTokens(model: model.name, property: property), at: property)
            }
        case .embedding:
            if workload.gave("output") { throw fail(.embeddingOutput(model: model.name), at: "output") }
            if workload.gave("cache") { throw fail(.embeddingCache(model: model.name), at: "cache") }
            inputTokens = try tokens(workload.inputTokens, workload.inputNote, default: Engine.defaultInputTokens, label: "input")
            outputTokens = .zero
        case .text:
            // Provisioned capacity bills no tokens; they matter only to guardrails.
            if case .provisioned = mode, workload.guardrails.isEmpty, workload.inputTokens == nil, workload.outputTokens == nil {
                break
            }
            inputTokens = try tokens(workload.inputTokens, workload.inputNote, default: Engine.defaultInputTokens, label: "input")
            outputTokens = try tokens(workload.outputTokens, workload.outputNote, default: Engine.defaultOutputTokens, label: "output")
        case .rerank, .service:
            throw fail(.notCallable(model: model.name, kind: model.kind), at: "model")
        }
        if model.kind != .image, let property = ["images", "size", "quality"].first(where: workload.gave) {
            throw fail(.imageProperty(property: property, model: model.name, kind: model.kind), at: property)
        }
        // Say what was assumed in reading order: tokens, mode, then the rest.
        assumptions = assumptions.filter(\.isTokens) + (workload.mode == nil ? [Note.defaultMode] : [])
            + assumptions.filter { !$0.isTokens }
        if let input = inputTokens, let output = outputTokens {
            let embedding = model.kind == .embedding
            summary.append(embedding ? .embeddingTokensPerRequest(input) : .tokensPerRequest(input: input, output: output))
        }
        let (cacheRead, cacheWrite, ttl) = (workload.cacheRead, workload.cacheWrite, workload.cacheTTL)
        if !cacheRead.isZero { summary.append(.cacheRead(cacheRead)) }
        if !cacheWrite.isZero { summary.append(.cacheWrite(cacheWrite, ttl)) }

        switch mode {
        case .provisioned(let units, let term):
            try provisioned(model, placement, units: units, term: term)
        case .onDemand, .tier:
            if model.kind == .image {
                try images(model, placement, requestsPerMonth: requestsPerMonth ?? .zero, mode: mode)
            } else if let input = inputTokens, let output = outputTokens {
                try tokenLines(model, placement, requestsPerMonth: requestsPerMonth ?? .zero, steps: steps, input: input, output: output, mode: mode)
            }
        }

        try guardrailLines(placement: placement, requestsPerMonth: requestsPerMonth, input: inputTokens ?? .zero, output: outputTokens ?? .zero)
        try retriesAndContingency()
        let tags = workload.tags
        if !tags.isEmpty { summary.append(.tags(tags.map { "\($0.key)=\($0.value)" })) }
        if let profile = workload.profile { summary.append(.profile(profile)) }

        var breakdown = Breakdown(
            name: workload.name, kind: .inference, model: model.name, modelDisplayName: model.displayName,
            region: placement.region, endpoint: placement.endpoint, mode: mode.name,
            requestsPerMonth: requestsPerMonth, inputTokens: inputTokens, outputTokens: outputTokens,
            summaryNotes: summary, lines: lines, total: try total, assumptionNotes: assumptions, tags: workload.tags, high: nil)
        breakdown.cacheRead = workload.cacheRead
        breakdown.cacheWrite = workload.cacheWrite
        return breakdown
    }

    mutating func tokens(_ given: Rational?, _ note: String?, default value: Rational, label: String) throws(PricingError) -> Rational {
        if let given {
            if let note { assumptions.append(.derivedTokens(note)) }
            return given
        }
        assumptions.append(.defaultTokens(direction: label, value))
        return value
    }

    /// Input, cache and output lines, at the tier rates when a call's input
    /// crosses a long-context threshold, and at the service tier's rates: the
    /// tier of the model's token tariff a request quote would read.
    mutating func tokenLines(_ model: ModelPrice, _ placement: Placement, requestsPerMonth: Rational, steps: Rational,
                             input: Rational, output: Rational, mode: Workload.Mode) throws(PricingError) {
        let calls = try product(requestsPerMonth, steps)
        let tier = TokenTariff.tier(of: model, region: placement.region, endpoint: placement.chosenEndpoint, mode: mode, forInput: input)
        if let threshold = tier.above {
            assumptions.append(.longContext(input: input, threshold: threshold))
        }
        guard let tokens = MeterTokens(prompt: input, output: output, cacheRead: try product(input, workload.cacheRead),
                                       cacheWrite: try product(input, workload.cacheWrite), oneHour: workload.cacheTTL == .oneHour)
        else { throw fail(.cacheExceedsInput, at: "cache") }
        for meter in TokenMeter.allCases where TokenTariff.bills(meter, tokens[meter]) {
            switch tier.slots[meter.rawValue] {
            case .notBilled: continue
            case .missing(let reason, let property): throw fail(reason, at: property)
            case .priced(let rate, let factor):
                try add(meter.label, try product(calls, tokens[meter]), "tokens", rate: rate, scaled: factor)
            }
        }
    }

    mutating func images(_ model: ModelPrice, _ placement: Placement, requestsPerMonth: Rational, mode: Workload.Mode) throws(PricingError) {
        if case .tier(let tier) = mode {
            throw fail(.imageTier(model: model.name, tier: tier), at: "mode")
        }
        let perRequest = workload.imagesPerRequest ?? .one
        if workload.imagesPerRequest == nil { assumptions.append(.defaultImagesPerRequest) }
        let count = try product(requestsPerMonth, perRequest)
        let scope = model.rates.filter { $0.key.region == placement.region }.flatMap(\.value.keys)
        let sized = scope.compactMap { RateKind.imageParts($0.name) }
        if sized.isEmpty {
            let r = try rate(model, .image, placement, property: "model")
            try add("images", count, "images", rate: r)
            return
        }
        let quality = workload.imageQuality ?? "standard"
        if workload.imageQuality == nil { assumptions.append(.defaultQuality(quality)) }
        let sizes = Array(Set(sized.filter { $0.quality == quality }.map(\.size))).sorted()
        guard !sizes.isEmpty else {
            let qualities = Array(Set(sized.map(\.quality))).sorted()
            throw fail(.noQuality(model: model.name, quality: quality, qualities: qualities), at: "quality")
        }
        let size: Int
        if let given = workload.imageSize {
            // Priced by the smallest listed size that holds the image.
            guard let fit = sizes.first(where: { $0 >= given }) else {
                throw fail(.imageTooLarge(model: model.name, largest: sizes.last ?? 0, sizes: sizes), at: "size")
            }
            size = fit
        } else {
            size = sizes[0]
            assumptions.append(.defaultImageSize(size))
        }
        let r = try rate(model, RateKind.imageRate(quality: quality, size: size), placement, property: "size")
        try add("images \(quality) \(size)×\(size)", count, "images", rate: r)
    }

    mutating func provisioned(_ model: ModelPrice, _ placement: Placement, units: Rational, term: String?) throws(PricingError) {
        let chosen = term ?? Engine.defaultTerm
        if term == nil { assumptions.append(.defaultTerm(chosen)) }
        let kind = RateKind.provisioned(chosen)
        guard let r = model.rate(kind, region: placement.region, endpoint: placement.chosenEndpoint) else {
            let terms = RateKind.provisionedTerms.filter {
                model.rate(.provisioned($0), region: placement.region, endpoint: placement.chosenEndpoint) != nil
            }
            throw fail(.noTerm(model: model.name, term: chosen, region: placement.region, terms: terms), at: "mode")
        }
        summary.append(.provisioned(units: units, term: chosen))
        let unitHours = try product(units, try hoursPerMonth)
        try add("provisioned throughput", unitHours, "unit-hours", rate: r, scale: Rational(3600))
    }

    // MARK: Guardrails, retries, contingency

    mutating func guardrailLines(placement: Placement, requestsPerMonth: Rational?, input: Rational, output: Rational) throws(PricingError) {
        guard !workload.guardrails.isEmpty else { return }
        guard let requests = requestsPerMonth else {
            throw fail(.guardrailsNeedRequests, at: "guardrails")
        }
        guard let service = workload.guardrailService else {
            throw fail(.missingService(.guardrails), at: "guardrails")
        }
        let unitsPerRequest: Rational
        if let characters = workload.guardrailCharacters {
            unitsPerRequest = Rational(try textUnits(characters))
            assumptions.append(.guardrailCharacters(characters, units: unitsPerRequest))
        } else {
            let scope = workload.guardrailScope ?? .standard
            // The response is screened unless the scope is the prompt alone.
            let response = output.isZero || scope == .prompt ? 0 : try textUnits(try product(output, Engine.charactersPerToken))
            let units: Int128
            switch scope {
            case .promptAndResponse, .prompt: units = try textUnits(try product(input, Engine.charactersPerToken)) + response
            case .userTurn(let characters): units = try textUnits(characters) + response
            }
            unitsPerRequest = Rational(units)
            assumptions.append(.guardrailScope(scope, stated: workload.guardrailScope != nil, units: unitsPerRequest))
        }
        let placement = Placement(region: service.hasRates(region: placement.region) ? placement.region : Engine.defaultRegion, endpoint: nil)
        for policy in workload.guardrails {
            let r = try rate(service, RateKind(policy), placement, property: "guardrails")
            try add("guardrail \(policy)", try product(unitsPerRequest, requests), "text units", rate: r)
        }
    }

    /// Text units: up to 1,000 characters each, rounded up per request.
    func textUnits(_ characters: Rational) throws(PricingError) -> Int128 {
        guard let units = characters.divided(by: Engine.charactersPerTextUnit) else { throw overflow }
        return units.ceiling
    }

    mutating func retriesAndContingency() throws(PricingError) {
        if let retries = workload.retries, !retries.isZero {
            let base = try total
            let amount = try product(base, retries)
            lines.append(Breakdown.Line(label: "retries", quantity: retries, unit: "share",
                                        basis: .share(retries, of: base), amount: amount))
        }
        if let multiplier = workload.contingency, multiplier != .one {
            let base = try total
            guard let extra = multiplier.subtracting(.one) else { throw overflow }
            let amount = try product(base, extra)
            lines.append(Breakdown.Line(label: "contingency", quantity: multiplier, unit: "multiplier",
                                        basis: .multiple(multiplier, of: base), amount: amount))
        }
    }
}
