// Operators and built-in functions.
import TallyQuantities
import TallySyntax
import TallyPricing

extension Evaluator {
    func binary(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, opSpan: Span) throws(Diagnostic) -> Value {
        let left = try evaluate(leftExpr)
        if op == .and || op == .or {
            guard case .boolean(let l) = left else {
                throw Diagnostic(.dimension, "`\(op.rawValue)` needs conditions that are true or false", at: leftExpr.span,
                                 labels: [.init(span: leftExpr.span, message: left.kindDescription)])
            }
            if op == .and && !l { return .boolean(false) }
            if op == .or && l { return .boolean(true) }
            guard case .boolean(let r) = try evaluate(rightExpr) else {
                throw Diagnostic(.dimension, "`\(op.rawValue)` needs conditions that are true or false", at: rightExpr.span)
            }
            return .boolean(r)
        }
        let right = try evaluate(rightExpr)
        return try combine(op, left, right, leftExpr, rightExpr, opSpan: opSpan)
    }

    /// An arithmetic or comparison operator applied to evaluated operands
    /// (the expressions are for diagnostics).
    func combine(_ op: BinaryOperator, _ left: Value, _ right: Value, _ leftExpr: Expr, _ rightExpr: Expr, opSpan: Span) throws(Diagnostic) -> Value {
        if op == .equal || op == .notEqual {
            switch (left, right) {
            case (.boolean(let l), .boolean(let r)): return .boolean((l == r) == (op == .equal))
            case (.string(let l), .string(let r)): return .boolean((l == r) == (op == .equal))
            default: break
            }
        }
        guard let l = left.quantity else { throw notANumber(left, at: leftExpr.span, doing: verb(op)) }
        guard let r = right.quantity else { throw notANumber(right, at: rightExpr.span, doing: verb(op)) }

        let result: Result<Quantity, Quantity.Failure>
        switch op {
        case .add: result = l.adding(r)
        case .subtract: result = l.subtracting(r)
        case .multiply: result = l.multiplied(by: r)
        case .divide: result = l.divided(by: r)
        default:
            guard l.dimension == r.dimension else {
                throw mismatch(op, l, r, leftExpr, rightExpr, opSpan: opSpan)
            }
            // A range compares by its high end: a budget holds in the worst case.
            let (a, b) = (l.upper, r.upper)
            let c: Bool
            switch op {
            case .less: c = a < b
            case .lessEqual: c = a <= b
            case .greater: c = a > b
            case .greaterEqual: c = a >= b
            case .equal: c = a == b
            default: c = a != b
            }
            return .boolean(c)
        }
        switch result {
        case .success(let q): return .quantity(q)
        case .failure(.divisionByZero):
            throw Diagnostic(.runtime, "division by zero", at: rightExpr.span,
                             labels: [.init(span: rightExpr.span, message: "this is zero")])
        case .failure(.overflow), .failure(.exponentRange):
            throw overflow(at: leftExpr.span.through(rightExpr.span))
        case .failure(.dimensionMismatch):
            throw mismatch(op, l, r, leftExpr, rightExpr, opSpan: opSpan)
        }
    }

    func verb(_ op: BinaryOperator) -> String {
        switch op {
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        default: "compare"
        }
    }

    func mismatch(_ op: BinaryOperator, _ l: Quantity, _ r: Quantity, _ leftExpr: Expr, _ rightExpr: Expr, opSpan: Span) -> Diagnostic {
        let ln = Evaluator.unitName(l)
        let rn = Evaluator.unitName(r)
        let message: String
        switch op {
        case .add: message = "cannot add \(ln) and \(rn)"
        case .subtract: message = "cannot subtract \(rn) from \(ln)"
        default: message = "cannot compare \(ln) with \(rn)"
        }
        var d = Diagnostic(.dimension, message, at: opSpan,
                           labels: [.init(span: leftExpr.span, message: ln), .init(span: rightExpr.span, message: rn)])
        // `total < $8k`: the bound is missing its per-time.
        if let perTime = l.dimension.divided(by: r.dimension), perTime == .perTime {
            let unit = l.timeUnit ?? environment.month
            d = d.hint("did you mean `\(rightExpr.span.text)/\(unit.singular)`?")
        } else if let perTime = r.dimension.divided(by: l.dimension), perTime == .perTime {
            let unit = r.timeUnit ?? environment.month
            d = d.hint("did you mean `\(leftExpr.span.text)/\(unit.singular)`?")
        }
        return d
    }

