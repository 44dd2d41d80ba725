import TallyQuantities
import TallySyntax
import TallyPricing

/// Reading a property's arguments: one value, a word, a share, a count, a
/// rate, tokens.
extension Evaluator {
    /// Words that 1,000 tokens make, and characters per token: the stated
    /// ratios for text given in words or characters.
    static let wordsPerThousandTokens = Rational(750)

    func single(_ property: Property, _ what: String) throws(Diagnostic) -> Expr {
        guard property.arguments.count == 1, case .expression(let e) = property.arguments[0] else {
            let diagnostic = Diagnostic(.syntax, "`\(property.name)` takes one value: \(what)", at: property.span)
            throw diagnostic.hint(Parser.digitGroupingHint(Evaluator.oneLine(property.span.text)))
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

    /// `KEY=VALUE` pairs (`tag team=support`), a later key replacing an earlier one.
    func keyValuePairs(_ property: Property, _ arguments: ArraySlice<Property.Argument>, example: String,
                       into pairs: inout [(key: String, value: String)]) throws(Diagnostic) {
        let what = "`\(property.name)` takes KEY=VALUE pairs, such as `\(example)`"
        guard !arguments.isEmpty else { throw Diagnostic(.syntax, what, at: property.span) }
        for argument in arguments {
            guard case .assignment(let key, _, let valueExpr) = argument, let value = word(valueExpr) else {
                throw Diagnostic(.syntax, what, at: argument.span)
            }
            pairs.removeAll { $0.key == key }
            pairs.append((key, value))
        }
    }

    func singleWord(_ property: Property, _ what: String) throws(Diagnostic) -> (String, Span) {
        let e = try single(property, what)
        guard let w = word(e) else {
            throw Diagnostic(.syntax, "`\(property.name)` takes \(what)", at: e.span)
        }
        return (w, e.span)
    }

    /// A property's value; a range gives the end being priced (`rangeEnd`,
    /// or the other end for a value that lowers the cost, such as a cache share).
    func quantity(_ expr: Expr, lowersCost: Bool = false) throws(Diagnostic) -> Quantity {
        let q = try wholeQuantity(expr)
        guard q.isRange else { return q }
        rangeProbe.sawRange = true
        let end: RangeEnd = (rangeEnd == .low) != lowersCost ? .low : .high
        return q.end(end)
    }

    /// A value as written, a range kept whole.
    func wholeQuantity(_ expr: Expr) throws(Diagnostic) -> Quantity {
        let value = try evaluate(expr)
        guard let q = value.quantity else { throw notANumber(value, at: expr.span, doing: "use") }
        return q
    }

    func share(_ expr: Expr, of property: String, lowersCost: Bool = false) throws(Diagnostic) -> Rational {
        let q = try quantity(expr, lowersCost: lowersCost)
        guard q.dimension.isDimensionless else {
            throw Diagnostic(.dimension, "`\(property)` takes a share such as 60%, not \(Evaluator.unitName(q))", at: expr.span)
        }
        guard !q.value.isNegative, q.value <= .one else {
            let diagnostic = Diagnostic(.runtime, "`\(property)` must be between 0% and 100%", at: expr.span)
            // A bare number meant as a percentage: `cache 60`.
            let text = Evaluator.oneLine(expr.span.text)
            if q.value <= Rational(100), !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
                throw diagnostic.hint("did you mean `\(text)%`?")
            }
            throw diagnostic
        }
        return q.value
    }

    /// A plain count such as `2`, `6 steps` or `2 units`, not negative.
    func count(_ expr: Expr, of property: String) throws(Diagnostic) -> Rational {
        let q = try quantity(expr)
        guard q.dimension.isDimensionless else {
            throw Diagnostic(.dimension, "`\(property)` takes a plain number, not \(Evaluator.unitName(q))", at: expr.span)
        }
        guard !q.value.isNegative else {
            throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: expr.span)
        }
        return q.value
    }

    /// Gigabytes, not negative: `50 GB`.
    func gigabytes(_ property: Property, _ what: String, example: String) throws(Diagnostic) -> Rational {
        let e = try single(property, what)
        let q = try quantity(e)
        guard q.dimension == .data else {
            throw Diagnostic(.dimension, "`\(property.name)` takes gigabytes, such as `\(example)`, not \(Evaluator.unitName(q))", at: e.span)
        }
        guard !q.value.isNegative else { throw Diagnostic(.runtime, "`\(property.name)` cannot be negative", at: e.span) }
        return q.value
    }

