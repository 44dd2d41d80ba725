// `:save`: writing the script, running it, and demoting what did not give what it gave at the prompt.
import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

extension SavedScript.Builder {
    func render() -> SavedScript.Rendered {
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
        return SavedScript.Rendered(text: out, ranges: ranges)
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
    func check(_ rendered: SavedScript.Rendered, path: String, environment: Environment, catalog: Catalog) throws(SavedScript.Failure) -> Set<Int> {
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
                throw SavedScript.Failure(message: "the saved script would not run: \(d.message)")
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
                if let expected = u.expectedAssertions {
                    let results = assertions[range.unit] ?? []
                    holds = holds && results.count == expected.count && zip(results, expected).allSatisfy(SavedScript.same)
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
