import TallyQuantities
import TallyPricing
import TallyActuals
import TallyRender

/// `tally usage --cur FILE…`: a CUR 2.0 data export (CSV, or gzip of it),
/// read as a stream, its Bedrock token usage priced by the catalog beside the
/// bill's own unblended cost.
extension Commands {
    /// `tally usage --cur`: the options that read logs have no meaning here.
    static func usageCUR(_ request: UsageRequest, color: Bool) -> CommandOutput {
        var output = CommandOutput()
        let logOnly = [("PATH", !request.paths.isEmpty), ("--from", request.from != nil), ("--to", request.to != nil),
                       ("--cache-ttl", request.cacheTTL != "5m")].filter(\.1).map(\.0)
        guard logOnly.isEmpty else {
            output.fail("tally: error: --cur reads a Cost and Usage Report: \(logOnly.joined(separator: ", ")) "
                + "\(logOnly.count == 1 ? "goes" : "go") with logs\n")
            return output
        }
        return usageCUR(paths: request.cur, by: request.by, tolerance: request.tolerance, format: request.format,
                        strict: request.strict, color: color, script: request.script, allowOutside: request.allowOutside)
    }

    package static func usageCUR(paths: [String], by: [String], tolerance: String?, format: RunFormat = .text,
                                 strict: Bool = false, color: Bool = false, script: String? = nil,
                                 allowOutside: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        var keys: [CURReport.Key] = []
        for text in by {
            guard let key = CURReport.Key(text) else {
                output.fail("tally: error: --by takes \(CURReport.Key.names.joined(separator: ", ")) with --cur, not \"\(Escaping.visible(text))\"\n")
                return output
            }
            keys.append(key)
        }
        guard let share = toleranceShare(tolerance, into: &output) else { return output }
        guard let catalog = usageCatalog(script: script, allowOutside: allowOutside, into: &output, color: color) else { return output }
        var bill = CURBill(catalog: catalog, by: keys.isEmpty ? CURReport.Key.standard : keys, tolerance: share)
        for path in paths {
            if let problem = bill.read(path) {
                output.fail("tally: error: \(Escaping.visible(problem))\n")
                return output
            }
        }
        let report = bill.finished()
        if let problem = report.problem {
            output.fail("tally: error: \(paths.joined(separator: ", ")): \(problem)\n")
            return output
        }
        switch format {
        case .text: output.stdout += CURRenderer.text(report, color: color)
        case .json: output.stdout += CURRenderer.json(report)
        case .csv: output.stdout += CURRenderer.csv(report)
        case .markdown: output.stdout += CURRenderer.markdown(report)
        case .html:
            output.fail("tally: error: usage --cur writes text, json, csv or markdown\n")
            return output
        }
        if strict, report.counts.unpriced > 0 || report.flaggedCount > 0 {
            output.stderr += "tally: --strict: \(report.counts.unpriced) unpriced row\(report.counts.unpriced == 1 ? "" : "s"), "
                + "\(report.flaggedCount) group\(report.flaggedCount == 1 ? "" : "s") beyond the tolerance\n"
            output.status = 1
        }
        return output
    }

    /// `--tolerance`, 1% when not given; nil after saying why it will not do.
    static func toleranceShare(_ tolerance: String?, into output: inout CommandOutput) -> Rational? {
        guard let tolerance else { return Rational(uncheckedNumerator: 1, denominator: 100) }
        guard let share = percentShare(tolerance) else {
            output.fail("tally: error: --tolerance takes a percentage such as 1% or 0.5%, not \"\(Escaping.visible(tolerance))\"\n")
            return nil
        }
        return share
    }

    /// `1%`, `0.5%` as a share; nil for anything else (or above 1,000%).
    static func percentShare(_ text: String) -> Rational? {
        guard text.hasSuffix("%"), let value = Rational(decimalLiteral: text.dropLast()), !text.contains("_"),
              value <= Rational(1000) else { return nil }
        return value.divided(by: Rational(100))
    }
}
