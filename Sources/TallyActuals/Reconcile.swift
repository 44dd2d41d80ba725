import TallyQuantities
import TallyPricing

/// What the records one workload claimed came to over a period.
package struct MeasuredUsage: Sendable {
    /// Calls that succeeded (each priced), and calls that failed (none priced).
    package var requests: Rational = .zero
    package var failed: Rational = .zero
    /// Prompt tokens that neither read nor wrote the cache, then the cache's, then output.
    package var input: Rational = .zero
    package var cacheRead: Rational = .zero
    package var cacheWrite: Rational = .zero
    package var output: Rational = .zero
    /// Dollars the records cost, each priced on its own.
    package var usd: Rational = .zero

    package init() {}

    /// Adds `other`; false when a sum does not fit.
    package mutating func add(_ other: MeasuredUsage) -> Bool {
        guard let r = requests.adding(other.requests), let f = failed.adding(other.failed), let i = input.adding(other.input),
              let cr = cacheRead.adding(other.cacheRead), let cw = cacheWrite.adding(other.cacheWrite),
              let o = output.adding(other.output), let u = usd.adding(other.usd) else { return false }
        (requests, failed, input, cacheRead, cacheWrite, output, usd) = (r, f, i, cr, cw, o, u)
        return true
    }

    /// The whole prompt: uncached input and both cache classes.
    var prompt: Rational? { input.adding(cacheRead)?.adding(cacheWrite) }
}

/// A plan against what happened: for each workload, the planned and actual
/// cost per month and a walk from one to the other that changes one
/// assumption at a time, each step priced by the same engine as the plan.
package struct Reconciliation: Sendable {
    /// The assumptions a walk changes, in the order it changes them.
    package enum Assumption: String, Sendable, CaseIterable {
        case requests
        case input = "input tokens"
        case output = "output tokens"
        case cacheRead = "cache reads"
        case cacheWrite = "cache writes"
        case retries
        /// What the plan adds that no log shows: guardrails and contingency.
        case notLogged = "guardrails and contingency"
        /// What is left: the models and tiers the records used, their rates
        /// on the day, long prompts priced one by one.
        case mix = "model mix and rates"
    }

    package struct Step: Sendable {
        package let assumption: Assumption
        /// The planned and the measured value (requests per month, tokens per
        /// request, shares); nil where a step has no single value.
        package let planned: Rational?
        package let actual: Rational?
        /// Dollars per month this step moved the cost.
        package let impact: Rational

        /// actual ÷ planned, when both are there and planned is not zero.
        package var ratio: Rational? {
            guard let planned, let actual, !planned.isZero else { return nil }
            return actual.divided(by: planned)
        }
    }

    package struct Row: Sendable {
        package let workload: String
        /// Dollars per month; a plan given as ranges has a high end too, and
        /// its walk starts at the low end.
        package let planned: Rational
        package var plannedHigh: Rational? = nil
        /// nil: the workload bills nothing a log records (a knowledge base, a
        /// fee, AgentCore …); it is left out of the totals.
        package let actual: Rational?
        package let steps: [Step]
        /// The records' failed calls as a share of their calls.
        package let failedShare: Rational?

        /// actual ÷ planned; for a range, ÷ its middle.
        package var ratio: Rational? {
            guard let actual, let middle = Reconciliation.middle(planned, plannedHigh), !middle.isZero else { return nil }
            return actual.divided(by: middle)
        }

        /// Outside the plan (a range: outside both its ends) by more than `share`.
        package func isOff(by share: Rational) -> Bool {
            guard let actual else { return false }
            return Reconciliation.isOff(actual, low: planned, high: plannedHigh ?? planned, by: share)
        }

        /// The step that moved the cost most; nil when nothing moved it.
        package var moved: Step? {
            steps.filter { !$0.impact.isZero }.max { $0.impact.magnitude < $1.impact.magnitude }
        }
    }

    package let rows: [Row]
    /// Dollars per month of records no workload claimed.
    package let unplanned: Rational
    package let unplannedRequests: Rational
    /// The workloads whose cost the logs record, planned (low and high ends)
    /// and actual, and the unplanned.
    package let plannedTotal: Rational
    package var plannedTotalHigh: Rational? = nil
    package let actualTotal: Rational

    package var totalRatio: Rational? {
        guard let middle = Reconciliation.middle(plannedTotal, plannedTotalHigh), !middle.isZero else { return nil }
        return actualTotal.divided(by: middle)
    }

    package func totalIsOff(by share: Rational) -> Bool {
        Reconciliation.isOff(actualTotal, low: plannedTotal, high: plannedTotalHigh ?? plannedTotal, by: share)
    }

    static func middle(_ low: Rational, _ high: Rational?) -> Rational? {
        guard let high else { return low }
        return low.adding(high)?.divided(by: Rational(2))
    }

    /// Below `low` × (1 − share) or above `high` × (1 + share): 20% either way of a plan (or of its range).
    static func isOff(_ actual: Rational, low: Rational, high: Rational, by share: Rational) -> Bool {
        guard let down = Rational.one.subtracting(share), let up = Rational.one.adding(share),
              let floor = low.multiplied(by: down), let ceiling = high.multiplied(by: up) else { return true }
        return actual < floor || actual > ceiling
    }
}

