import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Hostile input must end in diagnostics, never a crash, a trap or a hang.
/// Thousands of token soups from a fixed seed run through the whole pipeline.
@Suite struct RobustnessTests {
    static let vocabulary = [
        "workload", "w", "chat", "<", ">", "<=", ">=", "==", "!=", "model", "sonnet-4.5", "nova-micro", "llama-3.3-70b",
        "requests", "3000/day", "40k", "1.5M", "(", ")", "$5", "$0.1", "$", "+", "-", "*", "/", "in", "with", "tokens",
        "words", "characters", "day", "month", "hour", "\n", ";", "\"s\"", "\"", "#c", "let", "=", "0", "1",
        "99999999999999999999", "340282366920938463463374607431768211455", "0.000000000000000000001", "%", "60%",
        "100%", "show", "assert", ",", "total", "requests(", "input", "output", "cache", "write", "ttl", "1h",
        "region", "us-east-1", "endpoint", "regional", "global", "mode", "batch", "tag", "a=b", "price", "x",
        "import", "\"nope.tally\"", "and", "or", "not", "true", "false", "min(", "max(", "abs(", "peak-1", "é", "\t",
    ]

    @Test func tokenSoupNeverCrashes() throws {
        var generator = Generator(state: 2026)
        var session = try Session.standard().get()
        session.allowsRedefinition = true
        var errors = 0
        for _ in 0..<3_000 {
            let length = Int(generator.next() % 24) + 1
            var text = ""
            for _ in 0..<length { text += generator.pick(Self.vocabulary) + (generator.next() % 3 == 0 ? "" : " ") }
            let outcome = session.run(SourceFile(name: "<soup>", text: text), transactional: true)
            if outcome.hasErrors { errors += 1 }
            // Rendering must not trap either.
            _ = DiagnosticRenderer().render(outcome.diagnostics)
            _ = TextRenderer().render(outcome.shown)
            _ = outcome.shown.map { JSONRenderer.value($0.value).rendered() }
        }
        #expect(errors > 0)
    }

    @Test func longOperatorChainsAreRefusedNotRecursedInto() {
        let chain = Array(repeating: "1", count: 20_000).joined(separator: " + ")
        let outcome = runSource("show " + chain)
        #expect(outcome.diagnostics.first?.message.contains("nested too deeply") == true)
    }

    @Test func extremeValuesPrintWithoutTrapping() {
        #expect(show("340282366920938463463374607431768211455") == "error: number too large")
        // A hundredth of the smallest number held is an error, not 0.
        #expect(show("0.00000000000000000000000000000000000001%") == "error: percentage too precise")
        #expect(show("0.000000000000000000000000000000000001%") == "0.00000000000000000000000000000000000001")
        let big = show("170141183460469231731687303715884105727 / 1 month")
        #expect(!big.isEmpty)
        #expect(show("0.0000000000000000000000000000000000001 * 1") == "0.0000000000000000000000000000000000001")
    }
}

@Suite struct PathTests {
    @Test func directoryAndLastComponent() {
        #expect(Path.directory(of: "t") == "")
        #expect(Path.directory(of: "a/b.tally") == "a")
        #expect(Path.directory(of: "/b") == "/")
        #expect(Path.directory(of: "/a/b/") == "/a")
        #expect(Path.lastComponent("t") == "t")
        #expect(Path.lastComponent("a/b.tally") == "b.tally")
        #expect(Path.lastComponent("/") == "/")
    }

    @Test func resolvedAgainstABase() {
        #expect(Path.resolved("b.tally", against: "/a") == "/a/b.tally")
        #expect(Path.resolved("/c/b.tally", against: "/a") == "/c/b.tally")
        #expect(Path.resolved("b.tally", against: "") == "b.tally")
        #expect(Path.resolved("../b", against: "a") == "a/../b")
    }

    /// A script whose name is one character once crashed Foundation's path code.
    @Test func oneLetterFileNamesRun() throws {
        let outcome = runSource("show 1", name: "t")
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.shown.count == 1)
    }
}
