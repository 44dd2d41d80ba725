import TallyQuantities
import TallySyntax
import TallyPricing

/// `price NAME < … >`: adds a model to the catalog or changes its rates. The
/// built-in catalog is a script of these; a user's script overrides exactly
/// the rates it names.
extension Evaluator {
    mutating func declarePrice(_ name: String, at nameSpan: Span, _ properties: [Property]) throws(Diagnostic) {
        let existing = environment.catalog.model(named: name)
        let origin = "\(nameSpan.file.name):\(nameSpan.line)"
        var model = existing ?? ModelPrice(name: name, origin: origin)
        var region = environment.region ?? Engine.defaultRegion
        var endpoint: Endpoint?
        var threshold: Rational?
        var since: String?
        var source: String?
        var asOf: String?
        var rates: [(RateKind, Rational, Span)] = []

        for property in properties {
            switch PriceProperty(rawValue: property.name) {
            case .name?:
                model.displayName = try singleWord(property, "the model's display name in quotes").0
            case .id?:
                let id = try singleWord(property, "the Bedrock model id in quotes").0
                if let other = environment.catalog.canonicalName(id), other != model.name {
                    throw Diagnostic(.name, "`\(id)` already names \(other)", at: property.span)
                }
                model.id = id
            case .provider?:
                model.provider = try singleWord(property, "the provider, such as `anthropic`").0
            case .kind?:
                let (word, span) = try singleWord(property, "what the entry prices")
                guard let kind = ModelKind(rawValue: word) else {
                    throw Diagnostic(.name, "unknown kind `\(word)`", at: span,
                                     hints: ["kinds are \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))"])
                }
                model.kind = kind
            case .alias?:
                for argument in property.arguments {
                    guard case .expression(let e) = argument, let alias = word(e) else {
                        throw Diagnostic(.syntax, "`alias` takes names", at: argument.span)
                    }
                    if let other = environment.catalog.canonicalName(alias), other != model.name {
                        throw Diagnostic(.name, "`\(alias)` already names \(other)", at: e.span)
                    }
                    if !model.aliases.contains(alias) { model.aliases.append(alias) }
                }
            case .region?:
                region = try singleWord(property, "a region such as `us-east-1`").0
            case .endpoint?:
                let (word, span) = try singleWord(property, "`global` or `regional`")
                guard let e = Endpoint(rawValue: word) else {
                    throw Diagnostic(.name, "unknown endpoint `\(word)`", at: span, hints: ["endpoints are `global` and `regional`"])
                }
                endpoint = e
            case .above?:
                let e = try single(property, "input tokens per request, such as `200k tokens`")
                let q = try quantity(e)
                guard q.dimension == .tokens, !q.value.isNegative else {
                    throw Diagnostic(.dimension, "`above` takes input tokens per request, such as `200k tokens`", at: e.span)
                }
                threshold = q.value
            case .featured?:
                guard property.arguments.isEmpty else {
                    throw Diagnostic(.syntax, "`featured` takes nothing", at: property.span)
                }
                model.featured = true
            case .cacheMinimum?:
                let e = try single(property, "the shortest cacheable prefix, such as `1024 tokens`")
                let q = try wholeQuantity(e)
                guard q.dimension == .tokens, !q.isRange, !q.value.isNegative else {
                    throw Diagnostic(.dimension, "`cache-minimum` takes tokens, such as `1024 tokens`", at: e.span)
                }
                model.cacheMinimum = q.value
            case .since?:
                let (day, span) = try singleWord(property, "the date the rates took effect, in quotes, such as \"2026-08-21\"")
                guard CatalogDay(day) != nil else {
                    throw Diagnostic(.syntax, "`since` takes a date, YYYY-MM-DD or YYYY-MM, such as \"2026-08-21\"", at: span)
                }
                since = day
            case .source?:
                source = try singleWord(property, "where the rates come from, in quotes").0
            case .asOf?:
                asOf = try singleWord(property, "the date the rates were read, in quotes, such as \"2026-11\"").0
            case nil:
                let kind = RateKind(property.name)
                guard let measure = kind.measure else {
                    throw Diagnostic(.name, "unknown price property `\(property.name)`", at: property.nameSpan)
                        .hint(suggestionHint(for: property.name, in: WorkloadSchema.names(for: .price))
                              ?? "price properties are \(WorkloadSchema.names(for: .price).joined(separator: ", "))")
                }
                let e = try single(property, "a rate such as `\(measure.example)`")
                let q = try wholeQuantity(e)
                guard !q.isRange else {
                    throw Diagnostic(.runtime, "a rate is one price, not a range", at: e.span)
                }
                guard q.dimension == measure.dimension else {
                    throw Diagnostic(.dimension, "`\(property.name)` takes a rate such as `\(measure.example)`, not \(Evaluator.unitName(q))", at: e.span)
                }
                guard !q.value.isNegative else {
                    throw Diagnostic(.runtime, "a rate cannot be negative", at: e.span)
                }
                rates.append((kind, q.value, e.span))
            }
        }

        let rateSource = source ?? "declared at \(origin)"
        // Without an endpoint, an override of a model priced per endpoint
        // changes the rate on every endpoint in the region.
        var scopes = [RateScope(region: region, endpoint: endpoint, threshold: threshold)]
        if endpoint == nil, existing != nil {
            let matching = model.rates.keys.filter { $0.region == region && $0.threshold == threshold }
            if !matching.isEmpty { scopes = Array(matching) }
        }
        for scope in scopes {
            for (kind, amount, _) in rates {
                let old = model.rates[scope]?[kind]
                let replacesBuiltin = old.map { $0.isBuiltin || $0.overridden } ?? false
                // A dated block records a price change: the old rate stays in the model's history.
                model.record(Rate(amount: amount, kind: kind, source: rateSource, asOf: asOf, since: since,
                                  origin: origin, isBuiltin: isBuiltinCatalog, overridden: !isBuiltinCatalog && replacesBuiltin), in: scope)
            }
        }
        environment.catalog.store(model)
    }
}
