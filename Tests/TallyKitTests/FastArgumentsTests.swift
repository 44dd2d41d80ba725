import Foundation
import Testing
@testable import TallyKit
@testable import TallyRender

/// The command lines `tally` reads without ArgumentParser (`FastArguments`)
/// must come out exactly as ArgumentParser's reading of them does: every
/// line below is run twice, the second time with TALLY_NO_FAST_ARGUMENTS=1,
/// and the two must print the same and exit the same. Lines the fast path
/// leaves to ArgumentParser are in the list too.
@Suite struct FastArgumentsTests {
    static let plan = "Examples/support.tally"
    /// Declares costs and shows nothing: `run` prints its total, or nothing with --quiet.
    static let silent = "Tests/Fixtures/newcomer/silent.tally"

    /// Read by the fast path.
    static let fast: [[String]] = [
        ["eval", "1+1"], ["eval", "1 + 1 == 2"], ["eval", "1 + 1 == 3"], ["eval", "-f", plan, "total"],
        ["eval", "--format", "json", "-f", plan, "total"], ["eval", "--format=json", "2 + 2"],
        ["eval", "-f", plan, "--set", "x=1", "total"], ["eval", "--no-color", "--ascii", "1"], ["eval", "-f", plan, "-f", plan, "total"],
        ["eval", "nonsense +"], ["eval", "--allow-outside", "-f", plan, "chat in $/month"],
        ["run", plan], ["run", "--format", "csv", plan], ["run", "--format", "markdown", plan, "--no-color"], [plan],
        ["run", "missing.tally"], ["run", "--allow-outside", plan], ["run", "--format=json", plan], ["run", plan, plan],
        ["run", silent], ["run", "--quiet", silent], ["run", silent, "--quiet", "--format", "json"], [silent, "--quiet"],
        ["run", "--exact", plan], ["eval", "--exact", "-f", plan, "total"], [plan, "--exact"],
        ["check", plan], ["check", "--format", "junit", plan], ["check", "--format", "github", "--verbose", plan],
        ["check", "Tests/Fixtures/errors/syntax.tally"], ["check", "--format", "json", plan, "Tests/Fixtures/errors/name.tally"],
        ["models"], ["models", "nova"], ["models", "--format", "json", "claude"], ["models", "--at", "2026-01", "nova"],
        ["models", "--no-color", "haiku"], ["models", "--at", "yesterday"],
    ]

    /// Left to ArgumentParser.
    static let slow: [[String]] = [
        ["eval", "1", "2"], ["eval"], ["eval", "--format", "yaml", "1"], ["eval", "--format", "json", "--format", "text", "1"],
        ["eval", "--", "-1"], ["eval", "-f"], ["eval", "-fx", "1"], ["eval", "--help"], ["eval", "--no-color", "--no-color", "1"],
        ["run"], ["run", "--help"], ["run", "-"], ["run", "--format", "xml", plan], ["run", "--verbose", plan],
        ["run", "--quiet", "--quiet", silent], ["run", "--exact", "--exact", plan], ["check", "--exact", plan],
        ["check"], ["check", "--format", "csv", plan], ["models", "a", "b"], ["models", "--allow-outside"], ["models", "--at"],
        ["diff", plan, plan], ["help"], ["--no-color", "run", plan],
    ]

    @Test func theCommonFormsAreReadFast() {
        for line in Self.fast {
            let arguments = line.first.map { ["run", "check", "eval", "models"].contains($0) } == true ? line : ["run"] + line
            #expect(FastArguments.parse(arguments) != nil, "\(line)")
        }
        for line in Self.slow {
            #expect(FastArguments.parse(line) == nil, "\(line)")
        }
    }

    @Test func whatItReadsIsWhatArgumentParserReads() {
        #expect(FastArguments.parse(["eval", "-f", "a", "--set", "x=1", "--format=json", "-f", "b", "--ascii", "total"])
                == .eval(files: ["a", "b"], sets: ["x=1"], expression: "total", format: .json,
                         common: FastArguments.Common(noColor: false, ascii: true, allowOutside: false)))
        #expect(FastArguments.parse(["check", "--verbose", "p", "--format", "github", "q"])
                == .check(files: ["p", "q"], format: .github, verbose: true, common: FastArguments.Common()))
        #expect(FastArguments.parse(["run", "p", "--quiet"]) == .run(files: ["p"], format: .text, quiet: true, common: FastArguments.Common()))
        #expect(FastArguments.parse(["models", "--at", "2026-01"]) == .models(filter: nil, at: "2026-01", format: .text, noColor: false, ascii: false))
    }

    @Test(arguments: fast + slow)
    func bothPathsGiveTheSameResult(_ line: [String]) throws {
        let quick = try TallyBinary.run(line)
        let parsed = try TallyBinary.run(line, environment: ["TALLY_NO_FAST_ARGUMENTS": "1"])
        #expect(quick.status == parsed.status, "\(line)")
        #expect(quick.stdout == parsed.stdout, "\(line)")
        #expect(quick.stderr == parsed.stderr, "\(line)")
    }
}
