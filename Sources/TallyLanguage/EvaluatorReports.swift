// Pricing a workload at both ends of its ranges, and the reports built from priced workloads.
import TallyQuantities
import TallySyntax
import TallyPricing

/// Notes whether pricing a workload met a range.
final class RangeProbe: @unchecked Sendable {
    var sawRange = false
}

extension Evaluator {
    /// Applies properties to a workload and prices it; when a property (or a
    /// workload it starts from) holds a range, prices the low and the high end.
    func price(_ base: Workload, _ properties: [Property], high baseHigh: Workload? = nil) throws(Diagnostic) -> (workload: Workload, breakdown: Breakdown) {
        let probe = RangeProbe()
        /// The workload with the properties applied, reading each range at `end`.
        func applied(to start: Workload, at end: RangeEnd) throws(Diagnostic) -> Workload {
            var workload = start
            var evaluator = self
            evaluator.rangeEnd = end
            evaluator.rangeProbe = probe
            for property in properties { try evaluator.apply(property, to: &workload) }
            evaluator.resolveServices(&workload)
            workload.pricedAsOf = environment.catalogDay
            if environment.month != Units.month { workload.secondsPerMonth = environment.month.factor }
            return workload
        }
        let low = try applied(to: base, at: .low)
        var breakdown = try estimate(low)
        guard probe.sawRange || baseHigh != nil else { return (low, breakdown) }
        let high = try applied(to: baseHigh ?? base, at: .high)
        breakdown.high = Breakdown.HighEnd(workload: high, breakdown: try estimate(high))
        return (low, breakdown)
    }

    /// The engine's estimate, its error located in the script.
    func estimate(_ workload: Workload) throws(Diagnostic) -> Breakdown {
        do {
            return try Engine.estimate(workload)
        } catch {
            let diagnostic = error.diagnostic(for: workload)
            if case .notInRegion(_, let region, _) = error.reason, hinting, let unknown = unknownRegion(region, at: diagnostic.span) {
                throw unknown
            }
            throw diagnostic
        }
    }

