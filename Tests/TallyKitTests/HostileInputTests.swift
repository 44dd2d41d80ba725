import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// What an attacker would put in a pull request, through every entry point
/// that reads source: each exits 2 within 5 s with under 2 MB of output.
@Suite struct HostileInputTests {
    struct Input: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        var testDescription: String { name }

        /// As one command-line argument: no NUL, and within Linux's 128 KiB
        /// per argument.
        var argument: String? {
            text.contains("\u{0}") ? nil : String(decoding: text.utf8.prefix(120_000), as: UTF8.self)
        }
    }

    static let inputs: [Input] = {
        var generator = Generator(state: 16)
        let alphabet = Array("@?~`^&|{}[]\\'!: x1<(")
        let junk = String((0..<16_384).map { _ in generator.pick(alphabet) })
        return [
            Input(name: "20,000 @", text: String(repeating: "@", count: 20_000)),
            Input(name: "20,000 NUL bytes", text: String(repeating: "\u{0}", count: 20_000)),
            Input(name: "20,000 numbers too large", text: String(repeating: "99999999999999999999999999999999999999999 ", count: 20_000)),
            Input(name: "a 16 kB line of junk", text: junk),
            Input(name: "a 64 kB unknown name", text: "show " + String(repeating: "a", count: 64 << 10)),
            Input(name: "a 1 MiB unknown name", text: "show " + String(repeating: "a", count: 1 << 20)),
            // Found by MutatedInputTests: each once searched every name for a "did you mean".
            Input(name: "20,000 unknown names", text: String(repeating: "show sonet-4.5\n", count: 20_000)),
            Input(name: "20,000 unknown models", text: String(repeating: "workload w < model sonet-4.5; requests 1/day >\n", count: 20_000)),
        ]
    }()

    struct Finished {
        let status: Int32
        let stdout: Data
        let stderr: Data
        let seconds: Double
        var outputBytes: Int { stdout.count + stderr.count }
    }

    /// Runs TALLY_BIN in `directory` with output to files (no pipe to fill),
    /// killing it after 60 s so a hang fails the test instead of stalling it.
    static func run(_ arguments: [String], stdin: String? = nil, in directory: String) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TallyBinary.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let id = UUID().uuidString
        let outPath = directory + "/out-\(id)"
        let errPath = directory + "/err-\(id)"
        let inPath = directory + "/in-\(id)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        defer { for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) } }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        let start = Date()
        try process.run()
        while process.isRunning {
            if Date().timeIntervalSince(start) > 60 { process.terminate() }
            usleep(10_000)
        }
        let seconds = Date().timeIntervalSince(start)
        let read = { (path: String) in FileManager.default.contents(atPath: path) ?? Data() }
        return Finished(status: process.terminationStatus, stdout: read(outPath), stderr: read(errPath), seconds: seconds)
    }

    @Test(arguments: inputs)
    func everyEntryPointEndsInADiagnostic(_ input: Input) throws {
        let directory = NSTemporaryDirectory() + "tally-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(input.text.utf8).write(to: URL(fileURLWithPath: directory + "/junk.tally"))
        try "import \"junk.tally\"\n".write(toFile: directory + "/main.tally", atomically: true, encoding: .utf8)
        try "workload w < model nova-micro; requests 1/day >\n".write(toFile: directory + "/plan.tally", atomically: true, encoding: .utf8)

        var runs: [(String, [String], String?)] = [
            ("run", ["run", "junk.tally"], nil),
            ("check", ["check", "junk.tally"], nil),
            ("check --format json", ["check", "--format", "json", "junk.tally"], nil),
            ("eval -f", ["eval", "-f", "junk.tally", "1"], nil),
            ("run -", ["run", "-"], input.text),
            ("standard input", [], input.text),
            ("an import", ["run", "main.tally"], nil),
            ("diff", ["diff", "plan.tally", "junk.tally"], nil),
        ]
        if let argument = input.argument {
            runs += [
                ("eval EXPR", ["eval", argument], nil),
                ("eval --set", ["eval", "--set", "x=" + argument, "x"], nil),
                ("diff --fail-above", ["diff", "--fail-above", argument, "plan.tally", "plan.tally"], nil),
            ]
        }
        for (entry, arguments, stdin) in runs {
            let finished = try Self.run(arguments, stdin: stdin, in: directory)
            #expect(finished.status == 2, "\(entry)")
            #expect(finished.outputBytes < 2_000_000, "\(entry)")
            #expect(finished.seconds < 5, "\(entry)")
        }
    }

    /// Once one comment, so `check` passed; now every statement runs.
    @Test func aScriptWithCarriageReturnsOnlyIsChecked() throws {
        let directory = NSTemporaryDirectory() + "tally-cr-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = "# budget\rlet cap = 2\rlet spend = 3\rassert spend < cap, \"over\"\rshow nope\r"
        try script.write(toFile: directory + "/cr.tally", atomically: true, encoding: .utf8)
        let failing = try Self.run(["check", "cr.tally"], in: directory)
        #expect(failing.status == 2)
        #expect(String(decoding: failing.stderr, as: UTF8.self).hasPrefix("cr.tally:5:6: error: unknown name `nope`\n 5 | show nope\n"))
        try script.replacingOccurrences(of: "show nope", with: "").write(toFile: directory + "/cr.tally", atomically: true, encoding: .utf8)
        let text = try Self.run(["check", "cr.tally"], in: directory)
        #expect(text.status == 1)
        #expect(String(decoding: text.stdout, as: UTF8.self).hasPrefix("FAIL  cr.tally:4  over"))
        let github = try Self.run(["check", "--format", "github", "cr.tally"], in: directory)
        #expect(github.status == 1)
        #expect(String(decoding: github.stdout, as: UTF8.self).hasPrefix("::error file=cr.tally,line=4,col=1,"))
    }

    /// The prompt after a 100 kB paste: it answers with bounded diagnostics,
    /// and the session answers the next input.
    @Test func thePromptSurvivesAHundredKilobytePaste() throws {
        var repl = Repl(session: try Session.standard().get())
        _ = repl.feed("let a = 2")
        for paste in [String(repeating: "@ 1 ", count: 25_000), String(repeating: "\u{0}", count: 100_000),
                      "show " + String(repeating: "b", count: 100_000)] {
            let reply = repl.feed(paste)
            #expect(reply.stdout.isEmpty)
            #expect(!reply.stderr.isEmpty && reply.stderr.utf8.count < 100_000)
            #expect(repl.pending.isEmpty)
        }
        // 100 kB pasted as lines that keep a bracket open: gathered (each
        // line read once), then reported once closed.
        for _ in 0..<11_000 { _ = repl.feed("(1 + @@@") }
        #expect(repl.pending.count == 11_000)
        let closed = repl.feed(String(repeating: ")", count: 11_000))
        #expect(closed.stderr.utf8.count < 100_000)
        #expect(repl.feed("a * 3").stdout == "= 6\n")
    }
}
