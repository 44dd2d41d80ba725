import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Every input the fuzzer ever found a problem with (Tests/Fuzz/regressions),
/// replayed through the whole pipeline: it must now come back cleanly.
@Suite struct FuzzRegressionTests {
    static let inputs = Repository.files(under: Repository.root + "/Tests/Fuzz/regressions", extension: "")
        .filter { !Path.lastComponent($0).hasPrefix(".") && !$0.hasSuffix(".md") }

    /// Through the harness, and as a script through every command: each ends
    /// with 0, 1 or 2, bounded output and well-formed machine formats.
    @Test(arguments: inputs)
    func replays(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        data.withUnsafeBytes { FuzzHarness.run($0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-regression-\(getpid())-\(Path.lastComponent(path))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("plan.tally").path
        try data.write(to: URL(fileURLWithPath: script))
        let problems = MutatedInputTests.problems(path: script)
        #expect(problems.isEmpty, "\(Path.lastComponent(path)): \(problems.joined(separator: "; "))")
    }

    /// The harness itself runs the seed corpus without trouble.
    @Test func seedCorpusReplays() throws {
        let seeds = Repository.files(under: Repository.fixtures, extension: "tally")
        #expect(!seeds.isEmpty)
        for path in seeds {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { FuzzHarness.run($0) }
        }
    }
}
