import TallyQuantities
import TallyPricing
import TallyActuals
import TallyRender

/// `tally reconcile --cur FILE… --logs PATH…`: invocation logs priced by the
/// catalog against the Cost and Usage Report's unblended cost.
extension Commands {
    package static func reconcileCUR(cur: [String], logs: [String], tolerance: String?, cacheTTL: String = "5m",
                                     format: OutputFormat = .text, strict: Bool = false, script: String? = nil,
                                     allowOutside: Bool = false, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        guard !cur.isEmpty, !logs.isEmpty else {
            output.fail("tally: error: give the bill and the logs: --cur FILE… --logs PATH…\n")
            return output
        }
        guard cacheTTL == "5m" || cacheTTL == "1h" else {
            output.fail("tally: error: --cache-ttl is 5m or 1h, not \"\(Escaping.visible(cacheTTL))\"\n")
            return output
        }
        guard let share = toleranceShare(tolerance, into: &output) else { return output }
        guard let catalog = usageCatalog(script: script, allowOutside: allowOutside, into: &output, color: color) else { return output }
        var bill = CURBill(catalog: catalog, by: CURReconciliation.by, tolerance: share)
        for path in cur {
            if let problem = bill.read(path) {
                output.fail("tally: error: \(Escaping.visible(problem))\n")
                return output
            }
        }
        var options = UsageOptions()
        options.by = [.region, .day]
        options.oneHour = cacheTTL == "1h"
        let usage = UsageRun.run(logs, catalog: catalog, options: options)
        guard usage.errors.isEmpty else {
            for error in usage.errors { output.stderr += "tally: error: cannot read \(Escaping.visible(error))\n" }
            output.status = 2
            return output
        }
        let reconciliation = CURReconciliation(bill: bill.finished(), logs: usage, oneHour: options.oneHour)
        if let problem = reconciliation.problem {
            output.fail("tally: error: \(problem)\n")
            return output
        }
        switch format {
        case .text: output.stdout += ReconcileCURRenderer.text(reconciliation, color: color)
        case .json: output.stdout += ReconcileCURRenderer.json(reconciliation)
        }
        if strict, reconciliation.flaggedCount > 0 {
            output.stderr += "tally: --strict: \(reconciliation.flaggedCount) line\(reconciliation.flaggedCount == 1 ? "" : "s") beyond the tolerance\n"
            output.status = 1
        }
        return output
    }
}
