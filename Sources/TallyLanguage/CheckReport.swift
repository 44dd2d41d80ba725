import TallyQuantities
import TallySyntax
import TallyPricing

/// `tally check`: every `assert` of every file, in one report.
package struct CheckReport: Sendable {
    package var assertions: [AssertionResult] = []
    /// Problems in the input (errors and warnings), each located.
    package var diagnostics: [Diagnostic] = []
    /// Files that could not be read, with the reason.
    package var unreadable: [(path: String, message: String)] = []

    package init() {}

    package var passed: Int { assertions.filter(\.passed).count }
    package var failed: Int { assertions.count - passed }
    /// Error diagnostics as reported (a line standing for those past the cap
    /// counts once): what JUnit's `errors` and the exit status count.
    package var errors: Int { diagnostics.filter { $0.severity == .error }.count + unreadable.count }
    /// Every error found, those past the cap included: what people are told.
    package var errorsFound: Int {
        diagnostics.reduce(unreadable.count) { count, d in
            count + (d.omitted.map(\.errors) ?? (d.severity == .error ? 1 : 0))
        }
    }

    /// 0 all hold, 1 one failed, 2 the input was wrong.
    package var status: Int32 { errors > 0 ? 2 : (failed > 0 ? 1 : 0) }

    /// One line: what happened, for people.
    package var summary: String {
        let noun = assertions.count == 1 ? "assertion" : "assertions"
        if errors > 0 {
            return "\(Diagnostic.counted(errorsFound, "error")) in the input; \(assertions.count) \(noun) checked"
        }
        if assertions.isEmpty { return "no assertions found" }
        if failed == 0 { return assertions.count == 1 ? "1 assertion holds" : "all \(assertions.count) assertions hold" }
        return "\(failed) of \(assertions.count) \(noun) failed"
    }
}
