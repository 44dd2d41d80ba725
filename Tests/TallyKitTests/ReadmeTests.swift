import Foundation
import Testing
@testable import TallyKit

/// The README runs: every fenced example is executed as a user would, in
/// order, in one scratch directory holding copies of Examples/ and
/// Tests/Fixtures/, and what it shows must be what Tally prints.
///
/// - a ```tally block runs as a script: exit 0, nothing on standard error,
///   and each `show …  # VALUE` comment holds; `<!-- writes: NAME -->` before
///   it saves it as NAME for the commands after it, and `<!-- is: NAME -->`
///   says it is the file NAME a command wrote;
/// - a block of `$ COMMAND` lines runs each command (`Scripts/tally` and
///   `tally` are the built binary) with bash; the lines after it are its
///   standard output, then its standard error; `<!-- abridged -->` lets the
///   block show only some lines, in order;
/// - a block of `tally> ` lines is fed to the prompt, each reply after it
///   (`…` stands for lines left out);
/// - `<!-- needs: PROGRAM -->` runs a block when PROGRAM is on PATH or in
///   the engines' venv (TALLY_ENGINES_BIN); where Scripts/test installed the
///   engines (TALLY_ENGINES_REQUIRED) its absence fails;
/// - `<!-- not run: REASON -->` skips a block that needs what a test
///   machine has not (AWS, Spark, a network), saying why.
///
/// Markers combine with `;`: `<!-- needs: duckdb; abridged -->`.
///
/// Any other fenced block is prose (a layout, a grammar, a workflow file).
@Suite(.serialized) struct ReadmeTests {
    struct Block {
        let info: String
        let lines: [String]
        /// 1-based line of the opening fence.
        let line: Int
        /// The HTML comment just before the block, without `<!--`/`-->`.
        let marker: String?

