import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// `tally check` reports for people (text, Markdown) and for machines (JSON,
/// JUnit XML, GitHub Actions annotations). Every format lists assertions in
/// the order of the files and lines they come from.
package enum CheckRenderer {
    /// The message or the condition, and for `assert … by tag` the group:
    /// `team budget [team=search]`, `[no team tag]` for the untagged.
    static func label(_ a: AssertionResult) -> String {
        guard let group = a.group else { return a.message ?? a.source }
        return (a.message ?? a.source) + " [" + (group.value.map { "\(group.key)=\($0)" } ?? "no \(group.key) tag") + "]"
    }

    package static func signedQuantity(_ q: Quantity) -> String {
        let text = Format.quantity(Quantity(q.value.magnitude, q.dimension, timeUnit: q.timeUnit))
        return (q.value.isNegative ? "−" : "+") + text
    }

    static func signedPercent(_ share: Rational) -> String {
        let percent = share.magnitude.multiplied(by: Rational(100)) ?? share.magnitude
        return (share.isNegative ? "−" : "+") + percent.decimalString(fractionDigits: 1) + "%"
    }

    /// `+$6,218.96/month (+77.7%)`
    static func margin(_ a: AssertionResult) -> String {
        guard let m = a.margin else { return "" }
        var text = signedQuantity(m)
        if let share = a.marginShare { text += " (\(signedPercent(share)))" }
        return text
    }

    static func bound(_ a: AssertionResult) -> String {
        guard let b = a.bound else { return "" }
        return (a.comparison.map { $0.rawValue + " " } ?? "") + b
    }

    // MARK: Text

    package static func text(_ report: CheckReport, color: Bool = false) -> String {
        var rows: [[String]] = []
        for a in report.assertions {
            rows.append([a.passed ? "PASS" : "FAIL", "\(a.span.file.name):\(a.span.line)", label(a),
                         a.actual ?? "", bound(a), a.margin.map { _ in "margin " + margin(a) } ?? ""])
        }
        var out = ""
        if !rows.isEmpty {
            let table = TextRenderer(color: false).table(rows, rightAligned: [3], boldRows: [])
            for (line, a) in zip(table.split(separator: "\n", omittingEmptySubsequences: false), report.assertions) {
                let status = a.passed ? "PASS" : "FAIL"
                var text = String(line.dropFirst(2))
                if color, let range = text.firstRange(of: status) {
                    text.replaceSubrange(range, with: "\u{1B}[\(a.passed ? "32" : "1;31")m\(status)\u{1B}[0m")
                }
                out += text + "\n"
            }
        }
        return out + report.summary + "\n"
    }

    // MARK: JSON

    static func quantity(_ q: Quantity?) -> JSON {
        q.map(JSONRenderer.quantity) ?? .null
    }

    static func diagnostic(_ d: Diagnostic) -> JSON {
        .object([
            ("severity", .string(d.severity.rawValue)),
            ("kind", .string(d.kind.rawValue)),
            ("file", d.span.map { .string($0.file.name) } ?? .null),
            ("line", d.span.map { .number(String($0.line)) } ?? .null),
            ("column", d.span.map { .number(String($0.column)) } ?? .null),
            ("message", .string(d.message)),
            ("hints", .array(d.hints.map { .string($0) })),
        ])
    }

    /// The documented, versioned report: see the README's "check --format json".
    package static func json(_ report: CheckReport) -> JSON {
        .object([
            ("schema", .number("1")),
            ("status", .number(String(report.status))),
            ("summary", .object([
                ("assertions", .number(String(report.assertions.count))),
                ("passed", .number(String(report.passed))),
                ("failed", .number(String(report.failed))),
                ("errors", .number(String(report.errors))),
            ])),
            ("assertions", .array(report.assertions.map { a in
                .object([
                    ("file", .string(a.span.file.name)),
                    ("line", .number(String(a.span.line))),
                    ("column", .number(String(a.span.column))),
                    ("message", a.message.map { .string($0) } ?? .null),
                    ("expression", .string(a.source)),
                    ("group", a.group.map { g in .object([("tag", .string(g.key)), ("value", g.value.map { .string($0) } ?? .null)]) } ?? .null),
                    ("passed", .bool(a.passed)),
                    ("operator", a.comparison.map { .string($0.rawValue) } ?? .null),
                    ("actual", quantity(a.actualQuantity)),
                    ("bound", quantity(a.boundQuantity)),
                    ("margin", quantity(a.margin)),
                    ("margin_percent", a.marginShare.map { share in
                        JSONRenderer.exact(share.multiplied(by: Rational(100)) ?? share)
                    } ?? .null),
                ])
            })),
            ("diagnostics", .array(report.diagnostics.map(diagnostic) + report.unreadable.map { u in
                .object([("severity", .string("error")), ("kind", .string("io")), ("file", .string(u.path)),
                         ("line", .null), ("column", .null), ("message", .string(u.message)), ("hints", .array([]))])
            })),
        ])
    }

    // MARK: JUnit

    static func attribute(_ text: String) -> String { Escaping.xmlAttribute(text) }

    /// One `<testsuite>` per file, one `<testcase>` per assertion; input
    /// errors are `<testcase>`s with an `<error>`.
    package static func junit(_ report: CheckReport) -> String {
        var files: [String] = []
        for name in report.assertions.map(\.span.file.name) + report.diagnostics.compactMap(\.span?.file.name) + report.unreadable.map(\.path)
            where !files.contains(name) { files.append(name) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tally check\" tests=\"\(report.assertions.count + report.errors)\" failures=\"\(report.failed)\" errors=\"\(report.errors)\">\n"
        for file in files {
            let assertions = report.assertions.filter { $0.span.file.name == file }
            let errors = report.diagnostics.filter { $0.severity == .error && $0.span?.file.name == file }
            let unreadable = report.unreadable.filter { $0.path == file }
            let failures = assertions.filter { !$0.passed }.count
            out += "  <testsuite name=\"\(attribute(file))\" tests=\"\(assertions.count + errors.count + unreadable.count)\" failures=\"\(failures)\" errors=\"\(errors.count + unreadable.count)\">\n"
            for a in assertions {
                out += "    <testcase name=\"\(attribute(label(a)))\" classname=\"\(attribute(file))\" file=\"\(attribute(file))\" line=\"\(a.span.line)\">\n"
                if !a.passed {
                    var detail = a.source
                    if let actual = a.actual { detail += "\nactual: \(actual)\nbound: \(bound(a))\nmargin: \(margin(a))" }
                    out += "      <failure message=\"\(attribute("assertion failed: " + label(a)))\" type=\"assertion\">\(Escaping.xmlText(detail))</failure>\n"
                }
                out += "    </testcase>\n"
            }
            for e in errors {
                let location = e.span.map { "\($0.file.name):\($0.line):\($0.column)" } ?? file
                out += "    <testcase name=\"\(attribute(location))\" classname=\"\(attribute(file))\" file=\"\(attribute(file))\" line=\"\(e.span?.line ?? 0)\">\n"
                out += "      <error message=\"\(attribute(e.message))\" type=\"\(e.kind.rawValue)\">\(Escaping.xmlText(DiagnosticRenderer().render(e)))</error>\n"
                out += "    </testcase>\n"
            }
            for u in unreadable {
                out += "    <testcase name=\"\(attribute(u.path))\" classname=\"\(attribute(u.path))\" file=\"\(attribute(u.path))\">\n"
                out += "      <error message=\"\(attribute(u.message))\" type=\"io\"></error>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    // MARK: GitHub

    /// `::error file=…,line=…,col=…,title=…::message` for each failed assertion
    /// and input error, `::warning` for warnings; `::notice` for passed
    /// assertions with `verbose`.
    package static func github(_ report: CheckReport, verbose: Bool) -> String {
        var out = ""
        for a in report.assertions where verbose || !a.passed {
            let command = a.passed ? "notice" : "error"
            let title = a.passed ? "assertion holds" : "assertion failed"
            var message = label(a)
            if let actual = a.actual { message += ": \(actual), bound \(bound(a)), margin \(margin(a))" }
            out += "::\(command) file=\(Escaping.githubProperty(a.span.file.name)),line=\(a.span.line),col=\(a.span.column),title=\(Escaping.githubProperty(title))::\(Escaping.githubData(message))\n"
        }
        for d in report.diagnostics {
            let command = d.severity == .error ? "error" : (d.severity == .warning ? "warning" : "notice")
            var location = ""
            if let span = d.span {
                location = " file=\(Escaping.githubProperty(span.file.name)),line=\(span.line),col=\(span.column),"
                location += "title=\(Escaping.githubProperty("tally \(d.severity.rawValue)"))"
            }
            let hint = d.hints.isEmpty ? "" : " (" + d.hints.joined(separator: "; ") + ")"
            out += "::\(command)\(location)::\(Escaping.githubData(d.message + hint))\n"
        }
        for u in report.unreadable {
            out += "::error file=\(Escaping.githubProperty(u.path))::\(Escaping.githubData(u.message))\n"
        }
        return out
    }

    // MARK: Markdown

    package static func markdown(_ report: CheckReport) -> String {
        var out = "### Tally check: \(report.summary)\n\n"
        if !report.assertions.isEmpty {
            out += "| | assertion | actual | bound | margin |\n|---|---|---:|---:|---:|\n"
            for a in report.assertions {
                let place = Escaping.markdownText("\(a.span.file.name):\(a.span.line)")
                out += "| \(a.passed ? "✅" : "❌") | \(Escaping.markdownText(label(a))) (\(place)) | \(Escaping.markdownText(a.actual ?? "")) | \(Escaping.markdownText(bound(a))) | \(Escaping.markdownText(margin(a))) |\n"
            }
        }
        let problems = report.diagnostics.map { d in
            "- **\(d.severity.rawValue)** \(Escaping.markdownText(d.span.map { "\($0.file.name):\($0.line):\($0.column)" } ?? "tally")): \(Escaping.markdownText(d.message))"
        } + report.unreadable.map { "- **error** \(Escaping.markdownText($0.path)): \(Escaping.markdownText($0.message))" }
        if !problems.isEmpty { out += "\n" + problems.joined(separator: "\n") + "\n" }
        return out
    }
}
