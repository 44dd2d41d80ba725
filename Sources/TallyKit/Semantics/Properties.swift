/// Workload properties and `price` declarations: turning `< … >` into what the
/// pricing engine reads.
extension Evaluator {
    static let workloadProperties = ["model", "requests", "input", "output", "cache", "region", "endpoint", "mode", "tag"]
    /// Properties of LANGUAGE.md that this version parses but does not price.
    static let unpricedProperties = ["retries", "agent", "guardrails", "images", "embeddings", "contingency"]
    static let priceProperties = ["name", "id", "alias", "provider", "region", "endpoint", "source", "as-of"]
        + RateKind.allCases.map(\.rawValue)

    /// Words that 1,000 tokens make, and characters per token: the stated
    /// ratios for text given in words or characters.
    static let wordsPerThousandTokens = Rational(750)
    static let charactersPerToken = Rational(4)

    // MARK: Argument helpers

    func single(_ property: Property, _ what: String) throws(Diagnostic) -> Expr {
        guard property.arguments.count == 1, case .expression(let e) = property.arguments[0] else {
            throw Diagnostic(.syntax, "`\(property.name)` takes one value: \(what)", at: property.span)
        }
        return e
    }

    /// A bare word (`global`, `sonnet-4.5`) or a string.
    func word(_ expr: Expr) -> String? {
        switch expr.kind {
        case .name(let n): n
        case .string(let s): s
        default: nil
        }
    }

    func singleWord(_ property: Property, _ what: String) throws(Diagnostic) -> (String, Span) {
        let e = try single(property, what)
        guard let w = word(e) else {
            throw Diagnostic(.syntax, "`\(property.name)` takes \(what)", at: e.span)
        }
        return (w, e.span)
    }

    func quantity(_ expr: Expr) throws(Diagnostic) -> Quantity {
        let value = try evaluate(expr)
        guard let q = value.quantity else { throw notANumber(value, at: expr.span, doing: "use") }
        return q
    }

    func share(_ expr: Expr, of property: String) throws(Diagnostic) -> Rational {
        let q = try quantity(expr)
        guard q.dimension.isDimensionless else {
            throw Diagnostic(.dimension, "`\(property)` takes a share such as 60%, not \(Evaluator.unitName(q))", at: expr.span)
        }
        guard !q.value.isNegative, q.value <= .one else {
            throw Diagnostic(.runtime, "`\(property)` must be between 0% and 100%", at: expr.span)
        }
        return q.value
    }

    // MARK: Workload properties

