import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Paths of the repository, found from this file so tests run from anywhere.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let fixtures = root + "/Tests/Fixtures"
    static let examples = root + "/Examples"

    static func files(under directory: String, extension ext: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { ext.isEmpty || $0.hasSuffix("." + ext) }.sorted().map { directory + "/" + $0 }
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// Runs Tally source in a fresh session over the built-in catalog.
func runSource(_ text: String, name: String = "test.tally") -> Outcome {
    guard var session = try? Session.standard().get() else { fatalError("the built-in catalog did not load") }
    return session.run(SourceFile(name: name, text: text))
}

/// Evaluates one expression after running `script`.
func evaluate(_ expression: String, after script: String = "") -> Result<Value, Diagnostics> {
    guard var session = try? Session.standard().get() else { return .failure(Diagnostics([])) }
    if !script.isEmpty {
        let outcome = session.run(SourceFile(name: "test.tally", text: script))
        if outcome.hasErrors { return .failure(Diagnostics(outcome.diagnostics)) }
    }
    return session.evaluate(SourceFile(name: "<eval>", text: expression))
}

/// The text `tally eval` prints for an expression, or its first error message.
func show(_ expression: String, after script: String = "") -> String {
    switch evaluate(expression, after: script) {
    case .success(let value): String(TextRenderer().render(value).dropLast())
    case .failure(let d): "error: " + (d.all.first?.message ?? "?")
    }
}

func rational(_ text: String) -> Rational {
    if text.hasPrefix("-") { return rational(String(text.dropFirst())).negated }
    let parts = text.split(separator: "/")
    if parts.count == 2, let n = Int128(String(parts[0])), let d = Int128(String(parts[1])), let r = Rational(n, d) { return r }
    guard let r = Rational(decimalLiteral: Substring(text)) else { fatalError("not a rational: \(text)") }
    return r
}

/// A small deterministic generator (SplitMix64), so a failing random test
/// reproduces exactly: the fuzz mutator's own.
typealias Generator = FuzzMutator.Random

extension FuzzMutator.Random {
    init(state: UInt64) { self.init(seed: state) }
}

/// `actual` must equal the file at `path`; TALLY_UPDATE_GOLDEN=1 rewrites it instead.
func matchGolden(_ actual: String, at path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["TALLY_UPDATE_GOLDEN"] == "1" {
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    let expected = Repository.read(path)
    #expect(!expected.isEmpty, "missing \(path)", sourceLocation: sourceLocation)
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// What a program printed and how it ended.
struct ProgramRun {
    let status: Int32
    let stdout: Data
    let stderr: String
}

/// Runs `executable` in the repository with `arguments` (and `environment`
/// over the test's own), reading both outputs at once so a full pipe cannot
/// block the child.
func runProgram(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProgramRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    nonisolated(unsafe) var stderr = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { stderr = err.fileHandleForReading.readDataToEndOfFile() }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProgramRun(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
}
