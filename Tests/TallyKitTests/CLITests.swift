import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Runs the built `tally` binary as a user would and checks what it prints and
/// how it exits. Scripts/test sets TALLY_BIN; otherwise the debug build is used.
/// `tally run` of a script that declares costs and shows nothing prints its
/// total (with a note on standard error); `--quiet` and the machine formats
/// print only what the script shows.
@Suite struct SilentScriptTests {
    static let silent = "Tests/Fixtures/newcomer/silent.tally"

    @Test func aScriptThatShowsNothingPrintsItsTotal() throws {
        let run = try TallyBinary.run(["run", Self.silent])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("total — 3 workloads\n"))
        #expect(run.stdout.contains("  total  ") && run.stdout.contains("$701.11"))
        #expect(run.stderr == "tally: note: \(Self.silent) shows nothing, so its total is printed "
                + "(`show` chooses what to print; --quiet prints nothing)\n")
    }

    @Test func quietAndTheMachineFormatsPrintOnlyWhatIsShown() throws {
        let quiet = try TallyBinary.run(["run", "--quiet", Self.silent])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        let json = try TallyBinary.run(["run", "--format", "json", Self.silent])
        #expect(json.status == 0 && json.stdout == "[]\n" && json.stderr.isEmpty)
        // A script that shows something prints just that; one with nothing to total prints nothing.
        let shown = try TallyBinary.run(["run", "Examples/support.tally"])
        #expect(!shown.stderr.contains("shows nothing"))
        let empty = try TallyBinary.run(["run", "-"], stdin: "let x = 1\n")
        #expect(empty.status == 0 && empty.stdout.isEmpty && empty.stderr.isEmpty)
    }
}

/// What `swift build` links into `tally` (Package.swift; the release binary
/// Scripts/tally runs is built the same way): the Swift runtime and
/// FoundationEssentials statically, libedit not at all (the prompt loads it).
@Suite struct LinkingTests {
    @Test func theBinaryLoadsNeitherTheSwiftRuntimeNorLibeditAtStart() throws {
        let run = try runProgram("/usr/bin/ldd", [TallyBinary.binary])
        let libraries = String(decoding: run.stdout, as: UTF8.self)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(libraries.contains("libc.so"))
        for shared in ["libswiftCore", "libFoundation", "libdispatch", "libedit", "libtinfo"] {
            #expect(!libraries.contains(shared), "\(shared) in \(libraries)")
        }
    }
}

struct TallyBinary {
    static let binary = ProcessInfo.processInfo.environment["TALLY_BIN"] ?? Repository.root + "/.build/debug/tally"

    struct Result {
        let stdout: String
        let stderr: String
        let status: Int32
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: String = Repository.root) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self),
                      status: process.terminationStatus)
    }
}

@Suite(.serialized) struct CLITests {
    static let chat = "workload chat < model sonnet-4.5; requests 3000/day; cache 60%; input 1000 tokens; output 300 tokens >\n"

    func withScript<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "tally-cli-\(UUID().uuidString).tally"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    @Test func evalOfTheReferenceWorkload() throws {
        let r = try withScript(Self.chat) { try TallyBinary.run(["eval", "-f", $0, "chat in $/month"]) }
        #expect(r.stdout == "$536.55/month\n")
        // 60% of 1,000 input tokens is shorter than Sonnet caches: priced as written, with a warning.
        #expect(r.stderr.contains("warning: a cached prefix of 60% of 1,000 input tokens, 600 tokens, is shorter than the 1,024 tokens sonnet-4.5 caches"))
        #expect(r.status == 0)
    }

    @Test func evalJSON() throws {
        let r = try withScript(Self.chat) { try TallyBinary.run(["eval", "--format", "json", "-f", $0, "chat in $/month"]) }
        #expect(r.stdout == "{\"value\": \"536.55\", \"unit\": \"$/month\"}\n")
        let b = try TallyBinary.run(["eval", "--format", "json", "$0.1 + $0.2 == $0.3"])
        #expect(b.stdout == "{\"value\": true}\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String]
        #expect(parsed == ["value": "536.55", "unit": "$/month"])
    }

