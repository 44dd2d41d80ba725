/// `tally check`: every `assert` of every file, in one report.
public struct CheckReport: Sendable {
    public var assertions: [AssertionResult] = []
    /// Problems in the input (errors and warnings), each located.
    public var diagnostics: [Diagnostic] = []
    /// Files that could not be read, with the reason.
    public var unreadable: [(path: String, message: String)] = []

    public init() {}

    public var passed: Int { assertions.filter(\.passed).count }
    public var failed: Int { assertions.count - passed }
    /// Error diagnostics as reported (a line standing for those past the cap
    /// counts once): what JUnit's `errors` and the exit status count.
    public var errors: Int { diagnostics.filter { $0.severity == .error }.count + unreadable.count }
    /// Every error found, those past the cap included: what people are told.
    public var errorsFound: Int {
        diagnostics.reduce(unreadable.count) { count, d in
            count + (d.omitted.map(\.errors) ?? (d.severity == .error ? 1 : 0))
        }
    }

    /// 0 all hold, 1 one failed, 2 the input was wrong.
    public var status: Int32 { errors > 0 ? 2 : (failed > 0 ? 1 : 0) }

    /// One line: what happened, for people.
    public var summary: String {
        let noun = assertions.count == 1 ? "assertion" : "assertions"
        if errors > 0 {
            return "\(Diagnostic.counted(errorsFound, "error")) in the input; \(assertions.count) \(noun) checked"
        }
        if assertions.isEmpty { return "no assertions found" }
        return failed == 0 ? "all \(assertions.count) \(noun) hold" : "\(failed) of \(assertions.count) \(noun) failed"
    }
}

public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, junit, github, markdown
}

extension Commands {
    /// Runs each file in a session of its own and collects its assertions.
    public static func checkReport(paths: [String], allowOutside: Bool = false) -> CheckReport {
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
                // A script that checks nothing should not pass unnoticed.
                if outcome.assertions.isEmpty && !outcome.hasErrors {
                    report.diagnostics.append(Diagnostic(.runtime, "\(path) has no `assert`: nothing in it was checked", at: nil,
                                                         hints: ["write `assert total < $1k/month, \"budget\"`"], severity: .warning))
                }
            }
        }
        return report
    }

    public static func check(paths: [String], format: CheckFormat = .text, verbose: Bool = false, color: Bool = false, allowOutside: Bool = false) -> CommandOutput {
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
        }
        return output
    }
}
