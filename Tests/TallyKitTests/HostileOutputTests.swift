import Foundation
import FoundationXML
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Hostile strings (assert messages, `show` strings, price names and sources,
/// workload and tag names, the file's own name) through every output format
/// of `run`, `check`, `diff` and `eval`, read back by real parsers.
@Suite(.serialized) struct HostileOutputTests {
    /// A legal Linux file name with CR, LF, a workflow command, `,`, `|`, `<`
    /// and `#` in it.
    static let fileName = "evil\r\n::error file=README.md,line=1::x,y|z<b>#h.tally"
    static let budget = "budget\n::error file=README.md,line=1::forged, too | # x"
    static let escapes = "esc \u{1B}]0;title\u{7} c1 \u{9B}2J bidi \u{202E} ls \u{2028} end"
    static let shown = "line\n::warning::forged\n# heading\n| a | b |\n<script>x</script> \u{1B}[31m"

    /// Tally source for a string literal: `\n` and `"` escaped, the rest raw.
    static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static let script = """
        price mine < input $1/1M tokens; output $2/1M tokens; name \(literal("Mine\n# forged | x")); source \(literal("src\n::error::forged <b>\u{1B}[2J")) >
        workload __chat__ < model mine; requests 1000/day; tag team=__t__ >
        workload other < model nova-micro; requests 10/day >
        assert total < $0/month, \(literal(budget))
        assert 1 > 2, \(literal(escapes))
        assert 1 < 2, "holds | # x <b>"
        show \(literal(shown))
        show "=HYPERLINK(\\"http://x\\",\\"y\\")"
        show __chat__
        show total by tag team

        """

    /// A directory holding `script` under `fileName`, and `old.tally` for `diff`.
    func withDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let directory = NSTemporaryDirectory() + "tally-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.script.write(toFile: directory + "/" + Self.fileName, atomically: false, encoding: .utf8)
        try "workload __chat__ < model nova-micro; requests 1000/day >\nworkload gone_ < model nova-micro; requests 1/day >\n"
            .write(toFile: directory + "/old.tally", atomically: false, encoding: .utf8)
        return try body(directory)
    }

    func tally(_ arguments: [String], in directory: String) throws -> TallyBinary.Result {
        try TallyBinary.run(arguments, directory: directory)
    }

    /// Text for a terminal: no control but LF, no C1 control, no bidi control
    /// or line separator.
    func expectVisible(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let raw = text.unicodeScalars.filter { s in
            (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                || (0x2066...0x2069).contains(s.value) || s == "\u{2028}" || s == "\u{2029}"
        }
        #expect(raw.isEmpty, "raw \(raw.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
    }

    // MARK: GitHub

    /// GitHub's runner's own unescaping of a property.
    func unescapeProperty(_ text: Substring) -> String {
        text.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",")
            .replacingOccurrences(of: "%25", with: "%")
    }

    @Test func githubHasOneCommandPerFinding() throws {
        try withDirectory { directory in
            for (verbose, expected) in [(false, 2), (true, 3)] {
                let r = try tally(["check", "--format", "github"] + (verbose ? ["--verbose"] : []) + [Self.fileName], in: directory)
                #expect(r.status == 1)
                #expect(!r.stdout.contains("\r"))
                let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                #expect(r.stdout.hasSuffix("\n"))
                #expect(lines.count == expected)
                for line in lines {
                    #expect(line.hasPrefix("::error ") || line.hasPrefix("::notice "), "\(line)")
                    // Properties end at the first `::`; each decodes to what Tally meant.
                    let afterCommand = line.dropFirst(2).drop { $0 != " " }.dropFirst()
                    let end = try #require(afterCommand.firstRange(of: "::"))
                    let properties = afterCommand[..<end.lowerBound].split(separator: ",")
                    #expect(properties.map { $0.prefix { $0 != "=" } } == ["file", "line", "col", "title"], "\(line)")
                    #expect(unescapeProperty(properties[0].dropFirst(5)) == Self.fileName)
                }
                let data = lines[0].split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)[2]
                #expect(unescapeProperty(data).hasPrefix(Self.budget + ": "), "\(data)")
                #expect(lines[1].contains("esc \u{241B}]0;title\u{2407} c1 \u{FFFD}2J bidi \u{FFFD} ls \u{FFFD} end"))
            }
        }
    }

    @Test func githubEscapesHostileDiagnostics() throws {
        let text = "import \(Self.literal("x\n::error::forged|<b>.tally"))\nworkload w < model \(Self.literal("m\n::error::x")) >\n"
        try withDirectory { directory in
            try text.write(toFile: directory + "/errors.tally", atomically: false, encoding: .utf8)
            let r = try tally(["check", "--format", "github", "errors.tally"], in: directory)
            #expect(r.status == 2)
            let json = try tally(["check", "--format", "json", "errors.tally"], in: directory)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let findings = try #require(report["diagnostics"] as? [Any]).count
            #expect(findings >= 2)
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == findings)
            #expect(lines.allSatisfy { $0.hasPrefix("::error file=errors.tally,line=") || $0.hasPrefix("::warning file=errors.tally,line=") })
            #expect(lines.filter { $0.contains("forged") }.allSatisfy { $0.contains("x%0A::error::forged|<b>.tally") })
        }
    }

    // MARK: JUnit

    @Test func junitParsesAndKeepsTheStrings() throws {
        try withDirectory { directory in
            let r = try tally(["check", "--format", "junit", Self.fileName], in: directory)
            #expect(r.status == 1)
            let root = try #require(try XMLDocument(data: Data(r.stdout.utf8)).rootElement())
            let suite = try #require(root.elements(forName: "testsuite").first)
            #expect(suite.attribute(forName: "name")?.stringValue == Self.fileName)
            let cases = suite.elements(forName: "testcase")
            #expect(cases.count == 3)
            let messages = cases.compactMap { $0.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue }
            #expect(messages == [
                "assertion failed: " + Self.budget,
                "assertion failed: esc \u{241B}]0;title\u{2407} c1 \u{FFFD}2J bidi \u{FFFD} ls \u{FFFD} end",
            ])
            #expect(cases[2].attribute(forName: "name")?.stringValue == "holds | # x <b>")
            #expect(cases[0].elements(forName: "failure").first?.stringValue?.hasPrefix("total < $0/month\nactual: ") == true)
        }
    }

    // MARK: Markdown

    /// The `|` that end cells: those no backslash escapes.
    func pipes(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for c in line.unicodeScalars {
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "|" { count += 1 }
        }
        return count
    }

    /// Every table row has its header's number of cells; lines start only as
    /// Tally starts them; no raw HTML, no control.
    func expectSafeMarkdown(_ text: String, starts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectVisible(text, sourceLocation: sourceLocation)
        var columns: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                if let columns {
                    #expect(pipes(line) == columns, "\(line)", sourceLocation: sourceLocation)
                } else {
                    columns = pipes(line)
                }
            } else {
                columns = nil
                #expect(line.isEmpty || starts.contains { line.hasPrefix($0) }, "\(line)", sourceLocation: sourceLocation)
            }
            var previous: Character = " "
            for c in line {
                #expect(c != "<" || previous == "\\", "raw < in \(line)", sourceLocation: sourceLocation)
                previous = c
            }
        }
    }

    @Test func markdownCannotAddHeadingsRowsOrHTML() throws {
        try withDirectory { directory in
            let check = try tally(["check", "--format", "markdown", Self.fileName], in: directory)
            #expect(check.status == 1)
            expectSafeMarkdown(check.stdout, starts: ["### Tally check: "])
            #expect(check.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == 4)

            let run = try tally(["run", "--format", "markdown", Self.fileName], in: directory)
            #expect(run.status == 1)
            // The two `show "…"` lines start with the expression's quote; the
            // breakdown with its heading, summary and assumptions.
            expectSafeMarkdown(run.stdout, starts: ["\"", "#### \\_\\_chat\\_\\_ — Mine \\# forged \\| x (mine)", "30,417 ", "Assumed: "])
            #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("#") } == ["#### \\_\\_chat\\_\\_ — Mine \\# forged \\| x (mine)"])
            #expect(run.stdout.contains("| \\_\\_t\\_\\_ | \\_\\_chat\\_\\_ | $48.67 |"))

            let diff = try tally(["diff", "--format", "markdown", "old.tally", Self.fileName], in: directory)
            #expect(diff.status == 0)
            expectSafeMarkdown(diff.stdout, starts: ["### Tally cost diff", "**", "Monthly estimates"])
            #expect(diff.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == 1 + 3 + 1)

            let errors = "workload w < model \(Self.literal("m\n# forged\n| a | b |\n<img src=x>")) >\n"
            try errors.write(toFile: directory + "/errors.tally", atomically: false, encoding: .utf8)
            let broken = try tally(["check", "--format", "markdown", "errors.tally"], in: directory)
            #expect(broken.status == 2)
            expectSafeMarkdown(broken.stdout, starts: ["### Tally check: ", "- **error** ", "- **warning** "])
        }
    }

    // MARK: CSV

    @Test func csvParsesIntoItsRows() throws {
        try withDirectory { directory in
            let r = try tally(["run", "--format", "csv", Self.fileName], in: directory)
            #expect(r.status == 1)
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", "-c", "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, newline='')))))"]
            let input = Pipe()
            let output = Pipe()
            python.standardInput = input
            python.standardOutput = output
            try python.run()
            input.fileHandleForWriting.write(Data(r.stdout.utf8))
            try input.fileHandleForWriting.close()
            let parsed = output.fileHandleForReading.readDataToEndOfFile()
            python.waitUntilExit()
            let rows = try #require(try JSONSerialization.jsonObject(with: parsed) as? [[String]])
            // The header, two strings, chat's input, output and total, two tag groups.
            #expect(rows.count == 1 + 2 + 3 + 2)
            #expect(rows.allSatisfy { $0.count == 10 })
            // Exact but where a line inside a field would be a workflow command in a CI log.
            #expect(rows.dropFirst().allSatisfy { $0[0] == "evil\r\n:\u{2236}error file=README.md,line=1::x,y|z<b>#h.tally" })
            #expect(rows[1][5] == "line\n:\u{2236}warning::forged\n# heading\n| a | b |\n<script>x</script> \u{241B}[31m")
            #expect(rows[2][5] == "'=HYPERLINK(\"http://x\",\"y\")")
            #expect(rows[3][3] == "__chat__")
        }
    }

    // MARK: JSON

    @Test func jsonKeepsEveryStringExactly() throws {
        try withDirectory { directory in
            let check = try tally(["check", "--format", "json", Self.fileName], in: directory)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
            let assertions = try #require(report["assertions"] as? [[String: Any]])
            #expect(assertions.map { $0["message"] as? String } == [Self.budget, Self.escapes, "holds | # x <b>"])
            #expect(assertions.allSatisfy { $0["file"] as? String == Self.fileName })

            let run = try tally(["run", "--format", "json", Self.fileName], in: directory)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
            #expect(items.count == 4)
            #expect((items[0]["result"] as? [String: String]) == ["value": Self.shown])
            let chat = try #require(items[2]["result"] as? [String: Any])
            #expect(chat["name"] as? String == "__chat__")
            let rates = ((chat["lines"] as? [[String: Any]])?.first?["rates"] as? [[String: Any]])
            #expect(rates?.first?["source"] as? String == "src\n::error::forged <b>\u{1B}[2J")

            let diff = try tally(["diff", "--format", "json", "old.tally", Self.fileName], in: directory)
            let files = try #require((try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])?["files"] as? [[String: Any]])
            #expect(files.first?["file"] as? String == Self.fileName)

            let eval = try TallyBinary.run(["eval", "--format", "json", Self.literal(Self.shown)])
            #expect(eval.status == 0)
            #expect((try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: String]) == ["value": Self.shown])
        }
    }

    // MARK: Text

    @Test func textShowsControlsVisibly() throws {
        try withDirectory { directory in
            let check = try tally(["check", Self.fileName], in: directory)
            expectVisible(check.stdout)
            // Three assertions and the summary: no line added by a string.
            #expect(check.stdout.split(separator: "\n").count == 4)
            #expect(check.stdout.contains("budget\u{240A}::error file=README.md,line=1::forged, too | # x"))
            #expect(check.stdout.contains("evil\u{240D}\u{240A}::error"))

            let run = try tally(["run", Self.fileName], in: directory)
            expectVisible(run.stdout)
            #expect(run.stdout.contains("<script>x</script> \u{241B}[31m"))
            #expect(run.stdout.contains("src\u{240A}::error::forged <b>\u{241B}[2J"))

            let diff = try tally(["diff", "old.tally", Self.fileName], in: directory)
            expectVisible(diff.stdout)
            #expect(diff.stdout.hasPrefix("evil\u{240D}\u{240A}::error file=README.md,line=1::x,y|z<b>#h.tally: old.tally → "))

            let eval = try TallyBinary.run(["eval", Self.literal(Self.shown)])
            expectVisible(eval.stdout)
            #expect(eval.stdout == Escaping.visible(Self.shown) + "\n")
        }
    }

    // MARK: CI logs

    /// Nothing but `check --format github` prints a line GitHub's runner reads
    /// as a workflow command: none starts with `::` after blanks, none holds
    /// `##[`, whatever the file names and strings; JSON keeps the exact strings.
    @Test func noOtherOutputIsAWorkflowCommand() throws {
        let directory = NSTemporaryDirectory() + "tally-workflow-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let name = "::error::lead.tally"
        let message = "a\n::warning::w ##[error]e"
        try """
            workload chat < model nova-micro; requests 1000/day >
            show "##[error]shown"
            assert chat < $0/month, \(Self.literal(message))
            show nope # ##[error]in the source line

            """.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        var outputs: [(String, TallyBinary.Result)] = []
        for format in ["text", "json", "csv", "markdown"] {
            outputs.append(("run --format \(format)", try tally(["run", "--format", format, name], in: directory)))
        }
        for format in ["text", "json", "junit", "markdown"] {
            outputs.append(("check --format \(format)", try tally(["check", "--format", format, name], in: directory)))
        }
        outputs.append(("diff", try tally(["diff", name, name], in: directory)))
        outputs.append(("eval", try tally(["eval", "-f", name, "\"##[error]e\""], in: directory)))
        for (command, result) in outputs {
            #expect(result.status == 2, "\(command)")
            for line in (result.stdout + "\n" + result.stderr).split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                let start = line.drop { $0.isWhitespace }
                #expect(!start.hasPrefix("::") && !line.contains("##["), "\(command): \(line)")
            }
        }
        let json = try tally(["check", "--format", "json", name], in: directory)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let assertions = try #require(report["assertions"] as? [[String: Any]])
        #expect(assertions.first?["message"] as? String == message)
        #expect(assertions.first?["file"] as? String == name)
        // The format meant for the runner still is its commands, one per finding.
        let github = try tally(["check", "--format", "github", name], in: directory)
        #expect(github.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::error::") })
    }
}
