import TallyQuantities
import TallySyntax
import TallyPricing

/// Notes whether pricing a workload met a range.
final class RangeProbe: @unchecked Sendable {
    var sawRange = false
}

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
    /// For a comparison: both sides' values.
    package var actualValue: Value?
    package var boundValue: Value?
    /// Both sides, formatted.
    package var actual: String? { actualValue.map(Evaluator.describe) }
    package var bound: String? { boundValue.map(Evaluator.describe) }

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

/// Runs statements against an environment, one at a time. A statement that
/// fails is reported and leaves the environment as it was; the names it would
/// have declared are marked so later uses are not reported again.
package struct Evaluator {
    package var environment: Environment
    package private(set) var shown: [ShowItem] = []
    package private(set) var assertions: [AssertionResult] = []
    package private(set) var diagnostics: [Diagnostic] = []
    /// The value of the last bare expression (the REPL prints it).
    package private(set) var lastValue: Value?
    /// Workloads declared by the statements run, in order (the REPL shows them).
    package private(set) var declaredWorkloads: [Value] = []
    /// The REPL lets a name be declared again; a script may not.
    package var allowsRedefinition = false
    /// Expressions that replace the value of a `let` of the same name
    /// (`tally eval --set peak=5000/day`), and the names they replaced.
    package var overrides: [String: Expr] = [:]
    package private(set) var usedOverrides: Set<String> = []
    /// Which end of any range a workload property takes while it is being
    /// priced; `rangeProbe` notes that a range was seen.
    var rangeEnd: RangeEnd = .low
    /// A new one for each workload priced (`price`): a workload evaluated
    /// inside another's property must not clear what the outer one saw.
    var rangeProbe = RangeProbe()
    /// True while loading the built-in catalog: its rates are not overrides.
    package var isBuiltinCatalog = false
    /// Reads an imported file; given the path as written and the span of the
    /// `import`, returns the file or a diagnostic.
    package var importer: ((String, Span) throws(Diagnostic) -> SourceFile)?
    /// A file's identity for import cycles: the application gives its real path.
    package var importKey: @Sendable (String) -> String = { $0 }
    var importDepth = 0
    /// The files being run, outermost first, by canonical path: an import of
    /// one of them is a cycle.
    package var importStack: [String] = []
    package static let maximumImportDepth = 16

    package init(environment: Environment) {
        self.environment = environment
    }

    /// Runs statements in order. Each one's syntax tree is let go once it
    /// has run: a plan's values need not keep its syntax alive beside them.
    package mutating func run(_ statements: consuming [Statement]) {
        var statements = statements
        for i in statements.indices {
            let statement = statements[i]
            statements[i] = Statement(kind: .invalid(declaring: nil), span: statement.span)
            do throws(Diagnostic) {
                try execute(statement)
            } catch {
                report(error)
                for name in declaredNames(statement) { environment.poison(name) }
            }
        }
    }

    mutating func report(_ diagnostic: Diagnostic) {
        if !diagnostic.isFollowOn { diagnostics.appendBounded(diagnostic) }
    }

    func declaredNames(_ statement: Statement) -> [String] {
        switch statement.kind {
        case .let(let name, _, _), .workload(let name, _, _, _): [name]
        default: []
        }
    }

    // MARK: Statements

    mutating func execute(_ statement: Statement) throws(Diagnostic) {
        switch statement.kind {
        case .let(let name, let nameSpan, let written):
            try checkDeclarable(name, at: nameSpan)
            let expr = overrides[name] ?? written
            if overrides[name] != nil { usedOverrides.insert(name) }
            let value = try evaluate(expr)
            environment.bind(name, .init(kind: .let, value: value, span: nameSpan, declaration: statement.span))
        case .workload(let name, let nameSpan, let properties, let kind):
            try checkDeclarable(name, at: nameSpan)
            var workload = Workload(name: name, origin: nameSpan)
            workload.kind = switch kind {
            case .workload: .inference
            case .knowledgeBase: .knowledgeBase
            case .customization: .customization
            }
            workload.region = environment.region
            let breakdown = try price(workload, properties)
            workload = breakdown.workload
            warnAboutPinnedRates(breakdown.breakdown, at: nameSpan)
            // One value for both: each `.workload` made is a separate copy of the workload and its breakdown.
            let value = Value.workload(workload, breakdown.breakdown)
            environment.bind(name, .init(kind: .workload, value: value, span: nameSpan, declaration: statement.span))
            declaredWorkloads.append(value)
        case .price(let name, let nameSpan, let properties):
            try declarePrice(name, at: nameSpan, properties)
        case .catalog(let date, _):
            environment.catalogDate = date
        case .show(let items, let tag):
            var values: [ShowItem] = []
            for item in items {
                let value = try evaluate(item)
                var shownItem = ShowItem(value: value, source: Evaluator.oneLine(item.span.text), span: item.span)
                if let tag { shownItem.report = .tags(try groups(value, by: tag, at: item.span)) }
                values.append(shownItem)
            }
            shown += values
        case .compare(let items):
            var rows: [Comparison.Row] = []
            for item in items {
                rows.append(Comparison.Row(label: Evaluator.oneLine(item.span.text), breakdown: try workloadBreakdown(item)))
            }
            shown.append(ShowItem(value: .boolean(true), source: Evaluator.oneLine(statement.span.text), span: statement.span,
                                  report: .comparison(try exactly("comparison", at: statement.span) { () throws(InexactFigure) in try Comparison(rows: rows) })))
        case .compareAcross(let base, let property):
            shown.append(ShowItem(value: .boolean(true), source: Evaluator.oneLine(statement.span.text), span: statement.span,
                                  report: .comparison(try compare(base, across: property))))
        case .advise(let subject):
            let value = try evaluate(subject)
            let workloads: [(Workload, Breakdown)]
            switch value {
            case .workload(let w, let b): workloads = [(w, b)]
            case .total: workloads = environment.workloads
            default:
                throw Diagnostic(.dimension, "`advise` takes a workload or `total`, not \(value.kindDescription)", at: subject.span)
            }
            let advice = try exactly("advice", at: statement.span) { () throws(InexactFigure) in
                try Advisor.advise(subject: Evaluator.oneLine(subject.span.text), workloads: workloads, catalog: environment.catalog)
            }
            shown.append(ShowItem(value: value, source: Evaluator.oneLine(statement.span.text), span: statement.span, report: .advice(advice)))
        case .forecast(let subject, let period, let growth):
            let value = try evaluate(subject)
            shown.append(ShowItem(value: value, source: Evaluator.oneLine(statement.span.text), span: statement.span,
                                  report: .forecast(try forecast(value, subject: subject, over: period, growth: growth))))
        case .assert(let condition, let message):
            assertions.append(try check(condition, message: message, span: statement.span))
        case .import(let path, let pathSpan):
            try runImport(path, at: pathSpan)
        case .region(let name, _):
            environment.region = name
        case .expression(let expr):
            lastValue = try evaluate(expr)
        case .invalid(let name):
            if let name { environment.poison(name) }
        }
    }

    func workloadBreakdown(_ expr: Expr) throws(Diagnostic) -> Breakdown {
        let value = try evaluate(expr)
        guard case .workload(_, let b) = value else {
            throw Diagnostic(.dimension, "`compare` takes workloads, not \(value.kindDescription)", at: expr.span)
        }
        return b
    }

    /// `compare chat across model nova-pro, haiku-4.5`: the workload with each value.
    func compare(_ base: Expr, across property: Property) throws(Diagnostic) -> Comparison {
        let value = try evaluate(base)
        guard case .workload(let workload, let breakdown) = value else {
            throw Diagnostic(.dimension, "`compare … across` takes a workload, not \(value.kindDescription)", at: base.span)
        }
        var rows = [Comparison.Row(label: Evaluator.oneLine(base.span.text), breakdown: breakdown)]
        for argument in property.arguments {
            let variant = Property(name: property.name, nameSpan: property.nameSpan, arguments: [argument], span: property.nameSpan.through(argument.span))
            var changed = workload
            changed.name = "\(property.name) \(Evaluator.oneLine(argument.span.text))"
            var upper = breakdown.high?.workload
            upper?.name = changed.name
            let priced = try price(changed, [variant], high: upper)
            rows.append(Comparison.Row(label: changed.name, breakdown: priced.breakdown))
        }
        return try exactly("comparison", at: base.span) { () throws(InexactFigure) in try Comparison(rows: rows) }
    }

    func forecast(_ value: Value, subject: Expr, over period: Expr, growth: Expr?) throws(Diagnostic) -> Forecast {
        guard let q = value.quantity, q.dimension == .moneyPerTime else {
            throw Diagnostic(.dimension, "`forecast` takes a cost per time, such as a workload or `total`, not \(value.kindDescription)", at: subject.span)
        }
        let p = try wholeQuantity(period)
        guard p.dimension == .time, !p.isRange, let monthsValue = p.value.divided(by: Units.month.factor), monthsValue.isInteger,
              monthsValue >= .one else {
            throw Diagnostic(.dimension, "`over` takes a whole number of months, such as `12 months` or `2 years`", at: period.span)
        }
        guard monthsValue <= Rational(Forecast.maximumMonths) else {
            throw Diagnostic(.runtime, "a forecast covers at most \(Forecast.maximumMonths) months", at: period.span)
        }
        var rate = Rational.zero
        if let growth {
            let g = try wholeQuantity(growth)
            guard g.dimension == .perTime, !g.isRange, let perMonth = g.value.multiplied(by: Units.month.factor) else {
                throw Diagnostic(.dimension, "`growth` takes a rate per time, such as `8%/month`", at: growth.span)
            }
            guard perMonth > Rational(-1) else {
                throw Diagnostic(.runtime, "growth cannot shrink the cost by 100% or more a month", at: growth.span)
            }
            rate = perMonth
        }
        guard var cost = q.per(Units.month), let factor = Rational.one.adding(rate) else { throw overflow(at: subject.span) }
        var high = q.isRange ? q.end(.high).per(Units.month) : nil
        var months: [Forecast.Month] = []
        for month in 1...Int(monthsValue.numerator) {
            months.append(Forecast.Month(month: month, cost: cost, high: high))
            guard let next = cost.multiplied(by: factor)?.rounded(fractionDigits: Forecast.fractionDigits) else {
                throw Diagnostic(.runtime, "the forecast grows too large to compute exactly", at: growth?.span ?? subject.span)
            }
            cost = next
            if let h = high {
                guard let nextHigh = h.multiplied(by: factor)?.rounded(fractionDigits: Forecast.fractionDigits) else {
                    throw Diagnostic(.runtime, "the forecast grows too large to compute exactly", at: growth?.span ?? subject.span)
                }
                high = nextHigh
            }
        }
        return try exactly("forecast", at: growth?.span ?? subject.span) { () throws(InexactFigure) in
            try Forecast(subject: Evaluator.oneLine(subject.span.text), growth: rate, months: months)
        }
    }

    /// `show total by tag team`: the workloads grouped by one tag's values.
    func groups(_ value: Value, by key: String, at span: Span) throws(Diagnostic) -> TagGroups {
        let breakdowns: [Breakdown]
        switch value {
        case .total(let plan): breakdowns = plan.breakdowns
        case .workload(_, let b): breakdowns = [b]
        default:
            throw Diagnostic(.dimension, "`by tag` groups workloads; this is \(value.kindDescription)", at: span)
        }
        var order: [String?] = []
        var members: [String?: [Breakdown]] = [:]
        for b in breakdowns {
            let tag = b.tags.first { $0.key == key }?.value
            if members[tag] == nil { order.append(tag) }
            members[tag, default: []].append(b)
        }
        // Tagged groups by value, then the untagged.
        order.sort { a, b in
            switch (a, b) {
            case (nil, _): false
            case (_, nil): true
            case (let x?, let y?): x < y
            }
        }
        var groups: [TagGroups.Group] = []
        for tag in order {
            let list = members[tag] ?? []
            let plan = try exactly("cost of a `\(key)` group", at: span) { () throws(InexactFigure) in try PlanTotal(list) }
            groups.append(TagGroups.Group(value: tag, workloads: list.map(\.name), cost: plan.total,
                                          high: list.contains { $0.high != nil } ? plan.upperTotal : nil))
        }
        let all = try exactly("total of every workload", at: span) { () throws(InexactFigure) in try PlanTotal(breakdowns) }
        return TagGroups(key: key, groups: groups, total: all.total, highTotal: all.upperTotal)
    }

    /// Applies properties to a workload and prices it; when a property (or a
    /// workload it starts from) holds a range, prices the low and the high end.
    func price(_ base: Workload, _ properties: [Property], high baseHigh: Workload? = nil) throws(Diagnostic) -> (workload: Workload, breakdown: Breakdown) {
        let probe = RangeProbe()
        var low = base
        var lowEvaluator = self
        lowEvaluator.rangeEnd = .low
        lowEvaluator.rangeProbe = probe
        for property in properties { try lowEvaluator.apply(property, to: &low) }
        lowEvaluator.resolveServices(&low)
        var breakdown = try estimate(low)
        guard probe.sawRange || baseHigh != nil else { return (low, breakdown) }
        var high = baseHigh ?? base
        var highEvaluator = self
        highEvaluator.rangeEnd = .high
        highEvaluator.rangeProbe = probe
        for property in properties { try highEvaluator.apply(property, to: &high) }
        highEvaluator.resolveServices(&high)
        breakdown.high = Breakdown.HighEnd(workload: high, breakdown: try estimate(high))
        return (low, breakdown)
    }

    /// The engine's estimate, its error located in the script.
    func estimate(_ workload: Workload) throws(Diagnostic) -> Breakdown {
        do {
            return try Engine.estimate(workload)
        } catch {
            throw error.diagnostic(for: workload)
        }
    }

    /// With `catalog "DATE"`, a rate the built-in catalog changed after DATE
    /// is worth a second look: the script was written against another price.
    mutating func warnAboutPinnedRates(_ breakdown: Breakdown, at span: Span) {
        guard let pinned = environment.catalogDate else { return }
        var seen = Set<String>()
        for line in breakdown.lines {
            for rate in line.rates where rate.isBuiltin || rate.overridden {
                guard let since = rate.since, since > pinned, seen.insert("\(rate.origin) \(rate.kind)").inserted else { continue }
                var message = "\(breakdown.model)'s \(rate.kind.name) rate changed on \(since), after this script's catalog date \(pinned)"
                if let previous = rate.previousAmount {
                    message += ": \(Format.rate(previous, kind: rate.kind)) → \(Format.rate(rate.amount, kind: rate.kind))"
                }
                diagnostics.appendBounded(Diagnostic(.pricing, message, at: span, hints: ["check the estimate, then update `catalog \"\(since)\"`"], severity: .warning))
            }
        }
    }

    /// Source text on one line, runs of white space folded to one space.
    package static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    func checkDeclarable(_ name: String, at span: Span) throws(Diagnostic) {
        if name == "total" {
            throw Diagnostic(.name, "`total` is built in: it sums every workload", at: span, hints: ["choose another name"])
        }
        if Units.byName[name] != nil {
            throw Diagnostic(.name, "`\(name)` is a unit and cannot be redeclared", at: span, hints: ["choose another name"])
        }
        if !allowsRedefinition, let existing = environment[name] {
            throw Diagnostic(.name, "`\(name)` is already declared", at: span,
                             labels: [.init(span: existing.span, message: "first declared here")],
                             hints: ["choose another name, or use `\(name) with < … >` for a variant of a workload"])
        }
    }

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

    package static func describe(_ value: Value) -> String {
        switch value {
        case .boolean(let b): String(b)
        case .string(let s): "\"\(s)\""
        default: value.quantity.map(Format.quantity) ?? ""
        }
    }

    mutating func runImport(_ path: String, at span: Span) throws(Diagnostic) {
        guard let importer else {
            throw Diagnostic(.io, "`import` is not available here", at: span)
        }
        guard importDepth < Evaluator.maximumImportDepth else {
            throw Diagnostic(.io, "imports nested more than \(Evaluator.maximumImportDepth) deep", at: span)
        }
        let file = try importer(path, span)
        let key = importKey(file.name)
        if let start = importStack.firstIndex(of: key) {
            let cycle = (importStack[start...] + [key]).map(Path.lastComponent).joined(separator: " → ")
            throw Diagnostic(.io, "import cycle: \(cycle)", at: span, hints: ["each file may be imported once; move what both need into a third file"])
        }
        guard !environment.imported.contains(key) else { return }
        environment.imported.insert(key)
        let (statements, syntaxErrors) = Parser.parse(file)
        if !syntaxErrors.isEmpty {
            diagnostics.appendBounded(contentsOf: syntaxErrors)
            throw Diagnostic.followOn(at: span)
        }
        importDepth += 1
        importStack.append(key)
        defer {
            importDepth -= 1
            importStack.removeLast()
        }
        let before = diagnostics.reportedCount
        run(statements)
        if diagnostics.reportedCount > before { throw Diagnostic.followOn(at: span) }
    }

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
            let workloads = environment.workloads.map(\.1)
            return .total(try exactly("total of every workload", at: span) { () throws(InexactFigure) in try PlanTotal(workloads) })
        }
        if let unit = Units.byName[name] { return .quantity(Quantity(unit.factor, unit.dimension, timeUnit: unit)) }
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

    func unit(_ name: String, at span: Span) throws(Diagnostic) -> Unit {
        if let unit = Units.byName[name] { return unit }
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
            let unit = l.timeUnit ?? Units.month
            d = d.hint("did you mean `\(rightExpr.span.text)/\(unit.singular)`?")
        } else if let perTime = r.dimension.divided(by: l.dimension), perTime == .perTime {
            let unit = r.timeUnit ?? Units.month
            d = d.hint("did you mean `\(leftExpr.span.text)/\(unit.singular)`?")
        }
        return d
    }

    // MARK: Functions

    package static let functions = ["requests", "input", "output", "min", "max", "abs", "low", "high"]

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
                guard let perSecond = perMonth.divided(by: Units.month.factor) else { throw overflow(at: arguments[0].span) }
                return .quantity(Quantity(perSecond, Dimension(exponents: SIMD8(0, -1, 0, 1, 0, 0, 0, 0)), timeUnit: Units.month))
            }
            guard let tokens = name == "input" ? b.inputTokens : b.outputTokens else {
                throw Diagnostic(.pricing, "`\(b.name)` has no \(name) tokens", at: arguments[0].span)
            }
            return .quantity(Quantity(tokens, Dimension(exponents: SIMD8(0, 0, 1, -1, 0, 0, 0, 0))))
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