    func apply(_ property: Property, to workload: inout Workload) throws(Diagnostic) {
        workload.spans[property.name] = property.span
        switch property.name {
        case "model":
            let (name, span) = try singleWord(property, "a model name such as `sonnet-4.5`")
            workload.model = try model(named: name, at: span)
        case "requests":
            let e = try single(property, "a rate such as `3000/day`")
            let q = try quantity(e)
            var d = q.dimension
            if d[.requests] == 1 { d = d.divided(by: .requests) ?? d }
            guard d == .perTime else {
                throw Diagnostic(.dimension, "`requests` takes a rate such as `3000/day`, not \(Evaluator.unitName(q))", at: e.span)
                    .hint(d.isDimensionless ? "say per what: `\(e.span.text)/day` or `\(e.span.text)/month`" : nil)
            }
            guard !q.value.isNegative else {
                throw Diagnostic(.runtime, "`requests` cannot be negative", at: e.span)
            }
            workload.requestsPerSecond = q.value
        case "input", "output":
            let e = try single(property, "tokens per request, such as `1000 tokens`")
            let (tokens, note) = try tokensPerRequest(e, property: property.name)
            if property.name == "input" {
                workload.inputTokens = tokens
                workload.inputNote = note
            } else {
                workload.outputTokens = tokens
                workload.outputNote = note
            }
        case "cache":
            try applyCache(property, to: &workload)
        case "region":
            let (name, _) = try singleWord(property, "a region such as `us-east-1`")
            workload.region = name
        case "endpoint":
            let (name, span) = try singleWord(property, "`global` or `regional`")
            guard let endpoint = Endpoint(rawValue: name) else {
                throw Diagnostic(.name, "unknown endpoint `\(name)`", at: span, hints: ["endpoints are `global` and `regional`"])
            }
            workload.endpoint = endpoint
        case "mode":
            let (name, span) = try singleWord(property, "a billing mode such as `on-demand`")
            guard name == "on-demand" else {
                let known = ["on-demand", "batch", "flex", "priority", "provisioned"]
                if known.contains(name) {
                    throw Diagnostic(.pricing, "this version of Tally prices on-demand requests only; mode `\(name)` is not priced yet", at: span)
                }
                throw Diagnostic(.name, "unknown mode `\(name)`", at: span)
                    .hint(Suggestion.hint(for: name, in: known) ?? "modes are \(known.joined(separator: ", "))")
            }
        case "tag":
            guard !property.arguments.isEmpty else {
                throw Diagnostic(.syntax, "`tag` takes KEY=VALUE pairs, such as `tag team=support`", at: property.span)
            }
            for argument in property.arguments {
                guard case .assignment(let key, _, let valueExpr) = argument, let value = word(valueExpr) else {
                    throw Diagnostic(.syntax, "`tag` takes KEY=VALUE pairs, such as `tag team=support`", at: argument.span)
                }
                workload.tags.removeAll { $0.key == key }
                workload.tags.append((key, value))
            }
        default:
            if Evaluator.unpricedProperties.contains(property.name) {
                throw Diagnostic(.pricing, "this version of Tally does not price `\(property.name)` yet", at: property.nameSpan)
            }
            throw Diagnostic(.name, "unknown workload property `\(property.name)`", at: property.nameSpan)
                .hint(Suggestion.hint(for: property.name, in: Evaluator.workloadProperties)
                      ?? "properties are \(Evaluator.workloadProperties.joined(separator: ", "))")
        }
    }

    func model(named name: String, at span: Span) throws(Diagnostic) -> ModelPrice {
        if let model = environment.catalog.model(named: name) { return model }
        if case .string(let s)? = environment[name]?.value, let model = environment.catalog.model(named: s) { return model }
        throw Diagnostic(.name, "unknown model `\(name)`", at: span)
            .hint(Suggestion.hint(for: name, in: environment.catalog.allNames) ?? "`tally models` lists the models Tally knows")
    }

