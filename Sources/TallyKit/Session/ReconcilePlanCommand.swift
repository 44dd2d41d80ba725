import TallyQuantities
import TallyPricing
import TallyActuals
import TallyLanguage
import TallyRender

/// What `tally reconcile PLAN LOGS…` was asked.
package struct ReconcileRequest: Sendable {
    package var plan = ""
    package var logs: [String] = []
    package var from: String?
    package var to: String?
    package var format: RunFormat = .text
    /// Exit 1 when a workload's actual cost is off its plan by more than this share.
    package var failAbove: String?
    package var cacheTTL = "5m"
    package var allowOutside = false

    package init() {}
}

extension Commands {
    /// Each workload of a plan against the records that carry its tags and
    /// model: planned and actual cost per month, and the assumption that moved.
    /// Exit 2 when the plan or the logs cannot be read, 1 with `--fail-above`
    /// when a workload or the total is off by more, else 0.
    package static func reconcilePlan(_ request: ReconcileRequest, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        guard !request.logs.isEmpty else {
            output.fail("tally: error: give a plan and its logs: tally reconcile PLAN.tally LOGS…\n")
            return output
        }
        guard request.cacheTTL == "5m" || request.cacheTTL == "1h" else {
            output.fail("tally: error: --cache-ttl is 5m or 1h, not \"\(Escaping.visible(request.cacheTTL))\"\n")
            return output
        }
        var failAbove: Rational?
        if let text = request.failAbove {
            guard let share = percentShare(text) else {
                output.fail("tally: error: --fail-above takes a percentage such as 20%, not \"\(Escaping.visible(text))\"\n")
                return output
            }
            failAbove = share
        }
        guard var session = standardSession(into: &output, color: color),
              let file = readFile(request.plan, allowOutside: request.allowOutside, into: &output, color: color) else { return output }
        let outcome = session.run(file)
        guard !outcome.hasErrors else {
            output.fail(DiagnosticRenderer(color: color).render(outcome.diagnostics))
            return output
        }
        let plan = session.environment.workloads.filter { $0.0.kind != .usage }
        var options = UsageOptions()
        var keys: [String] = []
        for (workload, _) in plan { for tag in workload.tags where !keys.contains(tag.key) { keys.append(tag.key) } }
        options.by = [.model] + keys.map { .tag($0) }
        options.oneHour = request.cacheTTL == "1h"
        options.groupFailed = true
        for (text, endOfDay) in [(request.from, false), (request.to, true)] {
            guard let text else { continue }
            guard let instant = Commands.time(text, endOfDay: endOfDay) else {
                output.fail("tally: error: --\(endOfDay ? "to" : "from") takes a day (2026-11-01) or an ISO-8601 instant, not \"\(Escaping.visible(text))\"\n")
                return output
            }
            if endOfDay { options.to = instant } else { options.from = instant }
        }
        let report = UsageRun.run(request.logs, catalog: session.environment.catalog, options: options)
        guard report.errors.isEmpty else {
            for error in report.errors { output.stderr += "tally: error: cannot read \(Escaping.visible(error))\n" }
            output.status = 2
            return output
        }
        let claims = PlanClaims(plan: plan, tagKeys: keys, report: report)
        guard let measured = claims.measured, let unplanned = claims.unplanned else {
            output.fail("tally: error: the records' sums are too large to hold exactly\n")
            return output
        }
        let seconds: Rational
        if let from = options.from, let to = options.to {
            seconds = Rational(Int128(to.seconds) - Int128(from.seconds))
        } else if let first = report.first, let last = report.last, last.seconds > first.seconds {
            seconds = Rational(Int128(last.seconds) - Int128(first.seconds))
        } else {
            output.fail("tally: error: the records cover no time (none, or all in one second): give --from and --to\n")
            return output
        }
        let reconciliation: Reconciliation
        do {
            reconciliation = try Reconciler.reconcile(plan: plan, measured: measured, unplanned: unplanned, seconds: seconds)
        } catch {
            output.fail(DiagnosticRenderer(color: color).render([error.diagnostic(for: Workload(name: error.workload))]))
            return output
        }
        let context = ReconcileRenderer.Context(plan: request.plan, records: report.counts, first: report.first?.description,
                                                last: report.last?.description, from: request.from, to: request.to, seconds: seconds)
        switch request.format {
        case .text: output.stdout += ReconcileRenderer.text(reconciliation, context, color: color)
        case .json: output.stdout += ReconcileRenderer.json(reconciliation, context)
        case .markdown: output.stdout += ReconcileRenderer.markdown(reconciliation, context)
        case .html: output.stdout += HTMLReport.reconcile(reconciliation, context)
        case .csv:
            output.fail("tally: error: reconcile writes text, json or markdown\n")
            return output
        }
        if let failAbove {
            let off = reconciliation.rows.filter { $0.isOff(by: failAbove) }.map(\.workload)
                + (reconciliation.totalIsOff(by: failAbove) ? ["total"] : [])
            if !off.isEmpty {
                output.stderr += "tally: --fail-above \(request.failAbove ?? ""): \(off.joined(separator: ", ")) off the plan by more\n"
                output.status = 1
            }
        }
        return output
    }
}

/// Which workload claims which records: those carrying all its tags, of its
/// model; the most tags win, then the first declared. The rest are unplanned.
struct PlanClaims {
    var measured: [MeasuredUsage?]?
    var unplanned: MeasuredUsage?

    init(plan: [(Workload, Breakdown)], tagKeys: [String], report: UsageReport) {
        var measured = [MeasuredUsage?](repeating: nil, count: plan.count)
        var unplanned = MeasuredUsage()
        var fits = true
        for (key, models) in report.groups {
            for (model, totals) in models {
                guard let usage = PlanClaims.usage(totals) else { fits = false; continue }
                var best: (index: Int, tags: Int)?
                for (index, (workload, _)) in plan.enumerated() where workload.kind == .inference && workload.model?.name == model {
                    let matches = workload.tags.allSatisfy { tag in
                        tagKeys.firstIndex(of: tag.key).map { key.count > $0 + 1 && key[$0 + 1] == tag.value } ?? false
                    }
                    if matches, best.map({ workload.tags.count > $0.tags }) ?? true { best = (index, workload.tags.count) }
                }
                if let best {
                    var sum = measured[best.index] ?? MeasuredUsage()
                    fits = sum.add(usage) && fits
                    measured[best.index] = sum
                } else {
                    fits = unplanned.add(usage) && fits
                }
            }
        }
        (self.measured, self.unplanned) = fits ? (measured, unplanned) : (nil, nil)
    }

    static func usage(_ totals: UsageTotals) -> MeasuredUsage? {
        guard let atto = totals.totalAtto, let usd = RequestQuote.dollars(atto) else { return nil }
        var usage = MeasuredUsage()
        usage.requests = Rational(totals.records)
        usage.failed = Rational(totals.failed)
        (usage.input, usage.cacheRead, usage.cacheWrite, usage.output) =
            (Rational(totals.tokens[0]), Rational(totals.tokens[1]), Rational(totals.tokens[2]), Rational(totals.tokens[3]))
        usage.usd = usd
        return usage
    }
}