    /// A region no model is priced in is a misspelt or unknown one: said so,
    /// with the nearest known (the whole catalog read, on this error only,
    /// and not past the cap on diagnostics). nil for a region some model has.
    func unknownRegion(_ region: String, at span: Span?) -> Diagnostic? {
        let known = environment.catalog.regions
        guard !known.contains(region) else { return nil }
        let near = known.compactMap { name in
            EditDistance.levenshtein(Array(region.utf8), Array(name.utf8), limit: 3).map { (name, $0) }
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
        return Diagnostic(.pricing, "unknown region `\(region)`: no model is priced there", at: span,
                          hints: [near.isEmpty ? "regions: \(known.joined(separator: ", "))" : "nearest: \(near.joined(separator: ", "))"])
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
        // One-off costs fall in their month, apart from what grows.
        var oneOffs: [Breakdown] = []
        var value = value
        switch value {
        case .total(let plan): oneOffs = plan.oneOffs
        case .workload(_, let b) where b.oneOffMonth != nil:
            oneOffs = [b]
            value = .quantity(Quantity(.zero, .moneyPerTime, timeUnit: environment.month))
        default: break
        }
        guard let q = value.quantity, q.dimension == .moneyPerTime else {
            throw Diagnostic(.dimension, "`forecast` takes a cost per time, such as a workload or `total`, not \(value.kindDescription)", at: subject.span)
        }
        let p = try wholeQuantity(period)
        guard p.dimension == .time, !p.isRange, let monthsValue = p.value.divided(by: environment.month.factor), monthsValue.isInteger,
              monthsValue >= .one else {
            throw Diagnostic(.dimension, "`over` takes a whole number of months, such as `12 months` or `2 years`", at: period.span)
        }
        guard monthsValue <= Rational(Forecast.maximumMonths) else {
            throw Diagnostic(.runtime, "a forecast covers at most \(Forecast.maximumMonths) months", at: period.span)
        }
        var rate = Rational.zero
        if let growth {
            let g = try wholeQuantity(growth)
            guard g.dimension == .perTime, !g.isRange, let perMonth = g.value.multiplied(by: environment.month.factor) else {
                throw Diagnostic(.dimension, "`growth` takes a rate per time, such as `8%/month`", at: growth.span)
            }
            guard perMonth > Rational(-1) else {
                throw Diagnostic(.runtime, "growth cannot shrink the cost by 100% or more a month", at: growth.span)
            }
            rate = perMonth
        }
        guard var cost = q.per(environment.month), let factor = Rational.one.adding(rate) else { throw overflow(at: subject.span) }
        var high = q.isRange ? q.end(.high).per(environment.month) : nil
        var calendar = try calendarStart(value, at: subject.span)
        var months: [Forecast.Month] = []
        for month in 1...Int(monthsValue.numerator) {
            var (paid, paidHigh, ranged) = (cost, high ?? cost, high != nil)
            if let c = calendar {
                // Growth compounds the month-average figures; the calendar month scales what is billed by time.
                guard let scaled = c.scale(paid, fixed: c.fixed), let scaledHigh = c.scale(paidHigh, fixed: c.fixedHigh) else {
                    throw overflow(at: subject.span)
                }
                (paid, paidHigh) = (scaled, scaledHigh)
            }
            for b in oneOffs where b.oneOffMonth == month {
                guard let sum = paid.adding(b.total), let sumHigh = paidHigh.adding(b.upperTotal) else { throw overflow(at: subject.span) }
                (paid, paidHigh) = (sum, sumHigh)
                ranged = ranged || b.high != nil
            }
            months.append(Forecast.Month(month: month, cost: paid, high: ranged ? paidHigh : nil, calendar: calendar?.month))
            if calendar?.advance(factor: factor) == false {
                throw Diagnostic(.runtime, "the forecast grows too large to compute exactly", at: growth?.span ?? subject.span)
            }
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

    /// Under `month calendar`, where the forecast starts (the month of the
    /// script's `catalog` date) and what of the subject is billed per month
    /// whatever its length; nil otherwise.
    func calendarStart(_ value: Value, at span: Span) throws(Diagnostic) -> CalendarForecast? {
        guard environment.calendarMonths else { return nil }
        guard let day = environment.catalogDay else {
            throw Diagnostic(.runtime, "with `month calendar`, a forecast starts in the month of the script's `catalog` date, and it has none",
                             at: span, hints: ["add `catalog \"2027-01\"` to forecast from January 2027"])
        }
        let breakdowns: [Breakdown]
        switch value {
        case .total(let plan): breakdowns = plan.breakdowns
        case .workload(_, let b) where b.oneOffMonth == nil: breakdowns = [b]
        default: breakdowns = []
        }
        var (fixed, fixedHigh) = (Rational.zero, Rational.zero)
        for b in breakdowns {
            guard let low = b.fixedPerMonth, let high = (b.high?.breakdown ?? b).fixedPerMonth,
                  let f = fixed.adding(low), let h = fixedHigh.adding(high) else { throw overflow(at: span) }
            (fixed, fixedHigh) = (f, h)
        }
        return CalendarForecast(month: day.calendarMonth, monthSeconds: environment.month.factor, fixed: fixed, fixedHigh: fixedHigh)
    }

    /// `show total by tag team`: the workloads grouped by one tag's values.
    /// The monthly workloads of a workload or `total` grouped by a tag's
    /// value: tagged groups by value, then the untagged (value nil).
    func tagMembers(_ value: Value, by key: String, at span: Span) throws(Diagnostic)
        -> (groups: [(value: String?, members: [Breakdown])], all: [Breakdown], oneOffs: [String]) {
        let (breakdowns, oneOffs) = try monthlyWorkloads(value, for: "`by tag` groups", at: span)
        var order: [String?] = []
        var members: [String?: [Breakdown]] = [:]
        for b in breakdowns {
            let tag = b.tags.first { $0.key == key }?.value
            if members[tag] == nil { order.append(tag) }
            members[tag, default: []].append(b)
        }
        order.sort { a, b in
            switch (a, b) {
            case (nil, _): false
            case (_, nil): true
            case (let x?, let y?): x < y
            }
        }
        return (order.map { ($0, members[$0] ?? []) }, breakdowns, oneOffs)
    }

    func groups(_ value: Value, by key: String, at span: Span) throws(Diagnostic) -> TagGroups {
        let members = try tagMembers(value, by: key, at: span)
        var groups: [TagGroups.Group] = []
        for (tag, list) in members.groups {
            let plan = try exactly("cost of a `\(key)` group", at: span) { () throws(InexactFigure) in try PlanTotal(list) }
            groups.append(TagGroups.Group(value: tag, workloads: list.map(\.name), cost: plan.total,
                                          high: list.contains { $0.high != nil } ? plan.upperTotal : nil))
        }
        let all = try exactly("total of every workload", at: span) { () throws(InexactFigure) in try PlanTotal(members.all) }
        return TagGroups(key: key, groups: groups, total: all.total, highTotal: all.upperTotal, oneOffs: members.oneOffs)
    }

    /// The monthly workloads of a workload or `total`, and the names of the
    /// one-off costs left out; `purpose` says what needs them.
    func monthlyWorkloads(_ value: Value, for purpose: String, at span: Span) throws(Diagnostic) -> ([Breakdown], [String]) {
        switch value {
        case .total(let plan): return (plan.breakdowns, plan.oneOffs.map(\.name))
        case .workload(_, let b) where b.oneOffMonth != nil:
            throw Diagnostic(.dimension, "\(purpose) monthly costs; `\(b.name)` is paid once (see `forecast`)", at: span)
        case .workload(_, let b): return ([b], [])
        default: throw Diagnostic(.dimension, "\(purpose) workloads; this is \(value.kindDescription)", at: span)
        }
    }

    /// `cost(total, team=search)`: the monthly cost of the workloads whose
    /// tags match every `KEY=VALUE`; `cost(x)` alone is x's monthly cost.
    func cost(_ arguments: [Expr], span: Span) throws(Diagnostic) -> Value {
        let example = "write `cost(total, team=search)`"
        guard let subject = arguments.first else { throw Diagnostic(.syntax, "`cost` takes a workload or `total`, then KEY=VALUE tags", at: span, hints: [example]) }
        if case .tagged = subject.kind { throw Diagnostic(.syntax, "`cost` takes a workload or `total` first", at: subject.span, hints: [example]) }
        let value = try evaluate(subject)
        var selected = try monthlyWorkloads(value, for: "`cost` adds up", at: subject.span).0
        for argument in arguments.dropFirst() {
            guard case .tagged(let key, _, let valueExpr) = argument.kind, let wanted = word(valueExpr) else {
                throw Diagnostic(.syntax, "after the workload, `cost` takes KEY=VALUE tags", at: argument.span, hints: [example])
            }
            let matching = selected.filter { b in b.tags.contains { $0.key == key && $0.value == wanted } }
            guard !matching.isEmpty else {
                let seen = Set(selected.flatMap { b in b.tags.filter { $0.key == key }.map(\.value) }).sorted()
                var diagnostic = Diagnostic(.name, "no workload of `\(Evaluator.oneLine(subject.span.text))` has the tag \(key)=\(wanted)", at: argument.span)
                let keys = Set(selected.flatMap { b in b.tags.map(\.key) })
                if seen.isEmpty, let near = suggestionHint(for: key, in: keys) {
                    diagnostic = diagnostic.hint(near)
                } else if let near = suggestionHint(for: wanted, in: seen) {
                    diagnostic = diagnostic.hint(near)
                }
                throw diagnostic.hint(seen.isEmpty ? "no workload there has a `\(key)` tag"
                                      : "its `\(key)` tags are \(seen.prefix(20).joined(separator: ", "))\(seen.count > 20 ? ", …" : "")")
            }
            selected = matching
        }
        let plan = try exactly("cost of a group", at: span) { () throws(InexactFigure) in try PlanTotal(selected) }
        return .quantity(plan.costRate)
    }
}

/// A forecast by calendar months: each month's time-billed part scaled by its
/// days over the script's average month, its monthly fees whole.
struct CalendarForecast {
    private(set) var month: CalendarMonth
    let monthSeconds: Rational
    private(set) var fixed: Rational
    private(set) var fixedHigh: Rational

    init(month: CalendarMonth, monthSeconds: Rational, fixed: Rational, fixedHigh: Rational) {
        self.month = month
        self.monthSeconds = monthSeconds
        self.fixed = fixed
        self.fixedHigh = fixedHigh
    }

    /// An average month's `cost`, of which `fixed` is per month, in this calendar month.
    func scale(_ cost: Rational, fixed: Rational) -> Rational? {
        guard let timed = cost.subtracting(fixed), let share = Rational(month.days * 86_400).divided(by: monthSeconds),
              let scaled = timed.multiplied(by: share)?.rounded(fractionDigits: Forecast.fractionDigits) else { return nil }
        return scaled.adding(fixed)
    }

    /// The next month; false when the grown fees cannot be held exactly.
    mutating func advance(factor: Rational) -> Bool {
        month = month.next
        // The fees grow with everything else: the forecast's growth compounds the whole.
        guard let f = fixed.multiplied(by: factor)?.rounded(fractionDigits: Forecast.fractionDigits),
              let h = fixedHigh.multiplied(by: factor)?.rounded(fractionDigits: Forecast.fractionDigits) else { return false }
        (fixed, fixedHigh) = (f, h)
        return true
    }
}
