import TallySyntax
import TallyPricing
import TallyRender
import TallyActuals

extension Commands {
    /// `--as-workloads` with an option it cannot honour.
    static func refusedWorkloads(_ request: UsageRequest) -> CommandOutput? {
        guard request.asWorkloads, request.format != .text || !request.cur.isEmpty else { return nil }
        var output = CommandOutput()
        output.fail("error: --as-workloads writes a Tally script: it takes neither --format nor --cur\n")
        return output
    }

    /// `tally usage --as-workloads`: the report as workload declarations.
    /// The script is run before it is printed, so Tally never writes one it
    /// would reject.
    static func workloads(_ report: UsageReport, request: UsageRequest, catalog: Catalog, options: UsageOptions, into output: inout CommandOutput) {
        // A path not read or a limit passed: the caller names it, and a partial measure is not a plan.
        guard report.errors.isEmpty else { return }
        switch CalibrationRenderer.script(report, catalog: catalog, from: options.from, to: options.to, oneHour: options.oneHour,
                                                declarations: request.script) {
        case .failure(let failure):
            output.fail("error: \(failure)\n")
        case .success(let script):
            // Over the catalog that priced the records (with `--script`'s profiles and prices), not its workloads.
            var session = Session(catalog: catalog)
            let outcome = session.run(SourceFile(name: "<as-workloads>", text: script))
            if outcome.hasErrors {
                output.fail("error: the measured workloads do not run as a script:\n" + DiagnosticRenderer(color: false).render(outcome.diagnostics))
                return
            }
            output.stdout = script
            if report.calibration.samples.isEmpty { output.stderr += "usage: no priced records to measure: no workloads written\n" }
        }
    }
}
