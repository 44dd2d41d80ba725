/// Prices workloads the way Bedrock bills them. Every line carries the rates
/// it used; every default the engine filled in is named in `assumptions`.
public enum Engine {
    /// Tokens per request when a workload does not say: a short chat turn.
    public static let defaultInputTokens = Rational(1_000)
    public static let defaultOutputTokens = Rational(300)
    public static let defaultRegion = "us-east-1"
    public static let defaultEndpoint = Endpoint.global
    public static let defaultTerm = "no-commitment"
    /// Guardrails count characters; text given in tokens converts at this ratio.
    public static let charactersPerToken = Rational(4)
    public static let charactersPerTextUnit = Rational(1_000)
    public static let hoursPerMonth = Rational(730)
    public static let secondsPerMonth = Units.month.factor

    public static func estimate(_ workload: Workload) throws(Diagnostic) -> Breakdown {
        var pricer = Pricer(workload: workload)
        var breakdown: Breakdown
        switch workload.kind {
        case .inference: breakdown = try pricer.inference()
        case .knowledgeBase: breakdown = try pricer.knowledgeBase()
        case .customization: breakdown = try pricer.customization()
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

    var overflow: Diagnostic {
        Diagnostic(.runtime, "the cost of `\(workload.name)` is too large to compute exactly", at: workload.span)
    }

    var inexact: Diagnostic {
        Diagnostic(.runtime, "the cost of `\(workload.name)` per day, per request or per second cannot be held exactly", at: workload.span)
    }

    func product(_ factors: Rational...) throws(Diagnostic) -> Rational {
        var result = Rational.one
        for f in factors {
            guard let next = result.multiplied(by: f) else { throw overflow }
            result = next
        }
        return result
    }

    func sum(_ values: [Rational]) throws(Diagnostic) -> Rational {
        guard let total = Rational.sum(values) else { throw overflow }
        return total
    }

    func perMonth(_ perSecond: Rational) throws(Diagnostic) -> Rational {
        try product(perSecond, Engine.secondsPerMonth)
    }

    func span(_ property: String) -> Span {
        workload.spans[property] ?? workload.span
    }

    /// Adds a line: `quantity` × the rate × `scale`, where `scale` turns the
    /// rate's base unit into the line's (3,600 for a per-second rate billed in
    /// hours), and `factor` is a service-tier share of the rate.
    mutating func add(_ label: String, _ quantity: Rational, _ unit: String, rate: Rate, scale: Rational = .one, scaled factor: Rate? = nil) throws(Diagnostic) {
        var amount = try product(quantity, rate.amount, scale)
        if let factor { amount = try product(amount, factor.amount) }
        lines.append(Breakdown.Line(label: label, quantity: quantity, unit: unit, basis: .rate(rate, factor: factor), amount: amount))
    }

    var total: Rational {
        get throws(Diagnostic) { try sum(lines.map(\.amount)) }
    }

    // MARK: Where and how

    struct Placement {
        let region: String
        let endpoint: Endpoint?
        var chosenEndpoint: Endpoint { endpoint ?? Engine.defaultEndpoint }
    }

    /// The region and endpoint a model is priced in, with the defaults named.
    mutating func place(_ model: ModelPrice, regionProperty: String = "region") throws(Diagnostic) -> Placement {
        let region: String
        if let given = workload.region {
            region = given
        } else {
            region = Engine.defaultRegion
            assumptions.append(Note("region \(region) (default)"))
        }
        guard model.hasRates(region: region) else {
            throw Diagnostic(.pricing, "no price for \(model.name) in \(region)", at: workload.spans[regionProperty] ?? workload.spans["model"] ?? workload.span,
                             hints: ["\(model.name) is priced in: \(model.regions.joined(separator: ", "))"])
        }
        var endpoint = workload.endpoint ?? workload.modelEndpoint
        if model.pricesByEndpoint, endpoint == nil {
            endpoint = Engine.defaultEndpoint
            assumptions.append(Note("\(Engine.defaultEndpoint.rawValue) endpoint (default)"))
        }
        if let endpoint, !model.hasRates(region: region, endpoint: endpoint) {
            let priced = Endpoint.allCases.filter { model.hasRates(region: region, endpoint: $0) }.map(\.rawValue)
            throw Diagnostic(.pricing, "no \(endpoint.rawValue)-endpoint price for \(model.name) in \(region)",
                             at: workload.spans["endpoint"] ?? workload.spans["model"] ?? workload.span,
                             hints: priced.isEmpty ? [] : ["priced endpoints: \(priced.joined(separator: ", "))"])
        }
        return Placement(region: region, endpoint: model.pricesByEndpoint ? endpoint : workload.endpoint)
    }

    func rate(_ model: ModelPrice, _ kind: RateKind, _ placement: Placement, inputTokens: Rational = .zero, property: String, hint: String? = nil) throws(Diagnostic) -> Rate {
        guard let rate = model.rate(kind, region: placement.region, endpoint: placement.chosenEndpoint, inputTokens: inputTokens) else {
            throw Diagnostic(.pricing, "\(model.name) has no \(kind.name) price in \(placement.region)", at: span(property))
                .hint(hint ?? "if you have one, declare it: `price \(model.name) < \(kind.name) \(kind.measure?.example ?? "…") >`")
        }
        return rate
    }

    // MARK: Inference

    mutating func inference() throws(Diagnostic) -> Breakdown {
        guard let model = workload.model else {
            throw Diagnostic(.pricing, "workload `\(workload.name)` has no model", at: workload.span,
                             hints: ["add a property such as `model sonnet-4.5`"])
        }
        let mode = workload.mode ?? .onDemand
        let placement = try place(model)

        var requestsPerMonth: Rational?
        if let perSecond = workload.requestsPerSecond {
            requestsPerMonth = try perMonth(perSecond)
        } else if case .provisioned = mode {
            requestsPerMonth = nil
        } else {
            throw Diagnostic(.pricing, "workload `\(workload.name)` does not say how many requests it makes", at: workload.span,
                             hints: ["add a property such as `requests 3000/day`"])
        }
        if let r = requestsPerMonth { summary.append(Note("\(Format.count(r)) requests/month")) }

        let steps = workload.agentSteps ?? .one
        if workload.agentSteps != nil {
            summary.append(Note("agent \(Format.count(steps)) steps (model calls per request)"))
        }

        var inputTokens: Rational?
        var outputTokens: Rational?
        switch model.kind {
        case .image:
            for property in ["input", "output", "cache"] where workload.spans[property] != nil {
                throw Diagnostic(.pricing, "\(model.name) is an image model: it bills per image, not per token", at: span(property),
                                 hints: ["remove `\(property)`; use `images`, `size` and `quality`"])
            }
        case .embedding:
            if workload.spans["output"] != nil {
                throw Diagnostic(.pricing, "\(model.name) is an embedding model: it bills input tokens only", at: span("output"),
                                 hints: ["remove `output`"])
            }
            if workload.spans["cache"] != nil {
                throw Diagnostic(.pricing, "\(model.name) is an embedding model and has no prompt cache", at: span("cache"))
            }
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
            throw Diagnostic(.pricing, "\(model.name) is not a model a workload calls", at: span("model"),
                             hints: [model.kind == .rerank ? "use it in a knowledge base: `reranker \(model.name)`" : "see `tally models` for models"])
        }
        if model.kind != .image, workload.spans["images"] != nil || workload.spans["size"] != nil || workload.spans["quality"] != nil {
            let property = ["images", "size", "quality"].first { workload.spans[$0] != nil } ?? "images"
            throw Diagnostic(.pricing, "`\(property)` applies to image models, and \(model.name) is a \(model.kind.rawValue) model", at: span(property))
        }
        // Say what was assumed in reading order: tokens, mode, then the rest.
        assumptions = assumptions.filter(\.isTokens) + (workload.mode == nil ? [Note("on-demand (default)")] : [])
            + assumptions.filter { !$0.isTokens }
        if let input = inputTokens, let output = outputTokens {
            let embedding = model.kind == .embedding
            summary.append(Note(embedding ? "\(Format.count(input)) input tokens/request"
                                : "\(Format.count(input)) input + \(Format.count(output)) output tokens/request"))
        }
        let (cacheRead, cacheWrite, ttl) = (workload.cacheRead, workload.cacheWrite, workload.cacheTTL)
        if !cacheRead.isZero { summary.append(Note("cache read \(Format.percent(cacheRead))")) }
        if !cacheWrite.isZero { summary.append(Note("cache write \(Format.percent(cacheWrite)) (\(ttl.rawValue))")) }

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
        if !tags.isEmpty { summary.append(Note(tags.map { "\($0.key)=\($0.value)" }.joined(separator: " "))) }

        var breakdown = Breakdown(
            name: workload.name, kind: .inference, model: model.name, modelDisplayName: model.displayName,
            region: placement.region, endpoint: placement.endpoint, mode: mode.name,
            requestsPerMonth: requestsPerMonth, inputTokens: inputTokens, outputTokens: outputTokens,
            summaryNotes: summary, lines: lines, total: try total, assumptionNotes: assumptions, tags: workload.tags, high: nil)
        breakdown.cacheRead = workload.cacheRead
        breakdown.cacheWrite = workload.cacheWrite
        return breakdown
    }

    mutating func tokens(_ given: Rational?, _ note: String?, default value: Rational, label: String) throws(Diagnostic) -> Rational {
        if let given {
            if let note { assumptions.append(Note(note, tokens: true)) }
            return given
        }
        assumptions.append(Note("\(label) \(Format.count(value)) tokens/request (default)", tokens: true))
        return value
    }

    /// Input, cache and output lines, at the tier rates when a call's input
    /// crosses a long-context threshold, and at the service tier's rates.
    mutating func tokenLines(_ model: ModelPrice, _ placement: Placement, requestsPerMonth: Rational, steps: Rational,
                             input: Rational, output: Rational, mode: Workload.Mode) throws(Diagnostic) {
        let calls = try product(requestsPerMonth, steps)
        if let threshold = model.tier(region: placement.region, endpoint: placement.chosenEndpoint, inputTokens: input) {
            assumptions.append(Note("each call's \(Format.count(input)) input tokens exceed \(Format.count(threshold)): the whole request is billed at the long-context rates"))
        }
        let cached = workload.cacheRead
        let written = workload.cacheWrite
        guard let uncached = Rational.one.subtracting(cached)?.subtracting(written) else { throw overflow }

        func tierRate(_ base: RateKind, property: String) throws(Diagnostic) -> (Rate, Rate?) {
            guard case .tier(let tier) = mode, base == .input || base == .output else {
                return (try rate(model, base, placement, inputTokens: input, property: property), nil)
            }
            let explicit = base == .input ? RateKind.tierInput(tier) : RateKind.tierOutput(tier)
            if let r = model.rate(explicit, region: placement.region, endpoint: placement.chosenEndpoint, inputTokens: input) {
                return (r, nil)
            }
            if let factor = model.rate(RateKind(tier), region: placement.region, endpoint: placement.chosenEndpoint) {
                return (try rate(model, base, placement, inputTokens: input, property: property), factor)
            }
            throw Diagnostic(.pricing, "\(model.name) has no \(tier) price in \(placement.region)", at: span("mode"),
                             hints: [tier == "batch"
                                ? "Bedrock offers batch for some models only; Tally never invents a batch price. If your account has one, declare it: `price \(model.name) < batch 50% >`"
                                : "if your account has one, declare it: `price \(model.name) < \(tier) \(tier == "flex" ? "50%" : "175%") >`"])
        }

        let (inputRate, inputFactor) = try tierRate(.input, property: "input")
        try add("input", try product(calls, input, uncached), "tokens", rate: inputRate, scaled: inputFactor)
        if !cached.isZero {
            let r = try rate(model, .cacheRead, placement, inputTokens: input, property: "cache",
                             hint: "\(model.name) has no prompt-cache price: remove `cache`, or declare the rate with `price \(model.name) < cache-read $…/1M tokens >`")
            try add("cache read", try product(calls, input, cached), "tokens", rate: r)
        }
        if !written.isZero {
            let kind: RateKind = workload.cacheTTL == .oneHour ? .cacheWrite1h : .cacheWrite
            let r = try rate(model, kind, placement, inputTokens: input, property: "cache",
                             hint: workload.cacheTTL == .oneHour ? "\(model.name) has no 1-hour cache; use `ttl 5min`" : nil)
            try add("cache write \(workload.cacheTTL.rawValue)", try product(calls, input, written), "tokens", rate: r)
        }
        if model.kind == .text {
            let (outputRate, outputFactor) = try tierRate(.output, property: "output")
            try add("output", try product(calls, output), "tokens", rate: outputRate, scaled: outputFactor)
        }
    }

    mutating func images(_ model: ModelPrice, _ placement: Placement, requestsPerMonth: Rational, mode: Workload.Mode) throws(Diagnostic) {
        if case .tier(let tier) = mode {
            throw Diagnostic(.pricing, "\(model.name) has no \(tier) price: image models bill per image on demand", at: span("mode"))
        }
        let perRequest = workload.imagesPerRequest ?? .one
        if workload.imagesPerRequest == nil { assumptions.append(Note("1 image/request (default)")) }
        let count = try product(requestsPerMonth, perRequest)
        let scope = model.rates.filter { $0.key.region == placement.region }.flatMap(\.value.keys)
        let sized = scope.compactMap { RateKind.imageParts($0.name) }
        if sized.isEmpty {
            let r = try rate(model, .image, placement, property: "model")
            try add("images", count, "images", rate: r)
            return
        }
        let quality = workload.imageQuality ?? "standard"
        if workload.imageQuality == nil { assumptions.append(Note("quality standard (default)")) }
        let sizes = Array(Set(sized.filter { $0.quality == quality }.map(\.size))).sorted()
        guard !sizes.isEmpty else {
            let qualities = Array(Set(sized.map(\.quality))).sorted().joined(separator: ", ")
            throw Diagnostic(.pricing, "\(model.name) has no \(quality)-quality price", at: span("quality"),
                             hints: ["qualities: \(qualities)"])
        }
        let size: Int
        if let given = workload.imageSize {
            // Priced by the smallest listed size that holds the image.
            guard let fit = sizes.first(where: { $0 >= given }) else {
                throw Diagnostic(.pricing, "\(model.name) has no price for images larger than \(sizes.last ?? 0) pixels", at: span("size"),
                                 hints: ["sizes: \(sizes.map(String.init).joined(separator: ", "))"])
            }
            size = fit
        } else {
            size = sizes[0]
            assumptions.append(Note("size up to \(size)×\(size) (default)"))
        }
        let r = try rate(model, RateKind.imageRate(quality: quality, size: size), placement, property: "size")
        try add("images \(quality) \(size)×\(size)", count, "images", rate: r)
    }

    mutating func provisioned(_ model: ModelPrice, _ placement: Placement, units: Rational, term: String?) throws(Diagnostic) {
        let chosen = term ?? Engine.defaultTerm
        if term == nil { assumptions.append(Note("term \(chosen) (default)")) }
        let kind = RateKind.provisioned(chosen)
        guard let r = model.rate(kind, region: placement.region, endpoint: placement.chosenEndpoint) else {
            let terms = RateKind.provisionedTerms.filter {
                model.rate(.provisioned($0), region: placement.region, endpoint: placement.chosenEndpoint) != nil
            }
            throw Diagnostic(.pricing, "\(model.name) has no provisioned-throughput price for \(chosen) in \(placement.region)", at: span("mode"),
                             hints: [terms.isEmpty ? "Tally's catalog has no provisioned-throughput price for \(model.name); declare one: `price \(model.name) < provisioned-1-month $…/hour >`"
                                     : "terms priced: \(terms.joined(separator: ", "))"])
        }
        summary.append(Note("provisioned \(Format.count(units)) model unit\(units == .one ? "" : "s"), \(chosen)"))
        let unitHours = try product(units, Engine.hoursPerMonth)
        try add("provisioned throughput", unitHours, "unit-hours", rate: r, scale: Rational(3600))
    }

    // MARK: Guardrails, retries, contingency

    mutating func guardrailLines(placement: Placement, requestsPerMonth: Rational?, input: Rational, output: Rational) throws(Diagnostic) {
        guard !workload.guardrails.isEmpty else { return }
        guard let requests = requestsPerMonth else {
            throw Diagnostic(.pricing, "guardrails are billed per request: give `requests`", at: span("guardrails"))
        }
        guard let service = workload.guardrailService else {
            throw Diagnostic(.pricing, "the catalog has no guardrail prices (a `service` entry named `guardrails`)", at: span("guardrails"))
        }
        let unitsPerRequest: Rational
        if let characters = workload.guardrailCharacters {
            unitsPerRequest = Rational(try textUnits(characters))
            assumptions.append(Note("guardrails read \(Format.count(characters)) characters/request: \(Format.count(unitsPerRequest)) text units per policy"))
        } else {
            let inChars = try product(input, Engine.charactersPerToken)
            let outChars = try product(output, Engine.charactersPerToken)
            let units = try textUnits(inChars) + (output.isZero ? 0 : try textUnits(outChars))
            unitsPerRequest = Rational(units)
            assumptions.append(Note("guardrails read the prompt and the response at 4 characters a token: \(Format.count(unitsPerRequest)) text units per policy per request"))
        }
        let placement = Placement(region: service.hasRates(region: placement.region) ? placement.region : Engine.defaultRegion, endpoint: nil)
        for policy in workload.guardrails {
            let r = try rate(service, RateKind(policy), placement, property: "guardrails")
            try add("guardrail \(policy)", try product(unitsPerRequest, requests), "text units", rate: r)
        }
    }

    /// Text units: up to 1,000 characters each, rounded up per request.
    func textUnits(_ characters: Rational) throws(Diagnostic) -> Int128 {
        guard let units = characters.divided(by: Engine.charactersPerTextUnit) else { throw overflow }
        return units.ceiling
    }

    mutating func retriesAndContingency() throws(Diagnostic) {
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
