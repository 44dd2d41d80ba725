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
#if canImport(Glibc)
import Glibc
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
        var expectedAssertion: AssertionResult?
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

        mutating func add(_ input: SavedInput) throws(Failure) {
            let first = units.count
            if let loaded = input.loadedPath {
                pieces.append(.text("# :load \(Evaluator.oneLine(loaded))\n"))
                included.insert(SavedScript.realPath(SavedScript.absolute(input.file.name)) ?? input.file.name)
            }
            try include(input.file, depth: 0)
            pieces.append(.text("\n"))
            expect(input, in: first..<units.count)
            // Only what was typed sets `_`.
            if input.loadedPath == nil, input.lastValue != nil, let last = printedUnit(in: first..<units.count) {
                producer = last
            }
        }

        /// The expression whose value an input printed: its last bare expression.
        func printedUnit(in range: Range<Int>) -> Int? {
            range.last { i in
                if case .expression = units[i].statement.kind { return true }
                return false
            }
        }

        /// What each statement of an input gave at the prompt, in the order it ran.
        mutating func expect(_ input: SavedInput, in range: Range<Int>) {
            var shown = input.shown[...]
            var assertions = input.assertions[...]
            for i in range {
                let count: Int
                switch units[i].statement.kind {
                case .show(let items, _): count = items.count
                case .compare, .compareAcross, .advise, .forecast: count = 1
                case .assert:
                    if let next = assertions.popFirst() { units[i].expectedAssertion = next }
                    continue
                default: continue
                }
                guard shown.count >= count else { return }
                units[i].expectedShown = Array(shown.prefix(count))
                shown = shown.dropFirst(count)
            }
            if let value = input.lastValue, let printed = printedUnit(in: range) {
                units[printed].role = .printed(result: nil)
                units[printed].expectedValue = value
            }
        }

        /// Adds a file's statements, with the files it imports in place.
        mutating func include(_ file: SourceFile, depth: Int) throws(Failure) {
            let (statements, errors) = Parser.parse(file)
            guard errors.isEmpty else {
                throw Failure(message: "\(file.name) no longer reads as it did when it ran")
            }
            let names = Lexer.tokenize(file).tokens.compactMap { token -> (Span, String)? in
                if case .name(let name) = token.kind { return (token.span, name) }
                return nil
            }
            var next = names[...]
            var cursor = 0
            for statement in statements {
                pieces.append(.text(file.text(of: Span(file: file, start: cursor, end: statement.span.start))))
                cursor = statement.span.end
                if case .import(let path, let pathSpan) = statement.kind {
                    try includeImport(path, at: pathSpan, statement: statement, depth: depth)
                    continue
                }
                var unit = Unit(statement: statement, role: .other)
                switch statement.kind {
                case .let(let name, _, _), .workload(let name, _, _, _): unit.role = .declaration(name)
                default: break
                }
                let words = SavedScript.wordsThatAreNotNames(statement)
                while let (span, name) = next.first, span.start < statement.span.end {
                    next = next.dropFirst()
                    guard span.start >= statement.span.start, !words.contains(span.start) else { continue }
                    guard name == "_" else {
                        unit.names.append((span.start, span.end, name))
                        continue
                    }
                    guard let producer else {
                        throw Failure(message: "`_` at \(span.location) stands for no value")
                    }
                    unit.underscores.append((span.start, span.end, producer))
                }
                units.append(unit)
                pieces.append(.unit(units.count - 1))
            }
            pieces.append(.text(file.text(of: Span(file: file, start: cursor, end: file.text.utf8.count))))
        }

        mutating func includeImport(_ path: String, at span: Span, statement: Statement, depth: Int) throws(Failure) {
            let written = "# " + Evaluator.oneLine(statement.span.text)
            let base = span.file.name.hasPrefix("<") ? "" : Path.directory(of: span.file.name)
            let joined = path.hasPrefix("/") || base.isEmpty ? path : base + "/" + path
            let key = SavedScript.realPath(SavedScript.absolute(joined)) ?? joined
            guard !included.contains(key) else {
                pieces.append(.text(written + " (included above)\n"))
                return
            }
            guard depth < Evaluator.maximumImportDepth else {
                throw Failure(message: "imports nested more than \(Evaluator.maximumImportDepth) deep at \(span.location)")
            }
            let file: SourceFile
            switch Commands.readFile(joined) {
            case .success(let f): file = f
            case .failure(let d): throw Failure(message: d.message)
            }
            included.insert(key)
            pieces.append(.text(written + ", included here:\n"))
            try include(file, depth: depth + 1)
            pieces.append(.text("\n# (end of \(Evaluator.oneLine(path)))\n"))
        }

        /// Decides what is written where: the last declaration of each name,
        /// workloads at their first place, fresh names for `_` and for earlier
        /// `let`s that later statements used.
        mutating func settle(taken: Set<String>) {
            var last: [String: Int] = [:]
            var names = taken
            for (i, unit) in units.enumerated() {
                if case .declaration(let name) = unit.role {
                    last[name] = i
                    names.insert(name)
                }
            }
            func fresh(_ base: String) -> String {
                var counter = 0
                var name: String
                repeat {
                    counter += 1
                    name = "\(base)-\(counter)"
                } while names.contains(name)
                names.insert(name)
                return name
            }
            // Where `total` lists each workload: since it was last declared a workload.
            var anchor: [String: Int] = [:]
            // The fresh name each earlier `let` still in use is written under.
            var current: [String: String] = [:]
            var used: Set<Int> = []
            var renamedAt: [String: Int] = [:]
            for i in units.indices {
                let unit = units[i]
                let declared: (String, Span)?
                switch unit.statement.kind {
                case .let(let name, let span, _), .workload(let name, let span, _, _): declared = (name, span)
                default: declared = nil
                }
                // The statement sees each name as it was before the statement ran.
                for (start, end, name) in unit.names where start != declared?.1.start {
                    guard let renamed = current[name] else { continue }
                    units[i].replacements.append((start, end, renamed))
                    if let at = renamedAt[renamed] { used.insert(at) }
                }
                for (start, end, producer) in unit.underscores {
                    if resultNames[producer] == nil {
                        resultNames[producer] = fresh("result")
                        units[producer].role = .printed(result: resultNames[producer])
                    }
                    units[i].replacements.append((start, end, resultNames[producer] ?? "_"))
                }
                units[i].replacements.sort { $0.start < $1.start }
                guard let (name, span) = declared else { continue }
                if case .workload = unit.statement.kind {
                    if anchor[name] == nil { anchor[name] = i }
                } else {
                    anchor[name] = nil
                }
                current[name] = nil
                guard last[name] != i else { continue }
                units[i].role = .superseded
                if case .let = unit.statement.kind {
                    let renamed = fresh(name)
                    current[name] = renamed
                    renamedAt[renamed] = i
                    units[i].replacements.insert((span.start, span.end, renamed), at: 0)
                }
            }
            for i in used {
                if case .superseded = units[i].role, let (_, _, name) = units[i].replacements.first {
                    units[i].role = .renamed(name)
                }
            }
            for (name, i) in last.sorted(by: { $0.value < $1.value }) {
                guard case .workload(_, let span, _, _) = units[i].statement.kind, let first = anchor[name], first != i else { continue }
                // The last `let`s it uses that come after its first place come along.
                let replaced = Set(units[i].replacements.map(\.start))
                var moving: [Int] = []
                for (start, _, used) in units[i].names where start != span.start && !replaced.contains(start) {
                    guard let at = last[used], at > first, at < i, case .let = units[at].statement.kind,
                          units[at].state == .asWritten, !moving.contains(at) else { continue }
                    moving.append(at)
                }
                for unit in moving.sorted() + [i] {
                    units[first].hosts.append(unit)
                    units[unit].state = .moved
                }
            }
        }

        func render() -> Rendered {
            var out = SavedScript.header
            var ranges: [(start: Int, end: Int, unit: Int)] = []
            for piece in pieces {
                switch piece {
                case .text(let text):
                    // Line ends between statements: one ends a line that is not
                    // ended yet (what is not written leaves none), more keep one blank line.
                    if text.allSatisfy({ $0 == "\n" }) {
                        let trailing = out.reversed().prefix { $0 == "\n" }.count
                        out += String(repeating: "\n", count: max(0, min(text.count, 2) - trailing))
                    } else {
                        out += text
                    }
                case .unit(let i):
                    var here = [i]
                    if case .superseded = units[i].role {
                        here = units[i].hosts.filter { units[$0].state == .moved }
                    } else if units[i].state == .moved {
                        continue
                    }
                    for (k, unit) in here.enumerated() {
                        if k > 0 { out += "\n" }
                        let start = out.utf8.count
                        out += written(unit)
                        ranges.append((start, out.utf8.count, unit))
                    }
                }
            }
            return Rendered(text: out, ranges: ranges)
        }

        /// The statement as written, with its names replaced where they must be.
        func text(_ i: Int) -> String {
            let unit = units[i]
            let span = unit.statement.span
            var out = ""
            var cursor = span.start
            for (start, end, replacement) in unit.replacements {
                out += span.file.text(of: Span(file: span.file, start: cursor, end: start)) + replacement
                cursor = end
            }
            return out + span.file.text(of: Span(file: span.file, start: cursor, end: span.end))
        }

        func written(_ i: Int) -> String {
            let unit = units[i]
            switch (unit.state, unit.role) {
            case (.commented, _):
                return "# (not replayed) " + Evaluator.oneLine(text(i)) + "\n"
            case (.literal(let value), .declaration(let name)):
                return "let \(name) = \(value)"
            case (.literal(let value), .printed(let name?)):
                return "let \(name) = \(value)\nshow \(name)"
            case (_, .printed(let name?)):
                return "let \(name) = \(text(i))\nshow \(name)"
            case (_, .printed(nil)):
                return "show " + text(i)
            default:
                return text(i)
            }
        }

        /// Runs the script and returns the units that do not give what they
        /// gave at the prompt.
        func check(_ rendered: Rendered, path: String, environment: Environment, catalog: Catalog) throws(Failure) -> Set<Int> {
            let file = SourceFile(name: path, text: rendered.text)
            var session = Session(catalog: catalog)
            let outcome = session.run(file)
            let ranges = rendered.ranges.sorted { $0.start < $1.start }
            func unit(at offset: Int) -> Int? {
                var low = 0
                var high = ranges.count
                while low < high {
                    let mid = (low + high) / 2
                    if ranges[mid].end <= offset { low = mid + 1 } else { high = mid }
                }
                return low < ranges.count && ranges[low].start <= offset ? ranges[low].unit : nil
            }
            var failed = Set<Int>()
            for d in outcome.diagnostics where d.severity == .error {
                guard let span = d.span, span.file === file, let u = unit(at: span.start) else {
                    throw Failure(message: "the saved script would not run: \(d.message)")
                }
                failed.insert(u)
            }
            var shown: [Int: [ShowItem]] = [:]
            for item in outcome.shown where item.span.file === file {
                if let u = unit(at: item.span.start) { shown[u, default: []].append(item) }
            }
            var assertions: [Int: [AssertionResult]] = [:]
            for a in outcome.assertions where a.span.file === file {
                if let u = unit(at: a.span.start) { assertions[u, default: []].append(a) }
            }
            func binds(_ name: String, _ range: (start: Int, end: Int, unit: Int), to expected: Value?) -> Bool {
                guard let binding = session.environment[name], binding.span.file === file,
                      binding.span.start >= range.start, binding.span.start < range.end else { return false }
                return expected.map { SavedScript.same(binding.value, $0) } ?? true
            }
            for range in ranges where !failed.contains(range.unit) && units[range.unit].state != .commented {
                let u = units[range.unit]
                var holds = true
                switch u.role {
                case .declaration(let name):
                    holds = binds(name, range, to: environment[name]?.value)
                case .printed(let name):
                    if let name { holds = binds(name, range, to: u.expectedValue) }
                    let items = shown[range.unit] ?? []
                    holds = holds && items.count == 1 && u.expectedValue.map { SavedScript.same(items[0].value, $0) } ?? false
                case .renamed(let name):
                    holds = binds(name, range, to: nil)
                case .superseded:
                    holds = false
                case .other:
                    if let expected = u.expectedShown {
                        let items = shown[range.unit] ?? []
                        holds = items.count == expected.count && zip(items, expected).allSatisfy(SavedScript.same)
                    }
                    if let expected = u.expectedAssertion {
                        let results = assertions[range.unit] ?? []
                        holds = holds && results.count == 1 && SavedScript.same(results[0], expected)
                    }
                }
                if !holds { failed.insert(range.unit) }
            }
            return failed
        }

        /// The names a unit's statement uses, as written in the script.
        func uses(_ i: Int) -> Set<String> {
            let unit = units[i]
            var names = Set(unit.replacements.map(\.text))
            let replaced = Set(unit.replacements.map(\.start))
            for (start, _, name) in unit.names where !replaced.contains(start) { names.insert(name) }
            return names
        }

        /// The names a unit's statement declares; `total` for a workload.
        func declares(_ i: Int) -> Set<String> {
            switch units[i].role {
            case .declaration(let name):
                if case .workload = units[i].statement.kind { return [name, "total"] }
                return [name]
            case .renamed(let name), .printed(let name?): return [name]
            default: return []
            }
        }

        /// The next way to write a unit that did not give what it gave.
        mutating func demote(_ i: Int, environment: Environment) {
            let unit = units[i]
            switch (unit.state, unit.role) {
            case (.moved, _):
                units[i].state = .asWritten
            case (.asWritten, .declaration):
                if case .let(let name, _, _) = unit.statement.kind, let value = environment[name]?.value,
                   let literal = SavedScript.literal(value) {
                    units[i].state = .literal(literal)
                } else {
                    units[i].state = .commented
                }
            case (.asWritten, .printed(_?)):
                if let value = unit.expectedValue, let literal = SavedScript.literal(value) {
                    units[i].state = .literal(literal)
                } else {
                    units[i].state = .commented
                }
            default:
                units[i].state = .commented
            }
        }

        var commentedOut: [String] {
            units.indices.filter { units[$0].state == .commented }.map { i in
                // Printed to a terminal: no control characters.
                SourceText.comment("`\(Evaluator.oneLine(units[i].statement.span.text))` (\(units[i].statement.span.location))")
            }
        }
    }

    /// Properties whose bare words name a model, a region, a mode and so on, not a value.
    static let wordProperties: Set<String> = ["model", "region", "endpoint", "mode", "quality", "guardrails", "vector-store",
                                              "embedding", "reranker", "name", "id", "alias", "provider", "kind", "since",
                                              "source", "as-of"]

    /// Where a statement has words that look like names but name no value:
    /// properties, tag keys, units, functions, what `region` and `price` name.
    static func wordsThatAreNotNames(_ statement: Statement) -> Set<Int> {
        var starts: Set<Int> = []
        var properties: [Property] = []
        var expressions: [Expr] = []
        switch statement.kind {
        case .let(_, _, let e), .advise(let e), .expression(let e), .assert(let e, _): expressions = [e]
        case .workload(_, _, let p, _): properties = p
        case .price(_, let nameSpan, let p):
            starts.insert(nameSpan.start)
            properties = p
        case .show(let e, _), .compare(let e): expressions = e
        case .compareAcross(let e, let p): (expressions, properties) = ([e], [p])
        case .forecast(let e, let over, let growth): expressions = [e, over] + (growth.map { [$0] } ?? [])
        case .region(_, let span), .catalog(_, let span), .import(_, let span): starts.insert(span.start)
        case .invalid: break
        }
        while true {
            if let property = properties.popLast() {
                starts.insert(property.nameSpan.start)
                for argument in property.arguments {
                    switch argument {
                    case .expression(let e):
                        if case .name(let word) = e.kind,
                           wordProperties.contains(property.name) || (property.name == "cache" && (word == "write" || word == "ttl")) {
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

    // MARK: Comparing values, wherever they were declared

    /// True when two values print the same, apart from where their rates were declared.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.quantity(let x), .quantity(let y)): x == y
        case (.boolean(let x), .boolean(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.workload(_, let x), .workload(_, let y)): fingerprint(x) == fingerprint(y)
        case (.total(let x), .total(let y)): x.breakdowns.map(fingerprint) == y.breakdowns.map(fingerprint)
        default: false
        }
    }

    /// A table (`compare`, `forecast`, …) by what it prints; a value by itself.
    static func same(_ a: ShowItem, _ b: ShowItem) -> Bool {
        switch (a.report, b.report) {
        case (nil, nil): same(a.value, b.value)
        case (let x?, let y?): ReportRenderer.text(x, renderer: TextRenderer()) == ReportRenderer.text(y, renderer: TextRenderer())
        default: false
        }
    }

    static func same(_ a: AssertionResult, _ b: AssertionResult) -> Bool {
        a.passed == b.passed && a.message == b.message && a.actual == b.actual && a.bound == b.bound
    }

    /// Everything a breakdown shows except the places its rates were declared.
    static func fingerprint(_ b: Breakdown) -> [String] {
        var parts = [b.name, b.kind.rawValue, b.model, b.modelDisplayName ?? "", b.region, b.endpoint?.rawValue ?? "", b.mode,
                     "\(b.requestsPerMonth.map(\.description) ?? "")", "\(b.inputTokens.map(\.description) ?? "")",
                     "\(b.outputTokens.map(\.description) ?? "")", "\(b.cacheRead)", "\(b.cacheWrite)", "\(b.total)"]
        parts += b.summary + b.assumptions + b.tags.map { "\($0.key)=\($0.value)" }
        for line in b.lines {
            parts.append("\(line.label) \(line.quantity) \(line.unit) \(line.amount) \(line.rateText)")
            for rate in line.rates {
                parts.append("\(rate.kind.name) \(rate.amount) \(rate.asOf ?? "") \(rate.since ?? "") \(rate.isBuiltin) \(rate.overridden)")
            }
        }
        if let high = b.high?.breakdown { parts += ["high"] + fingerprint(high) }
        return parts
    }

    // MARK: Values as source text

    /// Source text that evaluates to exactly `value`, when there is one.
    static func literal(_ value: Value) -> String? {
        switch value {
        case .boolean(let b): return String(b)
        case .string(let s):
            // A literal holds a line end or a tab as an escape, and no other control character.
            let exact = !s.unicodeScalars.contains { $0 != "\n" && $0 != "\t" && SourceText.isControl($0) }
            return exact ? SourceText.stringLiteral(s) : nil
        case .quantity(let q): return quantityLiteral(q)
        case .workload, .total: return nil
        }
    }

    /// The names that give a quantity its dimension: one of each base unit.
    static let baseUnits: [BaseDimension: String] = [
        .money: "$", .time: "second", .tokens: "tokens", .requests: "requests", .images: "images",
        .words: "words", .characters: "characters", .data: "GB",
    ]

    /// `(N / D) * $ / month`: the number in the time unit the quantity is
    /// shown in, times or divided by each base unit, so the value, the
    /// dimension and the unit it prints in all come back. A range is
    /// `(0..1) * (HIGH - LOW) + LOW`, which interval arithmetic makes exact.
    static func quantityLiteral(_ q: Quantity) -> String? {
        let time = Int(q.dimension[.time])
        var scale = Rational.one
        var timeName = "second"
        if time != 0 {
            guard let unit = q.timeUnit, let s = unit.factor.power(time) else { return nil }
            scale = s
            timeName = unit.singular
        }
        guard let low = q.value.divided(by: scale) else { return nil }
        var number = number(low)
        if let high = q.high {
            guard let h = high.divided(by: scale), let width = h.subtracting(low), !width.isNegative else { return nil }
            number = "((0..1) * \(self.number(width)) + \(number))"
        }
        var factors = ""
        for base in BaseDimension.allCases {
            let exponent = Int(q.dimension[base])
            guard exponent != 0, let name = base == .time ? timeName : baseUnits[base] else { continue }
            factors += String(repeating: (exponent > 0 ? " * " : " / ") + name, count: abs(exponent))
        }
        return number + factors
    }

    /// A rational as a literal: a decimal when it has a short one, else a fraction.
    static func number(_ r: Rational) -> String {
        let magnitude = r.magnitude
        let text: String
        if let decimal = magnitude.terminatingDecimal, decimal.count <= 30 {
            text = decimal
        } else {
            text = "(\(magnitude.numerator) / \(magnitude.denominator))"
        }
        return r.isNegative ? "(-\(text))" : text
    }

    // MARK: Paths

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
