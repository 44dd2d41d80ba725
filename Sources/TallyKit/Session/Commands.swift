import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command printed and how it ended.
package struct CommandOutput: Sendable {
    package var stdout = ""
    package var stderr = ""
    /// 0 ok, 1 an assertion failed (or `eval` of a false condition), 2 the
    /// input or the command was wrong.
    package var status: Int32 = 0
    /// `check --format github`: standard output is workflow commands, meant
    /// for the runner; everything else Tally prints is made safe for a CI log
    /// (`Escaping.workflowSafe`) before it is written.
    package var stdoutIsWorkflowCommands = false

    package init() {}

    /// The input or the command was wrong: say so, and exit with status 2.
    mutating func fail(_ message: String) {
        stderr += message
        status = 2
    }

    /// The two streams as they should reach a terminal, file or CI log.
    package var forWriting: (stdout: String, stderr: String) {
        (stdoutIsWorkflowCommands ? stdout : Escaping.workflowSafe(stdout), Escaping.workflowSafe(stderr))
    }
}

package enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}

/// `tally run --format`: breakdowns for people, programs and spreadsheets.
package enum RunFormat: String, CaseIterable, Sendable {
    case text, json, csv, markdown, html
}

/// The behaviour behind `tally run`, `tally check` and `tally eval`. The
/// executable parses arguments and calls these; tests call them directly.
package enum Commands {
    /// Scripts larger than this are refused rather than read into memory.
    package static let maximumScriptBytes = 64 << 20

    /// Reads a script named on the command line (or `-`, standard input).
    /// Unless `allowOutside`, the file opened must lie in `commandLineRoot`.
    /// `/dev/stdin` and `/dev/fd/N` read the descriptor the shell passed
    /// (so `tally run <(…)` works); with `streams`, a FIFO or device named
    /// is read to its end like a file, up to the size limit. Imports and
    /// saved scripts pass `streams: false` and refuse them.
    static func readFile(_ path: String, allowOutside: Bool = false, streams: Bool = true) -> Result<SourceFile, Diagnostic> {
        if let descriptor = path == "-" ? STDIN_FILENO : streams ? FileSystem.descriptor(named: path) : nil {
            let name = descriptor == STDIN_FILENO ? "standard input" : path
            guard let data = FileSystem.readAll(descriptor, limit: maximumScriptBytes + 1, expected: 0) else {
                return .failure(Diagnostic(.io, "cannot read \(name): \(FileSystem.Failure.system())", at: nil))
            }
            guard data.count <= maximumScriptBytes else {
                return .failure(Diagnostic(.io, "cannot read \(name): \(FileSystem.ReadFailure.tooLarge)", at: nil))
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                return .failure(Diagnostic(.io, "cannot read \(name): \(FileSystem.ReadFailure.notText)", at: nil))
            }
            return .success(SourceFile(name: descriptor == STDIN_FILENO ? "<stdin>" : "<fd \(descriptor)>", text: text))
        }
        let root = allowOutside ? nil : commandLineRoot(for: path)
        switch FileSystem.readText(path, root: root, limit: maximumScriptBytes, streams: streams) {
        case .success(let read):
            return .success(SourceFile(name: path, text: read.text))
        case .failure(let failure):
            let hints = if case .outside = failure { ["a symbolic link leads there; --allow-outside reads it anyway"] } else { [String]() }
            return .failure(Diagnostic(.io, "cannot read \(path): \(failure)", at: nil, hints: hints))
        }
    }

    /// A script named on the command line; when it cannot be read, its
    /// diagnostic goes to `output` with status 2.
    static func readFile(_ path: String, allowOutside: Bool, into output: inout CommandOutput, color: Bool) -> SourceFile? {
        switch readFile(path, allowOutside: allowOutside) {
        case .success(let file): return file
        case .failure(let d):
            output.fail(DiagnosticRenderer(color: color).render(d))
            return nil
        }
    }

    /// The tree a file named on the command line must stay in: the working
    /// directory's when the path, taken by its text alone, lies inside it;
    /// otherwise the file's own directory. So a committed symbolic link
    /// cannot lead a CI job's `tally check plans/*.tally` out of the checkout,
    /// while `tally run /elsewhere/plan.tally` still reads what was named.
    static func commandLineRoot(for path: String) -> String {
        let cwd = FileSystem.currentDirectory()
        if let cwd, Path.isInside(Path.normalized(Path.resolved(path, against: cwd)), cwd) { return cwd }
        let directory = Path.directory(of: path)
        let own = directory.isEmpty ? "." : directory
        return FileSystem.realPath(own) ?? own
    }

    static func standardSession(into output: inout CommandOutput, color: Bool) -> Session? {
        switch Session.standard() {
        case .success(let session): return session
        case .failure(let error):
            output.fail(DiagnosticRenderer(color: color).render(error.all))
            return nil
        }
    }

    /// Runs each file in a session of its own and prints what it shows.
    /// Runs each script and prints what it shows. A script that declares
    /// costs and shows nothing prints its `total` in text, with a note on
    /// standard error saying why (`quiet`: nothing); the machine formats
    /// print only what a script shows.
    package static func run(paths: [String], format: RunFormat = .text, color: Bool = false, charts: ChartStyle = .none, allowOutside: Bool = false,
                            quiet: Bool = false, exact: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let diagnostics = DiagnosticRenderer(color: color)
        var jsonItems: [JSON] = []
        var htmlItems: [ShowItem] = []
        if format == .csv { output.stdout += TableRenderer.csvHeader }
        for path in paths {
            guard var session = standardSession(into: &output, color: color) else { return output }
            let file: SourceFile
            switch readFile(path, allowOutside: allowOutside) {
            case .success(let f): file = f
            case .failure(let d):
                output.fail(diagnostics.render(d))
                continue
            }
            let outcome = session.run(file)
            switch format {
            case .text:
                let renderer = TextRenderer(color: color, charts: charts, exact: exact)
                output.stdout += renderer.render(outcome.shown)
                if !quiet, let total = implicitTotal(of: outcome, in: &session, file: file) {
                    output.stdout += renderer.render(total.shown)
                    output.stderr += "tally: note: \(Escaping.visible(file.name)) shows nothing, so its total is printed "
                        + "(`show` chooses what to print; --quiet prints nothing)\n"
                }
            case .json:
                for item in outcome.shown {
                    jsonItems.append(.object([
                        ("file", .string(file.name)),
                        ("line", .number(String(item.span.line))),
                        ("expression", .string(item.source)),
                        ("result", item.report.map(ReportRenderer.json) ?? JSONRenderer.value(item.value)),
                    ]))
                }
            case .csv:
                output.stdout += outcome.shown.map { TableRenderer.csv($0, file: file.name) }.joined()
            case .markdown:
                output.stdout += outcome.shown.map(TableRenderer.markdown).joined(separator: "\n")
            case .html:
                htmlItems += outcome.shown
            }
            output.stderr += diagnostics.render(outcome.diagnostics)
            for failure in outcome.failedAssertions where !outcome.hasErrors {
                output.stderr += assertionFailure(failure, color: color)
            }
            output.status = max(output.status, outcome.exitStatus)
        }
        if format == .json {
            output.stdout += JSON.array(jsonItems).rendered(indent: 2) + "\n"
        }
        if format == .html {
            output.stdout += HTMLReport.run(htmlItems, title: "Tally: " + paths.joined(separator: ", "))
        }
        return output
    }

    /// `show total` for a script that ran without error, showed nothing and
    /// declared workloads or costs; nil otherwise.
    static func implicitTotal(of outcome: Outcome, in session: inout Session, file: SourceFile) -> Outcome? {
        guard outcome.shown.isEmpty, !outcome.hasErrors, !session.environment.workloadOrder.isEmpty else { return nil }
        let total = session.run(SourceFile(name: file.name, text: "show total"))
        return total.hasErrors ? nil : total
    }

    static func assertionFailure(_ a: AssertionResult, color: Bool) -> String {
        var d = Diagnostic(.runtime, "assertion failed" + (a.message.map { ": \($0)" } ?? ""), at: a.span)
        if let actual = a.actual, let bound = a.bound {
            d = d.hint("left side is \(actual), right side is \(bound)")
        }
        return DiagnosticRenderer(color: color).render(d)
    }

    /// Loads `files` into one session and prints the value of `expression`.
    /// A true/false result sets the status like `test`: 0 true, 1 false.
    /// `sets` are `NAME=EXPR` texts that replace `let NAME` in the files.
    package static func eval(files: [String], expression: String, sets: [String] = [], format: OutputFormat = .text, color: Bool = false, allowOutside: Bool = false,
                             exact: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let diagnostics = DiagnosticRenderer(color: color)
        guard var session = standardSession(into: &output, color: color) else { return output }
        var setNames: [String] = []
        for assignment in sets {
            guard let equals = assignment.firstIndex(of: "=") else {
                output.fail("tally: error: --set takes NAME=EXPR, as in --set peak=5000/day\n")
                return output
            }
            let name = assignment[..<equals].trimmingWhitespace()
            let text = String(assignment[assignment.index(after: equals)...])
            guard case .name(let parsed)? = Lexer.tokenize(SourceFile(name: "--set", text: name)).tokens.first?.kind, parsed == name else {
                output.fail("tally: error: --set \(assignment): `\(name)` is not a name\n")
                return output
            }
            switch Session.parseExpression(SourceFile(name: "--set \(name)", text: text)) {
            case .success(let expr):
                session.overrides[name] = expr
                setNames.append(name)
            case .failure(let errors):
                output.fail(diagnostics.render(errors.all))
                return output
            }
        }
        for path in files {
            switch readFile(path, allowOutside: allowOutside) {
            case .success(let file):
                let outcome = session.run(file)
                output.stderr += diagnostics.render(outcome.diagnostics)
                if outcome.hasErrors {
                    output.status = 2
                    return output
                }
            case .failure(let d):
                output.fail(diagnostics.render(d))
                return output
            }
        }
        // A --set that no `let` used defines its name for the expression.
        for name in setNames where !session.usedOverrides.contains(name) {
            guard let expr = session.overrides[name] else { continue }
            if case .failure(let errors) = session.define(name, expr) {
                output.fail(diagnostics.render(errors.all))
                return output
            }
        }
        switch session.evaluate(SourceFile(name: "<eval>", text: expression)) {
        case .success(let value):
            switch format {
            case .text: output.stdout += TextRenderer(color: color, exact: exact).render(value)
            case .json: output.stdout += JSONRenderer.value(value).rendered() + "\n"
            }
            if case .boolean(false) = value { output.status = 1 }
        case .failure(let errors):
            output.fail(diagnostics.render(errors.all))
        }
        return output
    }
}