    /// Tokens per request from tokens, words or characters (per request or not).
    func tokensPerRequest(_ expr: Expr, property: String) throws(Diagnostic) -> (Rational, String?) {
        let q = try quantity(expr)
        var d = q.dimension
        if d[.requests] == -1 { d = d.multiplied(by: .requests) ?? d }
        let tokens: Rational?
        var note: String?
        if d == .tokens {
            tokens = q.value
        } else if d == Dimension(.words) {
            tokens = q.value.multiplied(by: Rational(1000)).flatMap { $0.divided(by: Evaluator.wordsPerThousandTokens) }
            note = "\(property) \(Format.count(q.value)) words ≈ \(Format.count(tokens ?? .zero)) tokens (750 words per 1,000 tokens)"
        } else if d == Dimension(.characters) {
            tokens = q.value.divided(by: Evaluator.charactersPerToken)
            note = "\(property) \(Format.count(q.value)) characters ≈ \(Format.count(tokens ?? .zero)) tokens (4 characters per token)"
        } else {
            throw Diagnostic(.dimension, "`\(property)` takes tokens per request, not \(Evaluator.unitName(q))", at: expr.span)
                .hint(d.isDimensionless ? "give a unit: `\(expr.span.text) tokens`" : nil)
        }
        guard let tokens else { throw overflow(at: expr.span) }
        guard !tokens.isNegative else {
            throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: expr.span)
        }
        return (tokens, note)
    }

    /// `cache READ [write WRITE] [ttl 5min|1h]`
    func applyCache(_ property: Property, to workload: inout Workload) throws(Diagnostic) {
        let usage = "write `cache 60%`, `cache 60% write 10%` or `cache 60% write 10% ttl 1h`"
        var arguments = property.arguments[...]
        guard case .expression(let readExpr)? = arguments.popFirst() else {
            throw Diagnostic(.syntax, "`cache` takes the share of input tokens read from the prompt cache", at: property.span, hints: [usage])
        }
        let read = try share(readExpr, of: "cache")
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

    // MARK: Price declarations

    mutating func declarePrice(_ name: String, at nameSpan: Span, _ properties: [Property], statement: Statement) throws(Diagnostic) {
        let existing = environment.catalog.model(named: name)
        var model = existing ?? ModelPrice(name: name, origin: "\(nameSpan.file.name):\(nameSpan.line)")
        var region = environment.region ?? Engine.defaultRegion
        var endpoint: Endpoint?
        var source: String?
        var asOf: String?
        var rates: [(RateKind, Rational)] = []

        for property in properties {
            switch property.name {
            case "name":
                model.displayName = try singleWord(property, "the model's display name in quotes").0
            case "id":
                model.id = try singleWord(property, "the Bedrock model id in quotes").0
            case "provider":
                model.provider = try singleWord(property, "the provider, such as `anthropic`").0
            case "alias":
                for argument in property.arguments {
                    guard case .expression(let e) = argument, let alias = word(e) else {
                        throw Diagnostic(.syntax, "`alias` takes names", at: argument.span)
                    }
                    if let other = environment.catalog.canonicalName(alias), other != model.name {
                        throw Diagnostic(.name, "`\(alias)` already names \(other)", at: e.span)
                    }
                    if !model.aliases.contains(alias) { model.aliases.append(alias) }
                }
            case "region":
                region = try singleWord(property, "a region such as `us-east-1`").0
            case "endpoint":
                let (word, span) = try singleWord(property, "`global` or `regional`")
                guard let e = Endpoint(rawValue: word) else {
                    throw Diagnostic(.name, "unknown endpoint `\(word)`", at: span, hints: ["endpoints are `global` and `regional`"])
                }
                endpoint = e
            case "source":
                source = try singleWord(property, "where the rates come from, in quotes").0
            case "as-of":
                asOf = try singleWord(property, "the date the rates were read, in quotes, such as \"2026-11\"").0
            default:
                guard let kind = RateKind(rawValue: property.name) else {
                    throw Diagnostic(.name, "unknown price property `\(property.name)`", at: property.nameSpan)
                        .hint(Suggestion.hint(for: property.name, in: Evaluator.priceProperties)
                              ?? "price properties are \(Evaluator.priceProperties.joined(separator: ", "))")
                }
                let e = try single(property, "a rate such as `$3/1M tokens`")
                let q = try quantity(e)
                guard q.dimension == Dimension(exponents: SIMD8(1, 0, -1, 0, 0, 0, 0, 0)) else {
                    throw Diagnostic(.dimension, "`\(property.name)` takes dollars per token, such as `$3/1M tokens`, not \(Evaluator.unitName(q))", at: e.span)
                }
                guard !q.value.isNegative else {
                    throw Diagnostic(.runtime, "a rate cannot be negative", at: e.span)
                }
                rates.append((kind, q.value))
            }
        }

        let origin = "\(nameSpan.file.name):\(nameSpan.line)"
        let rateSource = source ?? "declared at \(origin)"
        // Without an endpoint, an override of a model priced per endpoint
        // changes the rate on every endpoint in the region.
        var scopes = [RateScope(region: region, endpoint: endpoint)]
        if endpoint == nil, existing != nil {
            let inRegion = model.rates.keys.filter { $0.region == region }
            if !inRegion.isEmpty { scopes = Array(inRegion) }
        }
        for scope in scopes {
            var table = model.rates[scope] ?? [:]
            for (kind, amount) in rates {
                let replacesBuiltin = table[kind].map { $0.isBuiltin || $0.overridden } ?? false
                table[kind] = Rate(amount: amount, source: rateSource, asOf: asOf, origin: origin,
                                   isBuiltin: isBuiltinCatalog, overridden: !isBuiltinCatalog && replacesBuiltin)
            }
            model.rates[scope] = table
        }
        environment.catalog.store(model)
    }
}
