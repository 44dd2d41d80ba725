import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Every `Tests/Fixtures/**/*.tally` runs as `tally run` (or `tally check` for
/// files under `check/`); the exit status, standard output and standard error
/// must equal the `.expected` file beside it. Set TALLY_UPDATE_GOLDEN=1 to
/// rewrite the expected files after a deliberate change, then review the diff.
@Suite struct GoldenTests {
    static let fixtures = Repository.files(under: Repository.fixtures, extension: "tally")

    static func actual(for path: String) -> String {
        let relative = String(path.dropFirst(Repository.fixtures.count + 1))
        let output = relative.hasPrefix("check/") ? Commands.check(paths: [path]) : Commands.run(paths: [path])
        // An imported file is named relative to the working directory when it is below it.
        let clean = { (s: String) in
            s.replacingOccurrences(of: Repository.fixtures + "/", with: "").replacingOccurrences(of: "Tests/Fixtures/", with: "")
        }
        return "exit: \(output.status)\n--- stdout\n\(clean(output.stdout))--- stderr\n\(clean(output.stderr))"
    }

    @Test func thereAreFixtures() {
        #expect(Self.fixtures.count >= 10)
    }

    @Test(arguments: fixtures)
    func fixtureMatchesExpectedOutput(_ path: String) throws {
        try matchGolden(Self.actual(for: path), at: String(path.dropLast(".tally".count)) + ".expected")
    }

    /// One fixture per error kind, each exiting 2 with a located diagnostic.
    @Test(arguments: ["lexical", "syntax", "name", "dimension", "runtime", "pricing"])
    func everyErrorKindHasAFixture(_ kind: String) {
        let path = Repository.fixtures + "/errors/\(kind).tally"
        #expect(FileManager.default.fileExists(atPath: path))
        let output = Commands.run(paths: [path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("errors/\(kind).tally:"))
        #expect(output.stderr.contains(": error: "))
        #expect(output.stderr.contains("^"))
    }
}