    /// A rate per second from `3000/day` (also `3000 requests/day`, `3000 queries/day`).
    func ratePerSecond(_ expr: Expr, of property: String, allowing extra: Dimension? = nil) throws(Diagnostic) -> Rational {
        let q = try quantity(expr)
        var d = q.dimension
        if let extra, let reduced = d.divided(by: extra), reduced == .perTime { d = reduced }
        guard d == .perTime else {
            throw Diagnostic(.dimension, "`\(property)` takes a rate such as `3000/day`, not \(Evaluator.unitName(q))", at: expr.span)
                .hint(d.isDimensionless ? "say per what: `\(expr.span.text)/day` or `\(expr.span.text)/month`" : nil)
        }
        guard !q.value.isNegative else {
            throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: expr.span)
        }
        return q.value
    }

    func catalogEntry(_ name: String, at span: Span, kind expected: ModelKind, what: String) throws(Diagnostic) -> ModelPrice {
        let model = try model(named: name, at: span)
        guard model.kind == expected else {
            throw Diagnostic(.pricing, "`\(model.name)` is a \(model.kind.rawValue) entry, not \(what)", at: span)
                .hint(suggestionHint(for: name, in: environment.catalog.sortedModels.filter { $0.kind == expected }.map(\.name)))
        }
        return model
    }

    /// Tokens from tokens, words or characters, per request or not.
    func tokens(_ q: Quantity, per: Dimension) -> (Rational?, String?)? {
        var d = q.dimension
        if let flattened = d.multiplied(by: per) { d = flattened }
        if d == .tokens { return (q.value, nil) }
        if d == Dimension(.words) {
            let t = q.value.multiplied(by: Rational(1000)).flatMap { $0.divided(by: Evaluator.wordsPerThousandTokens) }
            return (t, t.map { "\(Format.count(q.value)) words ≈ \(Format.count($0)) tokens (750 words per 1,000 tokens)" })
        }
        if d == Dimension(.characters) {
            let t = q.value.divided(by: Engine.charactersPerToken)
            return (t, t.map { "\(Format.count(q.value)) characters ≈ \(Format.count($0)) tokens (4 characters per token)" })
        }
        return nil
    }

    func tokensPerRequest(_ expr: Expr, property: String) throws(Diagnostic) -> (Rational, String?) {
        let q = try quantity(expr)
        let per: Dimension = q.dimension[.requests] == -1 ? .requests : .none
        guard let (tokens, note) = tokens(q, per: per) else {
            throw Diagnostic(.dimension, "`\(property)` takes tokens per request, not \(Evaluator.unitName(q))", at: expr.span)
                .hint(q.dimension.isDimensionless ? "give a unit: `\(expr.span.text) tokens`" : nil)
        }
        guard let tokens else { throw overflow(at: expr.span) }
        guard !tokens.isNegative else {
            throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: expr.span)
        }
        return (tokens, note.map { "\(property) \($0)" })
    }

    func tokensPerSecond(_ expr: Expr, property: String) throws(Diagnostic) -> (Rational, String?) {
        let q = try quantity(expr)
        guard q.dimension[.time] == -1, let (tokens, note) = tokens(q, per: .time) else {
            throw Diagnostic(.dimension, "`\(property)` takes tokens per time, such as `10M tokens/month`, not \(Evaluator.unitName(q))", at: expr.span)
                .hint(q.dimension == .tokens ? "say how often: `\(expr.span.text)/month`" : nil)
        }
        guard let tokens else { throw overflow(at: expr.span) }
        guard !tokens.isNegative else { throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: expr.span) }
        return (tokens, note.map { "\(property) \($0)" })
    }

    /// Characters per request, given in characters or tokens (4 characters a token).
    func characters(_ e: Expr, of property: String) throws(Diagnostic) -> Rational {
        let q = try quantity(e)
        var d = q.dimension
        if d[.requests] == -1, let flattened = d.multiplied(by: .requests) { d = flattened }
        let characters: Rational?
        if d == Dimension(.characters) {
            characters = q.value
        } else if d == .tokens {
            characters = q.value.multiplied(by: Engine.charactersPerToken)
        } else {
            throw Diagnostic(.dimension, "`\(property)` takes characters (or tokens) per request, not \(Evaluator.unitName(q))", at: e.span)
                .hint(q.dimension.isDimensionless ? "give a unit: `\(Evaluator.oneLine(e.span.text)) tokens`" : nil)
        }
        guard let characters else { throw overflow(at: e.span) }
        guard !characters.isNegative else { throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: e.span) }
        return characters
    }

    /// `guardrail-scope prompt+response`, `prompt`, or `user-turn 250 tokens`.
    func guardrailScope(_ property: Property) throws(Diagnostic) -> GuardrailScope {
        let choices = "`prompt+response`, `prompt` or `user-turn 250 tokens`"
        let expressions = property.arguments.compactMap { argument -> Expr? in
            if case .expression(let e) = argument { return e }
            return nil
        }
        guard let first = expressions.first, expressions.count == property.arguments.count else {
            throw Diagnostic(.syntax, "`guardrail-scope` takes \(choices)", at: property.span)
        }
        let word: String? = switch first.kind {
        case .name(let n): n
        case .binary(.add, let l, let r, _): if case .name("prompt") = l.kind, case .name("response") = r.kind { "prompt+response" } else { nil }
        default: nil
        }
        switch word {
        case "prompt+response", "prompt":
            guard expressions.count == 1 else { throw Diagnostic(.syntax, "`guardrail-scope \(word ?? "")` takes nothing more", at: expressions[1].span) }
            return word == "prompt" ? .prompt : .promptAndResponse
        case "user-turn":
            guard expressions.count == 2 else {
                throw Diagnostic(.syntax, "`guardrail-scope user-turn` takes the size of the user's turn, such as `user-turn 250 tokens`",
                                 at: expressions.count > 2 ? expressions[2].span : first.span)
            }
            return .userTurn(characters: try characters(expressions[1], of: "guardrail-scope user-turn"))
        default:
            var diagnostic = Diagnostic(.name, "unknown guardrail scope `\(Evaluator.oneLine(first.span.text))`", at: first.span)
            if let w = word, let near = suggestionHint(for: w, in: ["prompt", "user-turn"]) { diagnostic = diagnostic.hint(near) }
            throw diagnostic.hint("scopes are \(choices)")
        }
    }
}
