import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Scripts as a hostile pull request would change them: `FuzzMutator` applied
/// to every example and fixture, 2,000 inputs from a fixed seed, each through
/// `run`, `check` in every machine format and `eval`. Whatever the input, each
/// command ends with 0, 1 or 2, prints a bounded amount, and its machine output
/// is what it claims to be: JSON that parses, XML that parses, one GitHub
/// workflow command per finding.
@Suite struct MutatedInputTests {
    static let inputCount = 2_000
    static let shards = 8
    /// More than any of these commands should print for one file.
    static let outputLimit = 2 << 20

    static let seeds: [[UInt8]] = (Repository.files(under: Repository.examples, extension: "tally")
        + Repository.files(under: Repository.fixtures, extension: "tally"))
        .map { Array(Repository.read($0).utf8) }
        .filter { !$0.isEmpty }

    struct Failure: CustomStringConvertible {
        let input: Int
        let what: String
        let text: [UInt8]
        var description: String {
            "input \(input): \(what)\n--- input (first 400 bytes) ---\n\(String(decoding: text.prefix(400), as: UTF8.self))"
        }
    }

    @Test(arguments: 0..<shards)
    func mutatedScriptsStayHarmless(shard: Int) throws {
        #expect(Self.seeds.count >= 20)
        let mutator = FuzzMutator(donors: Self.seeds)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-mutated-\(getpid())-\(shard)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("plan.tally").path
        var failures: [Failure] = []
        for input in stride(from: shard, to: Self.inputCount, by: Self.shards) {
            var random = FuzzMutator.Random(seed: UInt64(input) &* 7919 &+ 2026)
            let seed = random.pick(Self.seeds)
            let text = mutator.mutate(seed, maxSize: 1 << 20, random: &random)
            try Data(text).write(to: URL(fileURLWithPath: path))
            for problem in Self.problems(path: path) {
                failures.append(Failure(input: input, what: problem, text: text))
            }
            if failures.count >= 3 { break }
        }
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n\n"))")
    }

    /// What is wrong with the commands' answers for the script at `path`.
    static func problems(path: String) -> [String] {
        var problems: [String] = []
        let start = ContinuousClock.now
        func expectSane(_ name: String, _ output: CommandOutput) {
            if ![0, 1, 2].contains(output.status) { problems.append("\(name): exit \(output.status)") }
            let size = output.stdout.utf8.count + output.stderr.utf8.count
            if size > outputLimit { problems.append("\(name): \(size) bytes of output") }
        }
        expectSane("run", Commands.run(paths: [path]))

        let json = Commands.check(paths: [path], format: .json)
        expectSane("check --format json", json)
        let report = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        if report == nil { problems.append("check --format json: not a JSON object") }

        let junit = Commands.check(paths: [path], format: .junit)
        expectSane("check --format junit", junit)
        #if canImport(FoundationXML) || canImport(Darwin)
        if !XMLParser(data: Data(junit.stdout.utf8)).parse() { problems.append("check --format junit: not well-formed XML") }
        #endif

        let github = Commands.check(paths: [path], format: .github)
        expectSane("check --format github", github)
        if let report, let summary = report["summary"] as? [String: Any], let failed = summary["failed"] as? Int,
           let diagnostics = report["diagnostics"] as? [Any] {
            let lines = github.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let commands = lines.filter { $0.hasPrefix("::") }.count
            if commands != lines.count { problems.append("check --format github: \(lines.count - commands) lines that are not workflow commands") }
            if commands != failed + diagnostics.count {
                problems.append("check --format github: \(commands) workflow commands for \(failed + diagnostics.count) findings")
            }
        }
        if github.status != json.status { problems.append("check: exit \(github.status) in github format, \(json.status) in json") }

        expectSane("check --format markdown", Commands.check(paths: [path], format: .markdown))

        let eval = Commands.eval(files: [path], expression: "total", format: .json)
        expectSane("eval total", eval)
        if eval.status == 0, (try? JSONSerialization.jsonObject(with: Data(eval.stdout.utf8))) == nil {
            problems.append("eval --format json: not JSON")
        }
        // A hang guard, not a timing: six commands over a script of at most
        // 1 MiB take well under a second in a release build, a few in a debug
        // build on a loaded machine.
        if ContinuousClock.now - start > .seconds(30) { problems.append("took more than 30 s") }
        return problems
    }

    /// The mutator itself is deterministic and bounded, so a failing input is
    /// named by its number alone.
    @Test func mutationsAreDeterministicAndBounded() {
        let mutator = FuzzMutator(donors: Self.seeds)
        var distinct = Set<[UInt8]>()
        for n in 0..<200 {
            var a = FuzzMutator.Random(seed: UInt64(n))
            var b = FuzzMutator.Random(seed: UInt64(n))
            let seed = Self.seeds[n % Self.seeds.count]
            let one = mutator.mutate(seed, maxSize: 4096, random: &a)
            #expect(one == mutator.mutate(seed, maxSize: 4096, random: &b))
            #expect(one.count <= 4096)
            distinct.insert(one)
        }
        #expect(distinct.count > 150)
    }
}

/// `Tests/Fuzz/tally.dict`, libFuzzer's dictionary, holds every word of the
/// language. `TALLY_UPDATE_GOLDEN=1` rewrites it.
@Suite struct FuzzDictionaryTests {
    static let path = Repository.root + "/Tests/Fuzz/tally.dict"

    static var entries: [String] {
        var words = Keyword.allCases.map(\.rawValue) + Parser.contextualWords.sorted()
        words += WorkloadSchema.Block.allCases.flatMap(WorkloadSchema.names(for:))
        words += Units.byName.keys.sorted()
        words += ["(", ")", "<", ">", "<=", ">=", "==", "!=", "+", "-", "*", "/", ",", ";", "=", "..", "$", "%", "\"", "#",
                  "\n", "\r", "\r\n", "$3/1M tokens", "3000/day", "2k..5k", "60%", "1.5M", "sonnet-4.5", "nova-micro", "us-east-1"]
        words += FuzzMutator.strings.filter { !$0.isEmpty }
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }

    static func line(_ word: String) -> String {
        var out = "\""
        for byte in word.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20..<0x7F: out += String(UnicodeScalar(byte))
            default: out += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out + "\""
    }

    @Test func dictionaryHoldsEveryWord() throws {
        let expected = Self.entries.map(Self.line)
        if ProcessInfo.processInfo.environment["TALLY_UPDATE_GOLDEN"] == "1" {
            let header = "# libFuzzer's dictionary of Tally's words (Scripts/fuzz passes it with -dict).\n"
                + "# FuzzDictionaryTests checks it; TALLY_UPDATE_GOLDEN=1 Scripts/test --filter FuzzDictionaryTests rewrites it.\n"
            try (header + expected.joined(separator: "\n") + "\n").write(toFile: Self.path, atomically: true, encoding: .utf8)
        }
        let present = Set(Repository.read(Self.path).split(separator: "\n").map(String.init))
        let missing = expected.filter { !present.contains($0) }
        #expect(missing.isEmpty, "missing from Tests/Fuzz/tally.dict: \(missing.joined(separator: " "))")
    }
}
