// `:save`: reading the inputs into units, and deciding what is written where.
import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

extension SavedScript.Builder {
    mutating func add(_ input: SavedInput) throws(SavedScript.Failure) {
        let first = units.count
        if let loaded = input.loadedPath {
            pieces.append(.text("# :load \(Evaluator.oneLine(loaded))\n"))
            included.insert(SavedScript.realPath(fromWorkingDirectory: input.file.name) ?? input.file.name)
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
            case .assert(_, let tag, _):
                // By tag, every group's result comes from this one statement.
                var expected: [AssertionResult] = []
                while let next = assertions.first, expected.isEmpty || (tag != nil && next.span.start == expected[0].span.start) {
                    expected.append(next)
                    assertions.removeFirst()
                }
                if !expected.isEmpty { units[i].expectedAssertions = expected }
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
    mutating func include(_ file: SourceFile, depth: Int) throws(SavedScript.Failure) {
        let (statements, errors) = Parser.parse(file)
        guard errors.isEmpty else {
            throw SavedScript.Failure(message: "\(file.name) no longer reads as it did when it ran")
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
            var unit = SavedScript.Unit(statement: statement, role: .other)
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
                    throw SavedScript.Failure(message: "`_` at \(span.location) stands for no value")
                }
                unit.underscores.append((span.start, span.end, producer))
            }
            units.append(unit)
            pieces.append(.unit(units.count - 1))
        }
        pieces.append(.text(file.text(of: Span(file: file, start: cursor, end: file.text.utf8.count))))
    }

    mutating func includeImport(_ path: String, at span: Span, statement: Statement, depth: Int) throws(SavedScript.Failure) {
        let written = "# " + Evaluator.oneLine(statement.span.text)
        let base = span.file.name.hasPrefix("<") ? "" : Path.directory(of: span.file.name)
        let joined = Path.resolved(path, against: base)
        let key = SavedScript.realPath(fromWorkingDirectory: joined) ?? joined
        guard !included.contains(key) else {
            pieces.append(.text(written + " (included above)\n"))
            return
        }
        guard depth < Evaluator.maximumImportDepth else {
            throw SavedScript.Failure(message: "imports nested more than \(Evaluator.maximumImportDepth) deep at \(span.location)")
        }
        let file: SourceFile
        switch Commands.readFile(joined, streams: false) {
        case .success(let f): file = f
        case .failure(let d): throw SavedScript.Failure(message: d.message)
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
}
