// What `show` and `assert` produce, and how an `assert` is checked.
import TallyQuantities
import TallySyntax
import TallyPricing

/// What `show` asked to print.
package struct ShowItem: Sendable {
    package let value: Value
    /// The expression as written.
    package let source: String
    package let span: Span
    /// A table from `compare`, `advise`, `forecast` or `show … by tag`.
    package var report: Report?

    package init(value: Value, source: String, span: Span, report: Report? = nil) {
        self.value = value
        self.source = source
        self.span = span
        self.report = report
    }
}

/// The outcome of one `assert`.
package struct AssertionResult: Sendable {
    package let span: Span
    /// The condition as written, on one line.
    package var source: String { Evaluator.oneLine(condition.text) }
    let condition: Span
    package let message: String?
    package let passed: Bool
    /// For `assert … by tag KEY …` and `cost(…, KEY=VALUE)`: the group
    /// checked, its value nil for the workloads without the tag.
    package var group: (key: String, value: String?)?
    /// For a comparison: both sides' values.
    package var actualValue: Value?
    package var boundValue: Value?
    /// Both sides, formatted.
    package var actual: String? { sides.actual }
    package var bound: String? { sides.bound }

    private var sides: (actual: String?, bound: String?) {
        guard var l = actualValue?.quantity, let r = boundValue?.quantity, l.dimension == r.dimension else {
            return (actualValue.map(Evaluator.describe), boundValue.map(Evaluator.describe))
        }
        // In the bound's unit, so both sides read alike: `$0.157/minute`, not `$6,876.60/month`.
        if let unit = r.timeUnit { l = Quantity(l.value, l.dimension, timeUnit: unit, high: l.upper) }
        // Two figures that differ but round alike show the digits that differ.
        if let (a, b) = Format.distinguished(l, r) { return (a, b) }
        return (Evaluator.describe(.quantity(l)), Evaluator.describe(.quantity(r)))
    }

    package init(span: Span, condition: Span, message: String?, passed: Bool) {
        self.span = span
        self.condition = condition
        self.message = message
        self.passed = passed
    }
    /// For a comparison of quantities: the operator and both sides, each at
    /// its high end (a range is checked at its high end). Derived from the
    /// values rather than stored: a check report holds every assertion.
    package var comparison: BinaryOperator?
    package var actualQuantity: Quantity? { comparison == nil ? nil : actualValue?.quantity?.end(.high) }
    package var boundQuantity: Quantity? { comparison == nil ? nil : boundValue?.quantity?.end(.high) }

    /// How far the actual value is from the bound, positive on the passing
    /// side: the headroom under a `<` budget, the excess over a `>` floor.
    package var margin: Quantity? {
        guard let op = comparison, let a = actualQuantity, let b = boundQuantity else { return nil }
        let difference: Result<Quantity, Quantity.Failure>
        switch op {
        case .less, .lessEqual: difference = b.subtracting(a)
        default: difference = a.subtracting(b)
        }
        guard case .success(var q) = difference else { return nil }
        q.timeUnit = b.timeUnit ?? a.timeUnit
        return q
    }

    /// The margin as a share of the bound; nil when the bound is zero.
    package var marginShare: Rational? {
        guard let m = margin, let b = boundQuantity, !b.value.isZero else { return nil }
        return m.value.divided(by: b.value.magnitude)
    }
}

extension Evaluator {
    func check(_ condition: Expr, message: String?, span: Span) throws(Diagnostic) -> AssertionResult {
        var sides: (BinaryOperator, Value, Value)?
        let outcome: Value
        if case .binary(let op, let left, let right, let opSpan) = condition.kind, op.isComparison {
            // Each side once: the verdict and the report both come from these values.
            let l = try evaluate(left)
            let r = try evaluate(right)
            sides = (op, l, r)
            outcome = try combine(op, l, r, left, right, opSpan: opSpan)
        } else {
            outcome = try evaluate(condition)
        }
        guard case .boolean(let passed) = outcome else {
            throw Diagnostic(.dimension, "`assert` needs a condition that is true or false", at: condition.span,
                             hints: ["compare two values, as in `assert total < $8k/month`"])
        }
        var result = AssertionResult(span: span, condition: condition.span, message: message, passed: passed)
        if let (op, l, r) = sides {
            result.actualValue = l
            result.boundValue = r
            if l.quantity != nil, r.quantity != nil { result.comparison = op }
        }
        return result
    }

    /// `assert total by tag team < $1k/month`: one assertion per group of
    /// the tag, the untagged included, each its group's cost against the bound.
    func check(_ condition: Expr, byTag key: String, message: String?, span: Span) throws(Diagnostic) -> [AssertionResult] {
        guard case .binary(let op, let left, let right, let opSpan) = condition.kind, op.isComparison else {
            throw Diagnostic(.syntax, "`assert … by tag` needs a comparison", at: condition.span)
        }
        let members = try tagMembers(try evaluate(left), by: key, at: left.span)
        guard !members.groups.isEmpty else {
            throw Diagnostic(.runtime, "`\(Evaluator.oneLine(left.span.text))` has no monthly workloads to group by `\(key)`, so nothing would be checked",
                             at: left.span)
        }
        let r = try evaluate(right)
        var results: [AssertionResult] = []
        for (value, list) in members.groups {
            let plan = try exactly("cost of a `\(key)` group", at: left.span) { () throws(InexactFigure) in try PlanTotal(list) }
            let l = Value.quantity(plan.costRate)
            guard case .boolean(let passed) = try combine(op, l, r, left, right, opSpan: opSpan) else {
                throw Diagnostic(.dimension, "`assert` needs a condition that is true or false", at: condition.span)
            }
            var result = AssertionResult(span: span, condition: condition.span, message: message, passed: passed)
            result.actualValue = l
            result.boundValue = r
            if r.quantity != nil { result.comparison = op }
            result.group = (key, value)
            results.append(result)
        }
        return results
    }

    package static func describe(_ value: Value) -> String {
        switch value {
        case .boolean(let b): String(b)
        case .string(let s): "\"\(s)\""
        default: value.quantity.map(Format.quantity) ?? ""
        }
    }
}
