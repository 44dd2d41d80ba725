import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

/// The interactive prompt's behaviour, apart from the terminal: it gathers
/// lines until an input is complete, runs it transactionally, answers
/// meta-commands, and keeps the inputs `:save` writes. A front end feeds
/// it lines and prints its replies.
package struct Repl {
    package private(set) var session: Session
    /// Inputs that ran without error, in order, with what they printed: `:save` writes them.
    private(set) var saved: [SavedInput] = []
    /// The inputs that ran without error, as typed or loaded.
    package var transcript: [String] {
        saved.map { input in
            input.loadedPath.map { "# :load \($0)\n" + input.file.text.trimmingNewlines() } ?? input.file.text
        }
    }
    /// Lines of an input that is not finished yet.
    package private(set) var pending: [String] = []
    /// Whether `pending` is finished, kept line by line.
    var continuation = InputShape.Continuation()
    package var color: Bool
    package var charts: ChartStyle
    var inputCount = 0
    /// The catalog the session started with, for `:reset`.
    let catalog: Catalog

    package static let prompt = "tally> "
    package static let continuationPrompt = "  ...> "
    package static let helpTopics = ["commands", "language", "units", "properties", "prices", "examples"]

    package var prompt: String { pending.isEmpty ? Repl.prompt : Repl.continuationPrompt }

    package struct Reply: Sendable {
        package var stdout = ""
        package var stderr = ""
        package var quit = false
        /// The finished input as one history line, when it belongs in the history.
        package var historyEntry: String?
    }

    package init(session: Session, color: Bool = false, charts: ChartStyle = .none) {
        var session = session
        session.allowsRedefinition = true
        self.session = session
        self.catalog = session.environment.catalog
        self.color = color
        self.charts = charts
    }

    /// Drops the unfinished input (Ctrl-C).
    package mutating func interrupt() {
        pending = []
    }

    package mutating func feed(_ line: String) -> Reply {
        if pending.isEmpty, line.drop(while: { $0 == " " }).hasPrefix(":") {
            var reply = meta(String(line.drop(while: { $0 == " " })))
            if HistoryFile.records(line) { reply.historyEntry = line }
            return reply
        }
        // Each line is read once, so a long paste costs linear time: an
        // input of blank lines only is dropped at its first line.
        if pending.isEmpty {
            if line.allSatisfy(\.isWhitespace) { return Reply() }
            continuation = InputShape.Continuation()
        }
        pending.append(line)
        continuation.add(line)
        if continuation.needsMore { return Reply() }
        let text = pending.joined(separator: "\n")
        let first = pending[0]
        pending = []
        var reply = run(text)
        if HistoryFile.records(first) { reply.historyEntry = InputShape.oneLine(text) }
        return reply
    }

    mutating func run(_ text: String) -> Reply {
        inputCount += 1
        let file = SourceFile(name: "<input \(inputCount)>", text: text)
        let outcome = session.run(file, transactional: true)
        var reply = Reply()
        reply.stdout = render(outcome)
        reply.stderr = DiagnosticRenderer(color: color).render(outcome.diagnostics)
        if !outcome.hasErrors {
            saved.append(SavedInput(file: file, loadedPath: nil, shown: outcome.shown, assertions: outcome.assertions, lastValue: outcome.lastValue))
            if let value = outcome.lastValue { session.setLastResult(value) }
        }
        return reply
    }

    func render(_ outcome: Outcome) -> String {
        let text = TextRenderer(color: color, charts: charts)
        var out = text.render(outcome.shown)
        guard !outcome.hasErrors else { return out }
        // A workload typed at the prompt shows its cost straight away.
        for workload in outcome.declaredWorkloads {
            if !out.isEmpty { out += "\n" }
            out += text.render(workload)
        }
        if let value = outcome.lastValue {
            switch value {
            case .workload, .total: out += text.render(value)
            default: out += (color ? "\u{1B}[2m=\u{1B}[0m " : "= ") + text.render(value)
            }
        }
        for a in outcome.assertions {
            out += (a.passed ? "assertion holds" : "assertion fails") + (a.message.map { ": \($0)" } ?? "")
            if let actual = a.actual, let bound = a.bound { out += " (\(actual) vs \(bound))" }
            out += "\n"
        }
        return out
    }

    // MARK: Meta-commands

    mutating func meta(_ line: String) -> Reply {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let command = String(parts.first ?? "")
        let argument = parts.count > 1 ? parts[1].trimmingWhitespace() : ""
        var reply = Reply()
        switch command {
        case ":quit", ":q", ":exit":
            reply.quit = true
        case ":help", ":h", ":?":
            reply.stdout = Repl.help(argument)
        case ":models":
            let output = Commands.models(in: session, filter: argument.isEmpty ? nil : argument, color: color)
            reply.stdout = output.stdout
            reply.stderr = output.stderr
        case ":list":
            reply.stdout = list()
        case ":info":
            (reply.stdout, reply.stderr) = info(argument)
        case ":load":
            guard !argument.isEmpty else {
                reply.stderr = "tally: :load needs a file: `:load plans/support.tally`\n"
                return reply
            }
            switch Commands.readFile(argument) {
            case .failure(let d):
                reply.stderr = DiagnosticRenderer(color: color).render(d)
            case .success(let file):
                let outcome = session.run(file, transactional: true)
                reply.stdout = render(outcome)
                reply.stderr = DiagnosticRenderer(color: color).render(outcome.diagnostics)
                if !outcome.hasErrors {
                    saved.append(SavedInput(file: file, loadedPath: argument, shown: outcome.shown, assertions: outcome.assertions,
                                            lastValue: outcome.lastValue))
                }
            }
        case ":save":
            guard !argument.isEmpty else {
                reply.stderr = "tally: :save needs a file: `:save plan.tally`\n"
                return reply
            }
            (reply.stdout, reply.stderr) = save(to: argument)
        case ":reset":
            session = Session(catalog: catalog)
            session.allowsRedefinition = true
            saved = []
            reply.stdout = "session reset\n"
        default:
            reply.stderr = "tally: unknown command \(command)"
            if let near = Suggestion.closest(to: command, in: Completion.metaCommands) { reply.stderr += "; did you mean \(near)?" }
            reply.stderr += " (:help lists them)\n"
        }
        return reply
    }

    /// `:save FILE`: the session as a script that `tally run` reproduces.
    func save(to path: String) -> (String, String) {
        let script: SavedScript.Saved
        do {
            script = try SavedScript.make(saved, environment: session.environment, catalog: catalog, path: path)
        } catch {
            return ("", "tally: error: cannot save: \(error.message)\n")
        }
        do {
            try FileSystem.writeAtomically(script.text, to: path)
        } catch {
            return ("", "tally: error: cannot write \(path): \(error)\n")
        }
        var notes = ""
        if !script.commentedOut.isEmpty {
            let shown = script.commentedOut.prefix(5).joined(separator: ", ")
            let more = script.commentedOut.count > 5 ? " and \(script.commentedOut.count - 5) more" : ""
            notes = "tally: note: left as comments in \(path), since in a script they would not give what they gave here: \(shown)\(more)\n"
        }
        return ("saved \(saved.count) input\(saved.count == 1 ? "" : "s") to \(path)\n", notes)
    }

    func list() -> String {
        let environment = session.environment
        let names = environment.bindings.keys.filter { $0 != "_" }.sorted { a, b in
            (environment[a]?.span.start ?? 0, a) < (environment[b]?.span.start ?? 0, b)
        }
        guard !names.isEmpty else { return "nothing declared yet\n" }
        var rows: [[String]] = [["name", "kind", "value"]]
        for name in names {
            guard let binding = environment[name] else { continue }
            switch binding.value {
            case .workload(let w, let b):
                rows.append([name, w.kind == .inference ? "workload" : w.kind.rawValue, "\(b.model) · \(Format.money(b.total))/month"])
            default:
                rows.append([name, "let", String(TextRenderer().render(binding.value).dropLast())])
            }
        }
        return TextRenderer(color: color).table(rows, rightAligned: [], boldRows: [0])
    }

    func info(_ name: String) -> (String, String) {
        guard !name.isEmpty else { return ("", "tally: :info needs a name: `:info chat`\n") }
        if let binding = session.environment[name] {
            var out = "\(name) — declared at \(binding.span.location)\n"
            if !binding.source.isEmpty {
                out += binding.source.split(separator: "\n", omittingEmptySubsequences: false).map { "  | " + $0 }.joined(separator: "\n") + "\n"
            }
            out += "\n" + TextRenderer(color: color).render(binding.value)
            return (out, "")
        }
        if session.environment.catalog.model(named: name) != nil {
            let output = Commands.models(in: session, filter: name, exact: true, color: color)
            return (output.stdout, output.stderr)
        }
        var error = "tally: nothing is called `\(name)`"
        let known = Array(session.environment.bindings.keys) + session.environment.catalog.allNames
        if let near = Suggestion.closest(to: name, in: known) { error += "; did you mean `\(near)`?" }
        return ("", error + "\n")
    }

    static func help(_ topic: String) -> String {
        switch topic {
        case "":
            return """
                Type a workload, an expression or a statement; the prompt prints its value.
                  workload chat < model sonnet-4.5; requests 3000/day; cache 60% >
                  chat in $/day
                  chat with < model haiku-4.5 >
                An unclosed `<` or `(`, or a line ending on an operator, continues on the next line.
                Ctrl-C drops an unfinished input; Ctrl-D on an empty line quits. `_` is the last result.

                Commands:
                  :help [topic]    topics: \(helpTopics.joined(separator: ", "))
                  :models [text]   the models Tally can price, with their rates
                  :list            what this session declared
                  :info NAME       a declaration, its breakdown and its rates' sources; or a model
                  :load FILE       run a script into this session
                  :save FILE       write this session as a script that `tally run` reproduces
                  :reset           forget everything declared
                  :quit            leave (also Ctrl-D)

                """
        case "commands":
            return help("")
        case "language":
            return """
                Statements: let NAME = EXPR · workload NAME < … > · knowledge-base NAME < … > ·
                customization NAME < … > · cost NAME < $700/month > · guardrail NAME < … > · agentcore NAME < … > ·
                data-automation NAME < … > · usage NAME < logs "…" > · price NAME < … > · profile "ARN" < … > · show EXPR, … · assert EXPR [, "message"] ·
                import "file" · region NAME · catalog "DATE" · month 744 hours | calendar (first in a script)
                Expressions, loosest first: or, and, not, comparisons, in, + -, * /, unary -, `with < … >`
                and calls, a number with its unit. Names may hold - and ., so subtract with spaces: a - b.
                Functions: requests(w), input(w), output(w), min, max, abs. `total` sums every workload.

                """
        case "units":
            return """
                $5, $0.035, $8k · 60% · tokens, requests, images, words, characters, GB · second, minute (min),
                hour (h), day, week, month (730 hours, or the script's `month`), year · steps, units, queries, pages, OCUs, models
                A number with a unit binds tighter than /: $3/1M tokens. `x in $/day` converts.

                """
        case "properties":
            return PropertyTable.text() + "\n"
        case "prices":
            return """
                price NAME < input $3/1M tokens; output $15/1M tokens; source "…" > adds a model or overrides
                exactly the rates it names. Rates: \(RateKind.knownNames.joined(separator: ", ")).
                Scope: region, endpoint, above 200k tokens. :models lists the catalog.

                """
        case "examples":
            return """
                workload chat < model sonnet-4.5; requests 3000/day; cache 60% >
                chat in $/day
                chat with < mode batch >          # an error: Sonnet 4.5 has no batch price
                workload triage < model nova-micro; requests 40k/day; input 300 tokens; output 20 tokens; mode batch >
                total
                assert total < $1k/month

                """
        default:
            var text = "tally: no help on \"\(topic)\"; topics: \(helpTopics.joined(separator: ", "))"
            if let near = Suggestion.closest(to: topic, in: helpTopics) { text += "; did you mean \(near)?" }
            return text + "\n"
        }
    }
}
