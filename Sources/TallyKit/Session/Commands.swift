import Foundation

/// What a command printed and how it ended.
public struct CommandOutput: Sendable {
    public var stdout = ""
    public var stderr = ""
    /// 0 ok, 1 an assertion failed (or `eval` of a false condition), 2 the
    /// input or the command was wrong.
    public var status: Int32 = 0

    public init() {}
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}

/// The behaviour behind `tally run`, `tally check` and `tally eval`. The
/// executable parses arguments and calls these; tests call them directly.
public enum Commands {
    static func readFile(_ path: String) -> Result<SourceFile, Diagnostic> {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return .success(SourceFile(name: "<stdin>", text: String(decoding: data, as: UTF8.self)))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Diagnostic(.io, "cannot read \(path): no such file", at: nil))
        }
        guard !isDirectory.boolValue else {
            return .failure(Diagnostic(.io, "cannot read \(path): it is a directory", at: nil))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Diagnostic(.io, "cannot read \(path)", at: nil))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(Diagnostic(.io, "cannot read \(path): it is not UTF-8 text", at: nil))
        }
        return .success(SourceFile(name: path, text: text))
    }

    static func standardSession(into output: inout CommandOutput, color: Bool) -> Session? {
        switch Session.standard() {
        case .success(let session): return session
        case .failure(let error):
            output.stderr += DiagnosticRenderer(color: color).render(error.all)
            output.status = 2
            return nil
        }
    }

    /// Runs each file in a session of its own and prints what it shows.
    public static func run(paths: [String], format: OutputFormat = .text, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let diagnostics = DiagnosticRenderer(color: color)
        var jsonItems: [JSON] = []
        for path in paths {
            guard var session = standardSession(into: &output, color: color) else { return output }
            let file: SourceFile
            switch readFile(path) {
            case .success(let f): file = f
            case .failure(let d):
                output.stderr += diagnostics.render(d)
                output.status = 2
                continue
            }
            let outcome = session.run(file)
            switch format {
            case .text:
                let renderer = TextRenderer(color: color)
                output.stdout += renderer.render(outcome.shown)
            case .json:
                for item in outcome.shown {
                    jsonItems.append(.object([
                        ("file", .string(file.name)),
                        ("line", .number(String(item.span.line))),
                        ("expression", .string(item.source)),
                        ("result", JSONRenderer.value(item.value)),
                    ]))
                }
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
        return output
    }

    static func assertionFailure(_ a: AssertionResult, color: Bool) -> String {
        var d = Diagnostic(.runtime, "assertion failed" + (a.message.map { ": \($0)" } ?? ""), at: a.span)
        if let actual = a.actual, let bound = a.bound {
            d = d.hint("left side is \(actual), right side is \(bound)")
        }
        return DiagnosticRenderer(color: color).render(d)
    }

    /// Evaluates every `assert` of each file: one line per assertion.
    public static func check(paths: [String], color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let diagnostics = DiagnosticRenderer(color: color)
        var passed = 0
        var failed = 0
        for path in paths {
            guard var session = standardSession(into: &output, color: color) else { return output }
            let file: SourceFile
            switch readFile(path) {
            case .success(let f): file = f
            case .failure(let d):
                output.stderr += diagnostics.render(d)
                output.status = 2
                continue
            }
            let outcome = session.run(file)
            for a in outcome.assertions {
                var line = (a.passed ? "PASS" : "FAIL") + "  \(a.span.location)  "
                line += a.message.map { "\($0): " } ?? ""
                line += a.source
                if let actual = a.actual, let bound = a.bound { line += "  (\(actual) vs \(bound))" }
                output.stdout += line + "\n"
                if a.passed { passed += 1 } else { failed += 1 }
            }
            output.stderr += diagnostics.render(outcome.diagnostics)
            output.status = max(output.status, outcome.exitStatus)
        }
        let total = passed + failed
        let noun = total == 1 ? "assertion" : "assertions"
        if output.status == 2 {
            output.stdout += "\(total) \(noun) checked; errors in the input (exit 2)\n"
        } else if failed == 0 {
            output.stdout += total == 0 ? "no assertions found\n" : "all \(total) \(noun) hold\n"
        } else {
            output.stdout += "\(failed) of \(total) \(noun) failed\n"
        }
        return output
    }

    /// Loads `files` into one session and prints the value of `expression`.
    /// A true/false result sets the status like `test`: 0 true, 1 false.
    public static func eval(files: [String], expression: String, format: OutputFormat = .text, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let diagnostics = DiagnosticRenderer(color: color)
        guard var session = standardSession(into: &output, color: color) else { return output }
        for path in files {
            switch readFile(path) {
            case .success(let file):
                let outcome = session.run(file)
                output.stderr += diagnostics.render(outcome.diagnostics)
                if outcome.hasErrors {
                    output.status = 2
                    return output
                }
            case .failure(let d):
                output.stderr += diagnostics.render(d)
                output.status = 2
                return output
            }
        }
        switch session.evaluate(SourceFile(name: "<eval>", text: expression)) {
        case .success(let value):
            switch format {
            case .text: output.stdout += TextRenderer(color: color).render(value)
            case .json: output.stdout += JSONRenderer.value(value).rendered() + "\n"
            }
            if case .boolean(false) = value { output.status = 1 }
        case .failure(let errors):
            output.stderr += diagnostics.render(errors.all)
            output.status = 2
        }
        return output
    }
}