    // MARK: Functions

    package static let functions = ["requests", "input", "output", "usage", "cost", "min", "max", "abs", "low", "high"]

    func call(_ name: String, nameSpan: Span, arguments: [Expr], span: Span) throws(Diagnostic) -> Value {
        func arity(_ n: Int) throws(Diagnostic) {
            guard arguments.count == n else {
                throw Diagnostic(.syntax, "`\(name)` takes \(n) argument\(n == 1 ? "" : "s"), not \(arguments.count)", at: span)
            }
        }
        switch name {
        case "requests", "input", "output":
            try arity(1)
            let value = try evaluate(arguments[0])
            guard case .workload(_, let b) = value else {
                throw Diagnostic(.dimension, "`\(name)` takes a workload, not \(value.kindDescription)", at: arguments[0].span)
            }
            if name == "requests" {
                guard let perMonth = b.requestsPerMonth else {
                    throw Diagnostic(.pricing, "`\(b.name)` makes no requests", at: arguments[0].span)
                }
                guard let perSecond = perMonth.divided(by: b.monthSeconds) else { throw overflow(at: arguments[0].span) }
                return .quantity(Quantity(perSecond, Dimension(exponents: SIMD8(0, -1, 0, 1, 0, 0, 0, 0)), timeUnit: b.monthUnit))
            }
            guard let tokens = name == "input" ? b.inputTokens : b.outputTokens else {
                throw Diagnostic(.pricing, "`\(b.name)` has no \(name) tokens", at: arguments[0].span)
            }
            return .quantity(Quantity(tokens, Dimension(exponents: SIMD8(0, 0, 1, -1, 0, 0, 0, 0))))
        case "usage":
            // `assert usage(prod) < $8k/month`: a `usage` declaration's cost, said so.
            try arity(1)
            let value = try evaluate(arguments[0])
            guard case .workload(let w, let b) = value, w.kind == .usage else {
                throw Diagnostic(.dimension, "`usage` takes a `usage` declaration, not \(value.kindDescription)", at: arguments[0].span)
            }
            return .quantity(b.costRate)
        case "cost":
            return try cost(arguments, span: span)
        case "min", "max":
            guard !arguments.isEmpty else {
                throw Diagnostic(.syntax, "`\(name)` takes at least one argument", at: span)
            }
            var best: (Quantity, Expr)?
            for argument in arguments {
                let value = try evaluate(argument)
                guard let q = value.quantity else { throw notANumber(value, at: argument.span, doing: "compare") }
                if let (b, bExpr) = best {
                    guard b.dimension == q.dimension else {
                        throw mismatch(.less, b, q, bExpr, argument, opSpan: nameSpan)
                    }
                    // Each end separately: min of [1, 5] and [2, 3] is [1, 3].
                    let low = name == "min" ? min(b.value, q.value) : max(b.value, q.value)
                    let high = name == "min" ? min(b.upper, q.upper) : max(b.upper, q.upper)
                    best = (Quantity(low, q.dimension, timeUnit: b.timeUnit ?? q.timeUnit, high: high), argument)
                } else {
                    best = (q, argument)
                }
            }
            return .quantity(best?.0 ?? .number(.zero))
        case "abs":
            try arity(1)
            let value = try evaluate(arguments[0])
            guard let q = value.quantity else { throw notANumber(value, at: arguments[0].span, doing: "take abs of") }
            let ends = [q.value.magnitude, q.upper.magnitude]
            let low = q.value.sign != q.upper.sign && !q.value.isZero && !q.upper.isZero ? .zero : (ends.min() ?? .zero)
            return .quantity(Quantity(low, q.dimension, timeUnit: q.timeUnit, high: ends.max()))
        case "low", "high":
            try arity(1)
            let value = try evaluate(arguments[0])
            guard let q = value.quantity else { throw notANumber(value, at: arguments[0].span, doing: "take an end of") }
            return .quantity(q.end(name == "low" ? .low : .high))
        default:
            throw Diagnostic(.name, "unknown function `\(name)`", at: nameSpan)
                .hint(suggestionHint(for: name, in: Evaluator.functions) ?? "functions are \(Evaluator.functions.joined(separator: ", "))")
        }
    }
}
