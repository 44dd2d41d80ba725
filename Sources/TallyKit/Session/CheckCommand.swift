import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

package enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, junit, github, markdown, html
}

extension Commands {
    /// Runs each file in a session of its own and collects its assertions.
    package static func checkReport(paths: [String], allowOutside: Bool = false) -> CheckReport {
        var report = CheckReport()
        guard case .success(let standard) = Session.standard() else {
            if case .failure(let errors) = Session.standard() { report.diagnostics += errors.all }
            return report
        }
        for path in paths {
            var session = standard
            switch readFile(path, allowOutside: allowOutside) {
            case .failure(let d):
                report.unreadable.append((path, d.message))
            case .success(let file):
                let outcome = session.run(file)
                report.assertions += outcome.assertions
                report.diagnostics += outcome.diagnostics
                report.diagnostics += partialUsage(outcome)
                // A script that checks nothing should not pass unnoticed.
                if outcome.assertions.isEmpty && !outcome.hasErrors {
                    report.diagnostics.append(Diagnostic(.runtime, "\(path) has no `assert`: nothing in it was checked", at: nil,
                                                         hints: ["write `assert total < $1k/month, \"budget\"`"], severity: .warning))
                }
            }
        }
        return report
    }

    /// A gate on real spend passes only on a whole count: a `usage`
    /// declaration that left records out (unpriced or unreadable) fails `check`.
    static func partialUsage(_ outcome: Outcome) -> [Diagnostic] {
        outcome.declaredWorkloads.compactMap { value in
            guard case .workload(let w, let b) = value, w.kind == .usage else { return nil }
            for case .leftOut(let unpriced, let malformed, _) in b.summaryNotes where unpriced + malformed > 0 {
                return Diagnostic(.pricing, "usage `\(w.name)` left out \(unpriced + malformed) record\(unpriced + malformed == 1 ? "" : "s") (\(unpriced) unpriced, \(malformed) malformed): `check` does not pass a partial total",
                                  at: w.origin as? Span, hints: ["`tally usage` on its logs lists them; declare a missing price or profile"])
            }
            return nil
        }
    }

    package static func check(paths: [String], format: CheckFormat = .text, verbose: Bool = false, color: Bool = false, allowOutside: Bool = false) -> CommandOutput {
        let report = checkReport(paths: paths, allowOutside: allowOutside)
        var output = CommandOutput()
        output.status = report.status
        switch format {
        case .text:
            output.stdout = CheckRenderer.text(report, color: color)
            output.stderr = DiagnosticRenderer(color: color).render(report.diagnostics)
                + report.unreadable.map { "tally: error: \(Escaping.visible($0.message))\n" }.joined()
        case .json:
            output.stdout = CheckRenderer.json(report).rendered(indent: 2) + "\n"
        case .junit:
            output.stdout = CheckRenderer.junit(report)
        case .github:
            output.stdout = CheckRenderer.github(report, verbose: verbose)
            output.stdoutIsWorkflowCommands = true
        case .markdown:
            output.stdout = CheckRenderer.markdown(report)
        case .html:
            output.stdout = HTMLReport.check(report)
        }
        return output
    }
}
