// The evaluator: its state, and running statements and imports.
import TallyQuantities
import TallySyntax
import TallyPricing

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
    /// Reads the logs a `usage` declaration names, as the application allows.
    package var actuals: ((UsageQuery, Span) throws(Diagnostic) -> Breakdown)?
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
            var value = try evaluate(expr)
            // A workload bound to a name is shown by that name.
            if case .workload(var workload, let breakdown) = value {
                workload.name = name
                value = .workload(workload, breakdown.named(name))
            }
            environment.bind(name, .init(kind: .let, value: value, span: nameSpan, declaration: statement.span))
        case .workload(let name, let nameSpan, let properties, let kind):
            try checkDeclarable(name, at: nameSpan)
            var workload = Workload(name: name, origin: nameSpan)
            workload.kind = switch kind {
            case .workload: .inference
            case .knowledgeBase: .knowledgeBase
            case .customization: .customization
            case .cost: .cost
            case .guardrail: .guardrail
            case .agentcore: .agentCore
            case .usage: .usage
            case .dataAutomation: .dataAutomation
            }
            workload.region = environment.region
            if kind == .usage {
                let value = try declareUsage(workload, properties, at: nameSpan)
                environment.bind(name, .init(kind: .workload, value: value, span: nameSpan, declaration: statement.span))
                declaredWorkloads.append(value)
                return
            }
            let breakdown = try price(workload, properties)
            workload = breakdown.workload
            warnAboutPinnedRates(breakdown.breakdown, at: nameSpan)
            warnAboutShortCachedPrefix(workload, breakdown.breakdown, at: nameSpan)
            // One value for both: each `.workload` made is a separate copy of the workload and its breakdown.
            let value = Value.workload(workload, breakdown.breakdown)
            environment.bind(name, .init(kind: .workload, value: value, span: nameSpan, declaration: statement.span))
            declaredWorkloads.append(value)
        case .price(let name, let nameSpan, let properties):
            try declarePrice(name, at: nameSpan, properties)
        case .profile(let arn, let nameSpan, let properties):
            try declareProfile(arn, at: nameSpan, properties)
        case .month(let length):
            try declareMonth(length, at: statement.span)
        case .monthCalendar:
            try requireMonthFirst(at: statement.span)
            environment.calendarMonths = true
        case .catalog(let date, let span):
            guard let day = CatalogDay(date) else {
                throw Diagnostic(.syntax, "`catalog` takes a date, YYYY-MM-DD or YYYY-MM, such as \"2026-11\"", at: span)
            }
            environment.catalogDate = date
            environment.catalogDay = day
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
        case .assert(let condition, let tag, let message):
            if let tag {
                assertions += try check(condition, byTag: tag, message: message, span: statement.span)
            } else {
                assertions.append(try check(condition, message: message, span: statement.span))
            }
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

    /// `month 744 hours`: from here on a month is that long, for every rate
    /// per month and every monthly figure. It comes before anything it changes.
    mutating func declareMonth(_ length: Expr, at span: Span) throws(Diagnostic) {
        try requireMonthFirst(at: span)
        let q = try quantity(length)
        guard q.dimension == .time, !q.isRange else {
            throw Diagnostic(.dimension, "a month is a time, such as `744 hours` or `31 days`, not \(Evaluator.unitName(q))", at: length.span)
        }
        guard q.value >= Rational(28 * 86_400), q.value <= Rational(31 * 86_400) else {
            throw Diagnostic(.runtime, "a month is 28 to 31 days (672 to 744 hours)", at: length.span,
                             hints: ["730 hours, a twelfth of 365 days, is the default; `month 744 hours` is a 31-day month"])
        }
        environment.month = .month(seconds: q.value)
    }

    /// One `month` statement, before anything it would change.
    func requireMonthFirst(at span: Span) throws(Diagnostic) {
        guard environment.bindings.isEmpty, environment.month == Units.month, !environment.calendarMonths else {
            throw Diagnostic(.syntax, "`month` comes first in a script, once, before the names and workloads it would change", at: span)
        }
    }

    /// `cache 60%` on prompts shorter than the model caches: Bedrock would
    /// bill that share as input, so the estimate is low. Said at the `cache`
    /// property (or the name).
    mutating func warnAboutShortCachedPrefix(_ workload: Workload, _ breakdown: Breakdown, at nameSpan: Span) {
        guard let short = Advisor.cachedPrefixBelowMinimum(workload, breakdown) else { return }
        let span = workload.spans["cache"] as? Span ?? nameSpan
        let input = breakdown.inputTokens.map { Format.count($0) } ?? "?"
        let message = "a cached prefix of \(Format.percent(short.share)) of \(input) input tokens, \(Format.count(short.prefix)) tokens, "
            + "is shorter than the \(Format.count(short.minimum)) tokens \(short.model) caches: Bedrock bills it as input, so this estimate is low"
        diagnostics.appendBounded(Diagnostic(.pricing, message, at: span, severity: .warning)
            .hint("lengthen the shared prefix (system prompt, tools, documents) to at least \(Format.count(short.minimum)) tokens, or price it uncached with `cache 0%`"))
    }

    /// With `catalog "DATE"`, the estimate uses the rates in force on DATE;
    /// a rate that changed since is worth a second look.
    mutating func warnAboutPinnedRates(_ breakdown: Breakdown, at span: Span) {
        guard let pinned = environment.catalogDate else { return }
        var seen = Set<String>()
        for line in breakdown.lines {
            for rate in line.rates {
                guard let day = rate.supersededOn, let next = rate.supersededBy, seen.insert("\(rate.origin) \(rate.kind)").inserted else { continue }
                let message = "\(breakdown.model)'s \(rate.kind.name) rate changed on \(day), after this script's catalog date \(pinned): "
                    + "priced at \(Format.rate(rate.amount, kind: rate.kind)), then in force; \(Format.rate(next, kind: rate.kind)) since"
                diagnostics.appendBounded(Diagnostic(.pricing, message, at: span,
                                                     hints: ["to price at the rates in force now, update to `catalog \"\(day)\"` or later"], severity: .warning))
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
            throw Diagnostic(.name, "`\(name)` is a unit and cannot be redeclared", at: span,
                             hints: ["choose another name, such as `my-\(name)`"])
        }
        if !allowsRedefinition, let existing = environment[name] {
            throw Diagnostic(.name, "`\(name)` is already declared", at: span,
                             labels: [.init(span: existing.span, message: "first declared here")],
                             hints: ["choose another name, or use `\(name) with < … >` for a variant of a workload"])
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
}
