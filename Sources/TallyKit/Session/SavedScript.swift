// `:save`: the units a session is written as, and the passes that make the script run as the prompt did.
import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An input the prompt ran without error, as `:save` needs it: its text and
/// what it printed.
struct SavedInput {
    let file: SourceFile
    /// The path `:load` was given, for a loaded file.
    let loadedPath: String?
    let shown: [ShowItem]
    let assertions: [AssertionResult]
    let lastValue: Value?
}

/// `:save`: the prompt's session as a script that `tally run` reproduces.
///
/// The script replays the inputs in order, so each statement runs against the
/// region, prices and imports it ran against at the prompt. Where the prompt
/// allows what a script does not:
/// - a name declared more than once keeps its last declaration only. An
///   earlier `let` that later statements used is written under a fresh name
///   (`peak-1`), and they use that. A workload's last declaration goes where
///   the name was first declared as a workload, which is where `total` lists
///   it, with the later `let`s it uses;
/// - the expression an input printed becomes a `show`; when `_` stands for
///   its value, a `let` of a fresh name (`result-1`) that `_` is replaced by;
/// - a `:load`ed file and the files it imports are included in place.
/// The script is then run, and each statement that does not give what it gave
/// at the prompt (it used an earlier version of a workload, or a `let` moved
/// where it cannot be) is rewritten: a `let` as its value written out
/// exactly, a moved declaration back at its own place, and anything else left
/// as a comment that the reply names.
enum SavedScript {
    struct Failure: Error {
        let message: String
    }

    struct Saved {
        let text: String
        /// Statements left in the script as comments, with where they were typed.
        let commentedOut: [String]
    }

    static let header = """
        # Saved from tally's prompt: the inputs that ran without error. Each name keeps its
        # last declaration; what the prompt printed is shown; `_` became a `let`.


        """

    static let maximumPasses = 64

    static func make(_ inputs: [SavedInput], environment: Environment, catalog: Catalog, path: String) throws(Failure) -> Saved {
        var builder = Builder()
        for input in inputs { try builder.add(input) }
        builder.settle(taken: Set(environment.bindings.keys))
        for pass in 0..<maximumPasses {
            let text = builder.render()
            let failed = try builder.check(text, path: path, environment: environment, catalog: catalog)
            if failed.isEmpty { return Saved(text: text.text, commentedOut: builder.commentedOut) }
            // A statement that failed after one it depends on failed may be
            // right once that one is fixed: it waits for the next pass.
            var failedNames: Set<String> = []
            for range in text.ranges where failed.contains(range.unit) {
                let u = range.unit
                if pass < maximumPasses / 2, !builder.uses(u).isDisjoint(with: failedNames) {
                    failedNames.formUnion(builder.declares(u))
                    continue
                }
                failedNames.formUnion(builder.declares(u))
                builder.demote(u, environment: environment)
            }
        }
        throw Failure(message: "the session could not be written as a script that runs")
    }

    /// One statement of the session, and how the script writes it.
    struct Unit {
        enum Role {
            /// `let` or a workload, the last declaration of its name.
            case declaration(String)
            /// A declaration of a name declared again later: not written,
            /// unless the last declaration is written in its place.
            case superseded
            /// An earlier `let` of a name declared again, which later
            /// statements used: written under a fresh name.
            case renamed(String)
            /// The expression whose value an input printed; with a name when
            /// `_` stands for it.
            case printed(result: String?)
            case other
        }

        enum State: Equatable {
            case asWritten
            /// Written where an earlier declaration of its name stood.
            case moved
            /// A `let` whose value is written out.
            case literal(String)
            case commented
        }

        let statement: Statement
        var role: Role
        /// The names the statement uses (and declares): byte ranges.
        var names: [(start: Int, end: Int, name: String)] = []
        /// Each `_` in the statement: its byte range and the unit it stands for.
        var underscores: [(start: Int, end: Int, producer: Int)] = []
        /// Text to write in place of byte ranges of the statement, in order.
        var replacements: [(start: Int, end: Int, text: String)] = []
        var expectedShown: [ShowItem]?
        /// One, or one per group for `assert … by tag`.
        var expectedAssertions: [AssertionResult]?
        /// For a printed expression, its value.
        var expectedValue: Value?
        var state = State.asWritten
        /// For a superseded declaration: the last declarations written here
        /// (a workload's, and the `let`s it uses that came after this place).
        var hosts: [Int] = []
    }