    @Test func booleansSetTheStatusLikeTest() throws {
        let yes = try TallyBinary.run(["eval", "$0.1 + $0.2 == $0.3"])
        #expect(yes.stdout == "true\n")
        #expect(yes.status == 0)
        let no = try TallyBinary.run(["eval", "1 day > 2 days"])
        #expect(no.stdout == "false\n")
        #expect(no.status == 1)
    }

    @Test func perDayInPerMonth() throws {
        let r = try TallyBinary.run(["eval", "3000/day in 1/month"])
        #expect(r.stdout == "91,250/month\n")
    }

    @Test func dimensionErrorExitsTwoWithACaret() throws {
        let r = try TallyBinary.run(["eval", "$5 + 3 tokens"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            <eval>:1:4: error: cannot add $ and tokens
             1 | $5 + 3 tokens
               | -- ^ -------- tokens
               | |
               | $

            """)
    }

    @Test func defaultsAreNamed() throws {
        let r = try withScript("workload chat < model sonnet-4.5; requests 3000/day; cache 60% >\nshow chat\n") {
            try TallyBinary.run(["run", $0])
        }
        #expect(r.status == 0)
        #expect(r.stdout.contains("assumed: input 1,000 tokens/request (default); output 300 tokens/request (default)"))
        #expect(r.stdout.contains("$536.55"))
    }

    @Test func aFileAloneIsRun() throws {
        let r = try TallyBinary.run(["Examples/support.tally"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("chat — Claude Sonnet 4.5"))
        #expect(r.stderr == "")
    }

    @Test func checkExitCodes() throws {
        let pass = try withScript(Self.chat + "assert chat < $600/month, \"budget\"\n") { try TallyBinary.run(["check", $0]) }
        #expect(pass.status == 0)
        #expect(pass.stdout.hasPrefix("PASS  "))
        let fail = try withScript(Self.chat + "assert chat < $500/month, \"budget\"\n") { try TallyBinary.run(["check", $0]) }
        #expect(fail.status == 1)
        #expect(fail.stdout.hasPrefix("FAIL  "))
        #expect(fail.stdout.contains("budget  $536.55/month  < $500.00/month  margin −$36.55/month (−7.3%)"))
        let broken = try withScript(Self.chat + "assert chat < $500\n") { try TallyBinary.run(["check", $0]) }
        #expect(broken.status == 2)
        let missing = try TallyBinary.run(["check", "no-such-file.tally"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "tally: error: cannot read no-such-file.tally: no such file\n")
    }

    @Test func runReportsAFailedAssertionWithStatusOne() throws {
        let r = try withScript(Self.chat + "assert chat < $500/month, \"budget\"\n") { try TallyBinary.run(["run", $0]) }
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: assertion failed: budget"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try TallyBinary.run(["eval"]).status == 2)
        #expect(try TallyBinary.run(["eval", "--format", "yaml", "1"]).status == 2)
        #expect(try TallyBinary.run(["run", "--bogus", "x"]).status == 2)
        let help = try TallyBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE"))
    }

    @Test func standardInputIsAScriptWhenNotATerminal() throws {
        let ok = try TallyBinary.run([], stdin: Self.chat + "show chat in $/month\n")
        #expect(ok.stdout == "chat in $/month = $536.55/month\n")
        #expect(ok.status == 0)
        let bad = try TallyBinary.run([], stdin: "show nope\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("<stdin>:1:6: error: unknown name `nope`"))
    }

    @Test func noColourWhenNotATerminal() throws {
        let r = try TallyBinary.run(["eval", "$5 + 3 tokens"])
        #expect(!r.stderr.contains("\u{1B}["))
    }

    @Test func everyErrorFixtureExitsTwoWithoutCrashing() throws {
        for path in Repository.files(under: Repository.fixtures + "/errors", extension: "tally") {
            let r = try TallyBinary.run(["run", path])
            #expect(r.status == 2, "\(path)")
            #expect(r.stderr.contains(": error: "), "\(path)")
        }
    }

    @Test func modelsListsAndFilters() throws {
        let claude = try TallyBinary.run(["models", "claude"])
        #expect(claude.status == 0)
        #expect(claude.stdout.contains("sonnet-4.5"))
        #expect(!claude.stdout.contains("nova-micro"))
        // Rates print exactly as published: $4.125, not $4.13.
        #expect(claude.stdout.contains("$4.125"))
        let none = try TallyBinary.run(["models", "no-such-model"])
        #expect(none.status == 2)
    }

    @Test func modelsJSON() throws {
        let r = try TallyBinary.run(["models", "--format", "json", "sonnet-4.5"])
        #expect(r.status == 0)
        let models = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        let sonnet = models?.first { $0["name"] as? String == "sonnet-4.5" }
        #expect(sonnet?["id"] as? String == "anthropic.claude-sonnet-4-5-20250929-v1:0")
        #expect((sonnet?["aliases"] as? [String])?.contains("claude-sonnet-4.5") == true)
        let rates = sonnet?["rates"] as? [[String: Any]] ?? []
        let globalInput = rates.first { $0["kind"] as? String == "input" && $0["endpoint"] as? String == "global" && $0["above_input_tokens"] is NSNull }
        #expect(globalInput?["value"] as? String == "3")
        #expect(globalInput?["unit"] as? String == "$/1M tokens")
        #expect((globalInput?["source"] as? String)?.isEmpty == false)
    }

    @Test func runJSONCarriesTheLines() throws {
        let r = try withScript(Self.chat + "show chat\n") { try TallyBinary.run(["run", "--format", "json", $0]) }
        #expect(r.status == 0)
        let items = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        let result = items?.first?["result"] as? [String: Any]
        #expect(result?["usd_per_month"] as? String == "536.55")
        let lines = result?["lines"] as? [[String: Any]] ?? []
        #expect(lines.map { $0["label"] as? String ?? "" } == ["input", "cache read", "output"])
        #expect(lines.map { $0["usd_per_month"] as? String ?? "" } == ["109.5", "16.425", "410.625"])
    }

    @Test func catalogImportFromLiteLLM() throws {
        let fixture = Repository.fixtures + "/litellm/model_prices.json"
        let out = NSTemporaryDirectory() + "tally-import-\(UUID().uuidString).tally"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try TallyBinary.run(["catalog", "import", "--litellm", fixture, "--as-of", "2026-11", "-o", out])
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("tally: imported 6 Bedrock entries; skipped "))
        let text = Repository.read(out)
        #expect(text.contains("price \"stability.sd3-5-large-v1:0\" <"))
        // A script imports it and prices with it.
        let script = "import \"\(Path.lastComponent(out))\"\nworkload art < model \"stability.sd3-5-large-v1:0\"; requests 1000/month >\nshow art in $/month\n"
        let scriptPath = Path.directory(of: out) + "/tally-import-use-\(UUID().uuidString).tally"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let used = try TallyBinary.run([scriptPath])
        #expect(used.stdout == "art in $/month = $80.00/month\n")
        #expect(used.status == 0)
        let missing = try TallyBinary.run(["catalog", "import", "--litellm", "/no/such.json"])
        #expect(missing.status == 2)
    }
}

@Suite struct CommandNameTests {
    /// The dispatcher's list of subcommands is the parser's.
    @Test func commandNamesMatchTheSubcommands() throws {
        let help = try TallyBinary.run(["--help"])
        let section = help.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        // Each subcommand's line starts with two spaces, its name, and more spaces.
        let listed = Set(section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let first = line.split(separator: " ").first,
                  first.allSatisfy({ $0.isLetter }), first.first?.isLowercase == true else { return nil }
            return String(first)
        })
        #expect(listed.isSuperset(of: ["run", "check", "eval", "diff", "usage", "reconcile", "models", "catalog", "fmt", "lsp"]))
        #expect(listed.subtracting(["run", "check", "eval", "diff", "usage", "reconcile", "models", "catalog", "lsp", "fmt", "help"]).isEmpty, "\(listed)")
    }
}
