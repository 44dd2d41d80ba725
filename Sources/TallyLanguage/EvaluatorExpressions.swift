// Expressions: literals, names and units, and how their failures read.
import TallyQuantities
import TallySyntax
import TallyPricing

extension Evaluator {
    // MARK: Expressions

    package func evaluate(_ expr: Expr) throws(Diagnostic) -> Value {
        switch expr.kind {
        case .number(let v), .percent(let v):
            return .quantity(.number(v))
        case .money(let v):
            return .quantity(Quantity(v, .money))
        case .dollar:
            return .quantity(Quantity(.one, .money))
        case .boolean(let b):
            return .boolean(b)
        case .string(let s):
            return .string(s)
        case .name(let name):
            return try lookup(name, at: expr.span)
        case .withUnit(let number, let unitName, let unitSpan):
            let unit = try self.unit(unitName, at: unitSpan)
            guard case .quantity(let q) = try evaluate(number), let v = q.value.multiplied(by: unit.factor),
                  let h = q.upper.multiplied(by: unit.factor) else {
                throw overflow(at: expr.span)
            }
            return .quantity(Quantity(v, unit.dimension, timeUnit: unit, high: h))
        case .range(let lowExpr, let highExpr):
            guard case .quantity(let low) = try evaluate(lowExpr), case .quantity(let high) = try evaluate(highExpr) else {
                throw Diagnostic(.syntax, "a range's ends are numbers", at: expr.span)
            }
            guard low.dimension == high.dimension else {
                throw mismatch(.less, low, high, lowExpr, highExpr, opSpan: expr.span)
            }
            guard low.value <= high.value else {
                throw Diagnostic(.runtime, "a range runs from its low end to its high end", at: expr.span,
                                 hints: ["write `\(highExpr.span.text)..\(lowExpr.span.text)`"])
            }
            return .quantity(Quantity(low.value, low.dimension, timeUnit: low.timeUnit, high: high.value))
        case .negate(let operand):
            let value = try evaluate(operand)
            guard let q = value.quantity else { throw notANumber(value, at: operand.span, doing: "negate") }
            return .quantity(q.negated)
        case .not(let operand):
            guard case .boolean(let b) = try evaluate(operand) else {
                throw Diagnostic(.dimension, "`not` needs a condition that is true or false", at: operand.span)
            }
            return .boolean(!b)
        case .binary(let op, let left, let right, let opSpan):
            return try binary(op, left, right, opSpan: opSpan)
        case .convert(let valueExpr, let targetExpr):
            let value = try evaluate(valueExpr)
            let target = try evaluate(targetExpr)
            guard let q = value.quantity else { throw notANumber(value, at: valueExpr.span, doing: "convert") }
            guard let t = target.quantity else { throw notANumber(target, at: targetExpr.span, doing: "convert to") }
            switch q.converted(to: t) {
            case .success(let converted): return .quantity(converted)
            case .failure:
                throw Diagnostic(.dimension, "cannot convert \(Evaluator.unitName(q)) to \(Evaluator.unitName(t))",
                                 at: targetExpr.span,
                                 labels: [.init(span: valueExpr.span, message: Evaluator.unitName(q))])
            }
        case .call(let name, let nameSpan, let arguments):
            return try call(name, nameSpan: nameSpan, arguments: arguments, span: expr.span)
        case .tagged(let key, _, let value):
            let text = "\(key)=\(Evaluator.oneLine(value.span.text))"
            throw Diagnostic(.syntax, "`\(text)` picks a group of workloads, as an argument of `cost`", at: expr.span,
                             hints: ["write `cost(total, \(text))`"])
        case .with(let baseExpr, let properties):
            let base = try evaluate(baseExpr)
            guard case .workload(var workload, let original) = base else {
                throw Diagnostic(.dimension, "`with` changes a workload, but this is \(base.kindDescription)", at: baseExpr.span)
            }
            workload.name = Evaluator.oneLine(expr.span.text)
            var upper = original.high?.workload
            upper?.name = workload.name
            let priced = try price(workload, properties, high: upper)
            return .workload(priced.workload, priced.breakdown)
        }
    }