package enum Reconciler {
    /// Reconciles each workload with what it claimed. `measured` is parallel
    /// to `plan` (nil: nothing claimed); `seconds` is the period the records
    /// cover, which scales them to the plan's month.
    package static func reconcile(
        plan: [(Workload, Breakdown)], measured: [MeasuredUsage?], unplanned: MeasuredUsage, seconds: Rational
    ) throws(PricingError) -> Reconciliation {
        guard plan.count == measured.count, seconds > .zero else { throw PricingError("reconcile", .inexact) }
        var rows: [Reconciliation.Row] = []
        var (plannedTotal, plannedHigh, actualTotal) = (Rational.zero, Rational.zero, Rational.zero)
        var ranged = false
        for ((workload, breakdown), usage) in zip(plan, measured) {
            var row = try reconcile(workload, breakdown, usage, seconds: seconds)
            if let high = breakdown.high?.breakdown.total, high != breakdown.total { row.plannedHigh = high }
            rows.append(row)
            guard let actual = row.actual else { continue }
            // A single figure is its own high end.
            let high = row.plannedHigh ?? row.planned
            guard let p = plannedTotal.adding(row.planned), let h = plannedHigh.adding(high),
                  let a = actualTotal.adding(actual) else { throw PricingError(workload.name, .inexact) }
            (plannedTotal, plannedHigh, actualTotal) = (p, h, a)
            ranged = ranged || row.plannedHigh != nil
        }
        let monthly = try perMonth(unplanned.usd, seconds: seconds, Units.month.factor, "unplanned")
        let requests = try perMonth(unplanned.requests, seconds: seconds, Units.month.factor, "unplanned")
        guard let total = actualTotal.adding(monthly) else { throw PricingError("unplanned", .inexact) }
        var result = Reconciliation(rows: rows, unplanned: monthly, unplannedRequests: requests, plannedTotal: plannedTotal, actualTotal: total)
        if ranged { result.plannedTotalHigh = plannedHigh }
        return result
    }

    static func perMonth(_ value: Rational, seconds: Rational, _ month: Rational, _ name: String) throws(PricingError) -> Rational {
        guard let v = value.multiplied(by: month)?.divided(by: seconds) else { throw PricingError(name, .inexact) }
        return v
    }

    static func reconcile(_ plan: Workload, _ breakdown: Breakdown, _ usage: MeasuredUsage?, seconds: Rational) throws(PricingError) -> Reconciliation.Row {
        let name = plan.name
        guard plan.kind == .inference else {
            return Reconciliation.Row(workload: name, planned: breakdown.total, actual: nil, steps: [], failedShare: nil)
        }
        guard let usage else {
            // Planned model calls that no record shows: none were made.
            let planned = plan.requestsPerSecond.flatMap { $0.multiplied(by: plan.monthSeconds) }
            let step = Reconciliation.Step(assumption: .requests, planned: planned, actual: .zero, impact: breakdown.total.negated)
            return Reconciliation.Row(workload: name, planned: breakdown.total, actual: .zero, steps: [step], failedShare: nil)
        }
        let month = plan.monthSeconds
        let actual = try perMonth(usage.usd, seconds: seconds, month, name)
        let calls = usage.requests
        let failedShare = calls.adding(usage.failed).flatMap { $0.isZero ? nil : usage.failed.divided(by: $0) }
        var provisioned = false
        if case .provisioned = plan.mode { provisioned = true }
        // Only on-demand model calls walk from plan to actual: reserved
        // capacity costs the same whatever passes through it.
        guard plan.kind == .inference, plan.model != nil, !provisioned, !calls.isZero, let prompt = usage.prompt, !prompt.isZero else {
            let step = Reconciliation.Step(assumption: .mix, planned: nil, actual: nil, impact: try difference(actual, breakdown.total, name))
            return Reconciliation.Row(workload: name, planned: breakdown.total, actual: actual, steps: [step], failedShare: failedShare)
        }
        let steps = try walk(plan, from: breakdown.total, to: actual, usage: usage, prompt: prompt, seconds: seconds)
        return Reconciliation.Row(workload: name, planned: breakdown.total, actual: actual, steps: steps, failedShare: failedShare)
    }

    static func difference(_ a: Rational, _ b: Rational, _ name: String) throws(PricingError) -> Rational {
        guard let d = a.subtracting(b) else { throw PricingError(name, .inexact) }
        return d
    }

    /// Changes the plan's assumptions to the measured ones, one at a time,
    /// pricing each with the engine; the last step is what remains.
    static func walk(_ plan: Workload, from planned: Rational, to actual: Rational, usage: MeasuredUsage, prompt: Rational,
                     seconds: Rational) throws(PricingError) -> [Reconciliation.Step] {
        let name = plan.name
        func ratio(_ a: Rational, _ b: Rational) throws(PricingError) -> Rational {
            guard let r = a.divided(by: b) else { throw PricingError(name, .inexact) }
            return r
        }
        // An agent's records are its model calls: requests are calls over steps.
        let steps = plan.agentSteps ?? .one
        let callsPerSecond = try ratio(usage.requests, seconds)
        let requestsPerSecond = try ratio(callsPerSecond, steps)
        let inputPerRequest = try ratio(prompt, usage.requests)
        let outputPerRequest = try ratio(usage.output, usage.requests)
        let readShare = try ratio(usage.cacheRead, prompt)
        let writeShare = try ratio(usage.cacheWrite, prompt)
        let month = plan.monthSeconds

        var current = plan
        var cost = planned
        var result: [Reconciliation.Step] = []
        func step(_ assumption: Reconciliation.Assumption, _ plannedValue: Rational?, _ actualValue: Rational?,
                  _ change: (inout Workload) -> Void) throws(PricingError) {
            change(&current)
            let next = try Engine.estimate(current).total
            result.append(Reconciliation.Step(assumption: assumption, planned: plannedValue, actual: actualValue,
                                              impact: try difference(next, cost, name)))
            cost = next
        }
        let plannedRequests = plan.requestsPerSecond.flatMap { $0.multiplied(by: month) }
        try step(.requests, plannedRequests, requestsPerSecond.multiplied(by: month)) { $0.requestsPerSecond = requestsPerSecond }
        try step(.input, plan.inputTokens ?? Engine.defaultInputTokens, inputPerRequest) { $0.inputTokens = inputPerRequest }
        try step(.output, plan.outputTokens ?? Engine.defaultOutputTokens, outputPerRequest) { $0.outputTokens = outputPerRequest }
        // Reads first, with the planned writes cut to what still fits beside them.
        try step(.cacheRead, plan.cacheRead, readShare) { w in
            w.cacheRead = readShare
            if let room = Rational.one.subtracting(readShare), w.cacheWrite > room { w.cacheWrite = room }
        }
        try step(.cacheWrite, plan.cacheWrite, writeShare) { $0.cacheWrite = writeShare }
        // Billed re-sends are records like any other; failed calls are not billed.
        let failed = usage.requests.adding(usage.failed).flatMap { usage.failed.divided(by: $0) }
        try step(.retries, plan.retries, failed) { $0.retries = nil }
        if !plan.guardrails.isEmpty || plan.contingency != nil {
            try step(.notLogged, nil, nil) { w in
                w.guardrails = []
                w.contingency = nil
            }
        }
        result.append(Reconciliation.Step(assumption: .mix, planned: nil, actual: nil, impact: try difference(actual, cost, name)))
        return result
    }
}