    enum Piece {
        case text(String)
        case unit(Int)
    }

    struct Rendered {
        let text: String
        /// Byte ranges of the units in `text`, in order.
        let ranges: [(start: Int, end: Int, unit: Int)]
    }

    struct Builder {
        var units: [Unit] = []
        var pieces: [Piece] = []
        /// Files already included, by real path: a file is imported once.
        var included: Set<String> = []
        /// The unit `_` stands for after the inputs so far.
        var producer: Int?
        var resultNames: [Int: String] = [:]
    }

    /// Properties whose bare words name a model, a region, a mode and so on, not a value.
    static let wordProperties: Set<String> = ["model", "region", "endpoint", "mode", "quality", "guardrails", "vector-store",
                                              "embedding", "reranker", "compute", "strategy", "name", "id", "alias", "provider", "kind", "since",
                                              "source", "as-of"]

    /// Where a statement has words that look like names but name no value:
    /// properties, tag keys, units, functions, what `region` and `price` name.
    static func wordsThatAreNotNames(_ statement: Statement) -> Set<Int> {
        var starts: Set<Int> = []
        var properties: [Property] = []
        var expressions: [Expr] = []
        switch statement.kind {
        case .let(_, _, let e), .advise(let e), .expression(let e), .assert(let e, _, _): expressions = [e]
        case .workload(_, _, let p, _): properties = p
        case .price(_, let nameSpan, let p):
            starts.insert(nameSpan.start)
            properties = p
        case .profile(_, let nameSpan, let p):
            // `profile` is a word here, not a name.
            starts.formUnion([statement.span.start, nameSpan.start])
            properties = p
        case .show(let e, _), .compare(let e): expressions = e
        case .compareAcross(let e, let p): (expressions, properties) = ([e], [p])
        case .forecast(let e, let over, let growth): expressions = [e, over] + (growth.map { [$0] } ?? [])
        case .region(_, let span), .catalog(_, let span), .import(_, let span): starts.insert(span.start)
        case .month(let length):
            // `month` opens the statement; the length's unit is a unit.
            starts.insert(statement.span.start)
            expressions = [length]
        case .monthCalendar(let word):
            starts.formUnion([statement.span.start, word.start])
        case .invalid: break
        }
        while true {
            if let property = properties.popLast() {
                starts.insert(property.nameSpan.start)
                for argument in property.arguments {
                    switch argument {
                    case .expression(let e):
                        if case .name(let word) = e.kind,
                           wordProperties.contains(property.name) || (property.name == "cache" && (word == "write" || word == "ttl"))
                            || (property.name == "output" && Engine.dataAutomationOutputs.contains(word)) {
                            starts.insert(e.span.start)
                        } else {
                            expressions.append(e)
                        }
                    case .assignment(_, let nameSpan, let value):
                        starts.insert(nameSpan.start)
                        if case .name = value.kind { starts.insert(value.span.start) } else { expressions.append(value) }
                    }
                }
            } else if let e = expressions.popLast() {
                switch e.kind {
                case .with(let base, let p):
                    expressions.append(base)
                    properties += p
                case .range(let a, let b), .binary(_, let a, let b, _), .convert(let a, let b): expressions += [a, b]
                case .withUnit(let a, _, let unitSpan):
                    expressions.append(a)
                    starts.insert(unitSpan.start)
                case .negate(let a), .not(let a): expressions.append(a)
                case .call(_, let nameSpan, let arguments):
                    starts.insert(nameSpan.start)
                    expressions += arguments
                default: break
                }
            } else {
                return starts
            }
        }
    }

    // MARK: Paths

    /// A file's identity, so that it is included once: its real path.
    static func realPath(fromWorkingDirectory path: String) -> String? {
        FileSystem.realPath(Path.resolved(path, against: FileManager.default.currentDirectoryPath))
    }
}