        var text: String { lines.joined(separator: "\n") + "\n" }
        var markers: [String] { (marker ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } }
        func marker(_ prefix: String) -> String? {
            markers.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) }
        }
        var kind: String {
            if marker("not run:") != nil { return "skipped" }
            if info == "tally" { return "tally" }
            guard info.isEmpty, let first = lines.first else { return "prose" }
            if first.hasPrefix("$ ") { return "commands" }
            if first.hasPrefix("tally> ") { return "prompt" }
            return "prose"
        }
    }

    static func blocks(in markdown: String) -> [Block] {
        var blocks: [Block] = []
        let lines = markdown.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            guard lines[i].hasPrefix("```") else { i += 1; continue }
            let info = String(lines[i].dropFirst(3)).trimmingCharacters(in: .whitespaces)
            var j = i - 1
            while j >= 0, lines[j].trimmingCharacters(in: .whitespaces).isEmpty { j -= 1 }
            var marker: String?
            if j >= 0, lines[j].hasPrefix("<!--"), lines[j].hasSuffix("-->") {
                marker = String(lines[j].dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespaces)
            }
            var body: [String] = []
            var k = i + 1
            while k < lines.count, !lines[k].hasPrefix("```") { body.append(lines[k]); k += 1 }
            blocks.append(Block(info: info, lines: body, line: i + 1, marker: marker))
            i = k + 1
        }
        return blocks
    }

    /// A scratch directory with what the README's commands read.
    static func scratch() throws -> String {
        let directory = try scratchDirectory("readme")
        let manager = FileManager.default
        try manager.copyItem(atPath: Repository.root + "/Examples", toPath: directory + "/Examples")
        try manager.createDirectory(atPath: directory + "/Tests", withIntermediateDirectories: true)
        try manager.copyItem(atPath: Repository.fixtures, toPath: directory + "/Tests/Fixtures")
        return directory
    }

    /// Runs one command line as the README shows it, in `directory`.
    static func shell(_ command: String, in directory: String) throws -> ProgramRun {
        var line = command
        if line.hasPrefix("Scripts/tally ") { line = "tally " + line.dropFirst("Scripts/tally ".count) }
        let script = "tally() { \"$TALLY_BIN\" \"$@\"; }\ncd \"$1\" || exit 99\n" + line + "\n"
        var environment = ProcessInfo.processInfo.environment
        environment["TALLY_BIN"] = TallyBinary.binary
        if let engines = environment["TALLY_ENGINES_BIN"] { environment["PATH"] = engines + ":" + (environment["PATH"] ?? "/usr/bin:/bin") }
        environment["NO_COLOR"] = "1"
        return try runProgram("/bin/bash", ["-c", script, "readme", directory], environment: environment)
    }

    /// True when `actual` holds each line of `shown` in order (`…` skips).
    static func holdsInOrder(_ actual: String, _ shown: [String]) -> Bool {
        var rest = actual.components(separatedBy: "\n")[...]
        for line in shown where line.trimmingCharacters(in: .whitespaces) != "…" {
            guard let found = rest.firstIndex(of: line) else { return false }
            rest = rest[(found + 1)...]
        }
        return true
    }

    @Test func everyExampleRunsAndShowsWhatTallyPrints() throws {
        let blocks = Self.blocks(in: Repository.read(Repository.root + "/README.md"))
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var counts: [String: Int] = [:]
        for block in blocks {
            counts[block.kind, default: 0] += 1
            let place = "README.md:\(block.line)"
            switch block.kind {
            case "tally": try Self.runScript(block, in: directory, place: place)
            case "commands":
                if let program = block.marker("needs:"), !Self.available(program) {
                    #expect(ProcessInfo.processInfo.environment["TALLY_ENGINES_REQUIRED"] == nil, "\(place) needs \(program), which is not installed")
                    counts["needs", default: 0] += 1
                    continue
                }
                try Self.runCommands(block, in: directory, place: place)
            case "prompt": try Self.runPrompt(block, place: place)
            case "skipped": #expect(block.marker("not run:")?.count ?? 0 > 10, "\(place): say why it is not run")
            default: break
            }
        }
        // The README has examples of each kind, and few that cannot run here.
        #expect(counts["tally", default: 0] >= 10 && counts["commands", default: 0] >= 8 && counts["prompt", default: 0] >= 2, "\(counts)")
        #expect(counts["skipped", default: 0] <= 6, "\(counts)")
    }

    /// Whether a program is on PATH or in the engines' venv.
    static func available(_ program: String) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        let directories = (environment["TALLY_ENGINES_BIN"].map { [$0] } ?? []) + (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return directories.contains { FileManager.default.isExecutableFile(atPath: $0 + "/" + program) }
    }

    static func runScript(_ block: Block, in directory: String, place: String) throws {
        if let name = block.marker("is:") {
            let written = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "(missing)"
            #expect(written == block.text, "\(place) is not the \(name) the command above writes:\n\(written)")
            return
        }
        var name = "readme-\(block.line).tally"
        if let written = block.marker("writes:") { name = written }
        try block.text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        let run = try shell("tally run --quiet \(name)", in: directory)
        let stdout = String(decoding: run.stdout, as: UTF8.self)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(place): exit \(run.status)\n\(run.stderr)")
        // `show 3000/day in 1/month   # 91,250/month`: the comment is what it shows.
        for line in block.lines where line.hasPrefix("show ") {
            guard let hash = line.range(of: "  # ") else { continue }
            let value = line[hash.upperBound...].trimmingCharacters(in: .whitespaces)
            guard let first = value.first, first.isNumber || first == "$" else { continue }
            #expect(stdout.contains(" = " + value + "\n") || stdout.contains("\n" + value + "\n") || stdout.hasPrefix(value + "\n"),
                    "\(place): `\(line)` does not show \(value):\n\(stdout)")
        }
    }

    static func runCommands(_ block: Block, in directory: String, place: String) throws {
        var groups: [(command: String, shown: [String])] = []
        for line in block.lines {
            if line.hasPrefix("$ ") {
                groups.append((String(line.dropFirst(2)), []))
            } else if !groups.isEmpty {
                groups[groups.count - 1].shown.append(line)
            }
        }
        let abridged = block.markers.contains("abridged")
        for (command, shown) in groups {
            let run = try shell(command, in: directory)
            let actual = String(decoding: run.stdout, as: UTF8.self) + run.stderr
            let expected = shown.isEmpty ? "" : shown.joined(separator: "\n") + "\n"
            if abridged {
                #expect(holdsInOrder(actual, shown), "\(place): `\(command)` printed:\n\(actual)")
            } else {
                #expect(actual == expected, "\(place): `\(command)` printed:\n\(actual)")
            }
            #expect(run.status == 0 || run.status == 1, "\(place): `\(command)` exited \(run.status)")
        }
    }

    static func runPrompt(_ block: Block, place: String) throws {
        var repl = Repl(session: try Session.standard().get())
        var inputs: [(lines: [String], shown: [String])] = []
        for line in block.lines {
            if line.hasPrefix("tally> ") {
                inputs.append(([String(line.dropFirst(7))], []))
            } else if line.hasPrefix("  ...> "), !inputs.isEmpty {
                inputs[inputs.count - 1].lines.append(String(line.dropFirst(7)))
            } else if !inputs.isEmpty {
                inputs[inputs.count - 1].shown.append(line)
            }
        }
        for (lines, shown) in inputs {
            var reply = Repl.Reply()
            for line in lines { reply = repl.feed(line) }
            let actual = reply.stdout + reply.stderr
            let matches = shown.contains { $0.trimmingCharacters(in: .whitespaces) == "…" }
                ? holdsInOrder(actual, shown) : actual == (shown.isEmpty ? "" : shown.joined(separator: "\n") + "\n")
            #expect(matches, "\(place): `\(lines.joined(separator: " "))` printed:\n\(actual.debugDescription)\nnot\n\(shown.debugDescription)")
        }
    }
}