    func lookup(_ name: String, at span: Span) throws(Diagnostic) -> Value {
        if let binding = environment[name] { return binding.value }
        if environment.poisoned.contains(name) { throw Diagnostic.followOn(at: span) }
        if name == "total" {
            let ledger = environment.ledger
            return .total(try exactly("total of every workload", at: span) { () throws(InexactFigure) in try ledger.total() })
        }
        if let unit = self.unit(named: name) { return .quantity(Quantity(unit.factor, unit.dimension, timeUnit: unit)) }
        if environment.catalog.model(named: name) != nil {
            throw Diagnostic(.name, "`\(name)` is a model, not a value", at: span,
                             hints: ["use it in a workload: `workload w < model \(name); requests 1000/day >`"])
        }
        var diagnostic = Diagnostic(.name, "unknown name `\(name)`", at: span)
        if let split = subtractionHint(name) {
            diagnostic = diagnostic.hint(split)
        } else if let near = closestName(to: name, in: knownNames) {
            diagnostic = diagnostic.hint("did you mean `\(near)`?")
        } else if let model = closestName(to: name, in: Suggestion.models(like: name, in: environment.catalog.allNames)) {
            diagnostic = diagnostic.hint("did you mean the model `\(model)`? Models are used in workloads: `workload w < model \(model); requests 1000/day >`")
        }
        throw diagnostic
    }

    /// Past the cap on diagnostics nothing more is shown, so no "did you
    /// mean" is worked out: 20,000 unknown names cost no 20,000 searches.
    var hinting: Bool { diagnostics.count < Diagnostic.maximumPerFile }

    func suggestionHint(for name: String, in candidates: @autoclosure () -> some Sequence<String>) -> String? {
        hinting ? Suggestion.hint(for: name, in: candidates()) : nil
    }

    func closestName(to name: String, in candidates: @autoclosure () -> some Sequence<String>) -> String? {
        hinting ? Suggestion.closest(to: name, in: candidates()) : nil
    }

    var knownNames: [String] {
        Array(environment.bindings.keys) + ["total"] + Array(Units.byName.keys)
    }

    /// `peak-1` is one name; when its parts are known, the user meant `peak - 1`.
    func subtractionHint(_ name: String) -> String? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return nil }
        let known = parts.allSatisfy { part in
            let p = String(part)
            return environment[p] != nil || p == "total" || Units.byName[p] != nil || Rational(decimalLiteral: part) != nil
        }
        guard known else { return nil }
        return "names may contain `-`, so write subtraction with spaces: `\(parts.joined(separator: " - "))`"
    }

    /// A unit by name; `month` is the script's.
    func unit(named name: String) -> Unit? {
        guard let unit = Units.byName[name] else { return nil }
        return unit == Units.month ? environment.month : unit
    }

    func unit(_ name: String, at span: Span) throws(Diagnostic) -> Unit {
        if let unit = unit(named: name) { return unit }
        var diagnostic = Diagnostic(.name, "unknown unit `\(name)`", at: span)
        diagnostic = diagnostic.hint(suggestionHint(for: name, in: Units.byName.keys))
        if closestName(to: name, in: Units.byName.keys) == nil {
            diagnostic = diagnostic.hint("units are tokens, requests, images, words, characters and time (second, minute, hour, day, week, month, year)")
        }
        throw diagnostic
    }

    /// A report or total whose figures cannot all be held exactly is an error here.
    func exactly<T>(_ what: String, at span: Span, _ make: () throws(InexactFigure) -> T) throws(Diagnostic) -> T {
        do throws(InexactFigure) {
            return try make()
        } catch {
            throw Diagnostic(.runtime, "the \(what) cannot be computed exactly", at: span)
        }
    }

    func overflow(at span: Span) -> Diagnostic {
        Diagnostic(.runtime, "number too large: the result does not fit in Tally's exact arithmetic", at: span)
    }

    func notANumber(_ value: Value, at span: Span, doing verb: String) -> Diagnostic {
        Diagnostic(.dimension, "cannot \(verb) \(value.kindDescription)", at: span)
    }

    /// How a quantity's dimension reads in messages: by its unit (`$/month`,
    /// `tokens`), or "a plain number".
    static func unitName(_ q: Quantity) -> String {
        q.dimension.isDimensionless ? "a plain number" : Format.unitText(q)
    }
}
