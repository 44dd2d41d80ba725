/// Prices a workload the way Bedrock bills it: on demand, per input and output
/// token, with prompt-cache reads and writes at their own rates.
public enum Engine {
    /// Tokens per request when a workload does not say: a short chat turn.
    public static let defaultInputTokens = Rational(1_000)
    public static let defaultOutputTokens = Rational(300)
    public static let defaultRegion = "us-east-1"
    public static let defaultEndpoint = Endpoint.global

    static func overflow(_ workload: Workload) -> Diagnostic {
        Diagnostic(.runtime, "the cost of workload `\(workload.name)` is too large to compute exactly", at: workload.span)
    }

    public static func estimate(_ workload: Workload) throws(Diagnostic) -> Breakdown {
        guard let model = workload.model else {
            throw Diagnostic(.pricing, "workload `\(workload.name)` has no model", at: workload.span,
                             hints: ["add a property such as `model sonnet-4.5`"])
        }
        guard let perSecond = workload.requestsPerSecond else {
            throw Diagnostic(.pricing, "workload `\(workload.name)` does not say how many requests it makes", at: workload.span,
                             hints: ["add a property such as `requests 3000/day`"])
        }
        var assumptions: [String] = []

        let input: Rational
        if let given = workload.inputTokens {
            input = given
            if let note = workload.inputNote { assumptions.append(note) }
        } else {
            input = defaultInputTokens
            assumptions.append("input \(Format.count(input)) tokens/request (default)")
        }
        let output: Rational
        if let given = workload.outputTokens {
            output = given
            if let note = workload.outputNote { assumptions.append(note) }
        } else {
            output = defaultOutputTokens
            assumptions.append("output \(Format.count(output)) tokens/request (default)")
        }

        let region: String
        if let given = workload.region {
            region = given
        } else {
            region = defaultRegion
            assumptions.append("region \(region) (default)")
        }
        guard model.hasRates(region: region) else {
            let regions = model.regions.joined(separator: ", ")
            throw Diagnostic(.pricing, "no price for \(model.name) in \(region)", at: workload.spans["region"] ?? workload.span,
                             hints: ["\(model.name) is priced in: \(regions)"])
        }

        var endpoint: Endpoint?
        if model.pricesByEndpoint {
            if let given = workload.endpoint {
                endpoint = given
            } else {
                endpoint = defaultEndpoint
                assumptions.append("\(defaultEndpoint.rawValue) endpoint (default)")
            }
        } else {
            endpoint = workload.endpoint
        }
        if let endpoint, !model.hasRates(region: region, endpoint: endpoint) {
            let priced = Endpoint.allCases.filter { model.rates[RateScope(region: region, endpoint: $0)] != nil }.map(\.rawValue)
            throw Diagnostic(.pricing, "no \(endpoint.rawValue)-endpoint price for \(model.name) in \(region)",
                             at: workload.spans["endpoint"] ?? workload.span,
                             hints: priced.isEmpty ? [] : ["priced endpoints: \(priced.joined(separator: ", "))"])
        }
        let chosenEndpoint = endpoint ?? defaultEndpoint

        func rate(_ kind: RateKind, for property: String) throws(Diagnostic) -> Rate {
            guard let rate = model.rate(kind, region: region, endpoint: chosenEndpoint) else {
                throw Diagnostic(.pricing, "\(model.name) has no \(kind.lineLabel) price in \(region)",
                                 at: workload.spans[property] ?? workload.spans["model"] ?? workload.span,
                                 hints: kind == .input || kind == .output
                                    ? ["declare it with `price \(model.name) < \(kind.rawValue) $…/1M tokens >`"]
                                    : ["\(model.name) does not offer prompt caching at a separate price; remove `cache` or declare the rate with `price \(model.name) < \(kind.rawValue) $…/1M tokens >`"])
            }
            return rate
        }

        guard let requestsPerMonth = perSecond.multiplied(by: Units.month.factor) else { throw overflow(workload) }
        let cached = workload.cacheRead
        let written = workload.cacheWrite
        let uncachedShare = Rational.one.subtracting(cached)?.subtracting(written) ?? .zero

        var lines: [Breakdown.Line] = []
        func addLine(_ kind: RateKind, share: Rational, tokens: Rational, property: String) throws(Diagnostic) {
            let rate = try rate(kind, for: property)
            guard let perRequest = tokens.multiplied(by: share),
                  let quantity = perRequest.multiplied(by: requestsPerMonth),
                  let amount = quantity.multiplied(by: rate.amount)
            else { throw overflow(workload) }
            lines.append(Breakdown.Line(label: kind.lineLabel, quantity: quantity, unit: "tokens", rate: rate, kind: kind, amount: amount))
        }

        try addLine(.input, share: uncachedShare, tokens: input, property: "input")
        if !cached.isZero { try addLine(.cacheRead, share: cached, tokens: input, property: "cache") }
        if !written.isZero {
            try addLine(workload.cacheTTL == .oneHour ? .cacheWrite1h : .cacheWrite, share: written, tokens: input, property: "cache")
        }
        try addLine(.output, share: .one, tokens: output, property: "output")

        var total = Rational.zero
        for line in lines {
            guard let sum = total.adding(line.amount) else { throw overflow(workload) }
            total = sum
        }

        return Breakdown(
            name: workload.name, model: model.name, modelDisplayName: model.displayName,
            region: region, endpoint: endpoint, mode: "on-demand",
            requestsPerMonth: requestsPerMonth, inputTokens: input, outputTokens: output,
            cacheRead: cached, cacheWrite: written,
            lines: lines, total: total, assumptions: assumptions, tags: workload.tags)
    }
}
