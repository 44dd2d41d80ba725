// What the language server answers about one analysed document: its
// diagnostics, completion, hover, costs inline, definitions and symbols.
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

extension LanguageServer.Document {
    /// `textDocument/publishDiagnostics` for the document: the parser's and
    /// evaluator's diagnostics in it, with their hints, as `tally run` reports them.
    var publishedDiagnostics: JSON {
        var items: [JSON] = []
        if let analysis {
            for d in analysis.outcome.diagnostics where !d.isFollowOn {
                // A diagnostic in an imported file is shown at the top of this one.
                let span = d.span.flatMap { $0.file === analysis.file ? $0 : nil }
                let range = analysis.file.lspRange(span?.start ?? 0, span?.end ?? 0)
                var message = d.message
                if let span = d.span, span.file !== analysis.file { message = "\(span.location): " + message }
                for hint in d.hints { message += "\nhint: " + hint }
                let severity = switch d.severity {
                case .error: "1"
                case .warning: "2"
                case .note: "3"
                }
                items.append(.object([("range", range), ("severity", .number(severity)), ("code", .string(d.kind.rawValue)),
                                      ("source", .string("tally")), ("message", .string(message))]))
            }
        }
        return .object([("jsonrpc", .string("2.0")), ("method", .string("textDocument/publishDiagnostics")),
                        ("params", .object([("uri", .string(uri)), ("version", .number(String(version))), ("diagnostics", .array(items))]))])
    }

    /// The token at a position, or just before it (a cursor at a word's end).
    func token(at position: (line: Int, character: Int)) -> Token? {
        guard let analysis else { return nil }
        let offset = analysis.file.offset(line: position.line, character: position.character)
        let tokens = Lexer.tokens(analysis.file)
        var low = 0
        var high = tokens.count
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].span.end < offset { low = middle + 1 } else { high = middle }
        }
        guard low < tokens.count, tokens[low].span.start <= offset, tokens[low].kind != .end else { return nil }
        return tokens[low]
    }

    // MARK: Completion

    func completion(at position: (line: Int, character: Int)) -> JSON {
        guard let analysis else { return .array([]) }
        let offset = analysis.file.offset(line: position.line, character: position.character)
        let before = String(decoding: analysis.file.bytes[0..<offset], as: UTF8.self)
        // In `import "…`: the scripts beside this one.
        if let quote = before.lastIndex(of: "\""), before[..<quote].hasSuffix("import "), !before[before.index(after: quote)...].contains("\n") {
            return .array(importCandidates().map { LanguageServer.completionItem($0, kind: 17, detail: "script") })
        }
        let word = Completion.currentWord(before)
        let context = String(before.dropLast(word.count))
        let session = analysis.session
        let catalog = session.environment.catalog
        let words = Array(Set(Completion.candidates(after: context, session: session).filter { $0.hasPrefix(word) })).sorted()
        return .array(words.prefix(500).map { candidate in
            if let binding = session.environment[candidate] {
                return LanguageServer.completionItem(candidate, kind: binding.kind == .workload ? 22 : 6, detail: LanguageServer.summary(binding.value))
            }
            if let model = catalog.model(named: candidate), model.name == candidate || model.aliases.contains(candidate) {
                return LanguageServer.completionItem(candidate, kind: 12, detail: LanguageServer.rates(model))
            }
            if Keyword(rawValue: candidate) != nil { return LanguageServer.completionItem(candidate, kind: 14, detail: nil) }
            if let property = WorkloadProperty(rawValue: candidate) {
                return LanguageServer.completionItem(candidate, kind: 10, detail: property.entry.form)
            }
            return LanguageServer.completionItem(candidate, kind: 1, detail: nil)
        })
    }

    /// `.tally` files in the document's directory, for `import "…"`.
    func importCandidates() -> [String] {
        guard let path, let entries = try? FileManager.default.contentsOfDirectory(atPath: Path.directory(of: path)) else { return [] }
        let own = path.split(separator: "/").last.map(String.init)
        return Array(entries.filter { $0.hasSuffix(".tally") && $0 != own }.sorted().prefix(500))
    }

    // MARK: Hover

    func hover(at position: (line: Int, character: Int)) -> JSON {
        guard let analysis, let token = token(at: position) else { return .null }
        let session = analysis.session
        let text: String
        switch token.kind {
        case .name(let name):
            if let binding = session.environment[name] {
                text = "```\n" + TextRenderer().render(binding.value) + "```"
            } else if let model = session.environment.catalog.model(named: name) {
                text = "**\(model.name)**: " + LanguageServer.rates(model) + "\n\n```\n"
                    + Commands.models(in: session, filter: name, exact: true).stdout + "```"
            } else if name == "total", let value = try? session.environment.ledger.total() {
                text = "```\n" + TextRenderer().render(.total(value)) + "```"
            } else if let property = WorkloadProperty(rawValue: name) {
                let entry = property.entry
                text = "`\(entry.form)`: \(entry.description)" + (entry.defaultValue.map { " (default: \($0))" } ?? "")
            } else {
                return .null
            }
        default:
            return .null
        }
        return .object([("contents", .object([("kind", .string("markdown")), ("value", .string(text))])),
                        ("range", analysis.file.lspRange(token.span.start, token.span.end))])
    }

    // MARK: Costs inline

    /// Each workload's monthly cost after its declaration, each assertion's
    /// verdict and margin after it.
    func inlayHints() -> JSON {
        .array(costNotes().map { note in
            .object([("position", note.file.lspPositionJSON(note.offset)), ("label", .string(" " + note.label)),
                     ("kind", .number("1")), ("paddingLeft", .bool(true))])
        })
    }

    /// The same figures as code lenses above each declaration (for clients without inlay hints).
    func codeLenses() -> JSON {
        .array(costNotes().map { note in
            let start = note.file.lineStarts[note.file.lspPosition(of: note.lineOffset).line]
            return .object([("range", note.file.lspRange(start, start)),
                            ("command", .object([("title", .string(note.label)), ("command", .string(""))]))])
        })
    }

    struct CostNote {
        let file: SourceFile
        /// Where an inlay hint goes (the declaration's end) and the line a lens goes above.
        let offset: Int
        let lineOffset: Int
        let label: String
    }

    func costNotes() -> [CostNote] {
        guard let analysis else { return [] }
        var notes: [CostNote] = []
        for statement in analysis.statements where statement.span.file === analysis.file {
            switch statement.kind {
            case .workload(let name, let nameSpan, _, _):
                guard let binding = analysis.session.environment[name], binding.span == nameSpan,
                      case .workload(_, let breakdown) = binding.value else { continue }
                let figure = breakdown.oneOffMonth == nil ? Format.money(breakdown.total, breakdown.high?.breakdown.total) + "/month"
                    : Format.money(breakdown.total, breakdown.high?.breakdown.total) + " once"
                notes.append(CostNote(file: analysis.file, offset: statement.span.end, lineOffset: statement.span.start, label: "= " + figure))
            default: break
            }
        }
        for assertion in analysis.outcome.assertions where assertion.span.file === analysis.file {
            var label = assertion.passed ? "✓ holds" : "✗ fails"
            if let group = assertion.group { label += " [" + (group.value.map { "\(group.key)=\($0)" } ?? "no \(group.key) tag") + "]" }
            if let actual = assertion.actual { label += ": " + actual }
            if let margin = assertion.margin { label += ", margin " + CheckRenderer.signedQuantity(margin) }
            notes.append(CostNote(file: analysis.file, offset: assertion.span.end, lineOffset: assertion.span.start, label: label))
        }
        return notes.sorted { $0.offset < $1.offset }
    }

    /// `tally fmt`'s layout as one edit of the whole text; none when it is laid out already.
    func formatting() -> JSON {
        let formatted = SourceFormatter.format(text)
        guard formatted != text else { return .array([]) }
        let file = analysis?.file ?? SourceFile(name: "<format>", text: text)
        return .array([.object([("range", file.lspRange(0, file.bytes.count)), ("newText", .string(formatted))])])
    }

    // MARK: Definitions and symbols

    func definition(at position: (line: Int, character: Int)) -> JSON {
        guard let analysis, let token = token(at: position) else { return .null }
        switch token.kind {
        case .name(let name):
            guard let binding = analysis.session.environment[name] else { return .null }
            return LanguageServer.location(binding.span, in: analysis.file, uri: uri)
        case .string(let path):
            // `import "prices.tally"`: the file it names, beside this one.
            let statement = analysis.statements.first { s in
                if case .import(_, let pathSpan) = s.kind { return pathSpan == token.span }
                return false
            }
            guard statement != nil, let own = self.path else { return .null }
            let target = Path.normalized(Path.resolved(path, against: Path.directory(of: own)))
            guard FileSystem.exists(target) else { return .null }
            return .object([("uri", .string(LanguageServer.uri(of: target))), ("range", analysis.file.lspRange(0, 0))])
        default:
            return .null
        }
    }

    func symbols() -> JSON {
        guard let analysis else { return .array([]) }
        var items: [JSON] = []
        for statement in analysis.statements where statement.span.file === analysis.file {
            let symbol: (String, Span, Int, String)?
            switch statement.kind {
            case .workload(let name, let span, _, let kind): symbol = (name, span, 12, kind.rawValue)
            case .let(let name, let span, _): symbol = (name, span, 13, "let")
            case .price(let name, let span, _): symbol = (name, span, 14, "price")
            case .profile(let arn, let span, _): symbol = (arn, span, 21, "profile")
            default: symbol = nil
            }
            guard let (name, nameSpan, kind, detail) = symbol else { continue }
            items.append(.object([("name", .string(name)), ("detail", .string(detail)), ("kind", .number(String(kind))),
                                  ("range", analysis.file.lspRange(statement.span.start, statement.span.end)),
                                  ("selectionRange", analysis.file.lspRange(nameSpan.start, nameSpan.end))]))
        }
        return .array(items)
    }
}

extension LanguageServer {
    static func completionItem(_ label: String, kind: Int, detail: String?) -> JSON {
        var fields: [(String, JSON)] = [("label", .string(label)), ("kind", .number(String(kind)))]
        if let detail { fields.append(("detail", .string(detail))) }
        return .object(fields)
    }

    /// A value on one line: a workload's monthly cost, a quantity as printed.
    static func summary(_ value: Value) -> String {
        switch value {
        case .workload(_, let b): Format.money(b.total, b.high?.breakdown.total) + "/month"
        case .total(let plan): Format.money(plan.total, plan.upperTotal) + "/month"
        default: String(TextRenderer().render(value).dropLast())
        }
    }

    /// A model's token rates where it is priced by default: `input $3.00/1M tokens · output $15.00/1M tokens`.
    static func rates(_ model: ModelPrice) -> String {
        let endpoint = model.pricesByEndpoint ? Engine.defaultEndpoint : Endpoint.regional
        let shown = [RateKind.input, .output].compactMap { kind in
            (model.rate(kind, region: Engine.defaultRegion, endpoint: endpoint) ?? model.rate(kind, region: Engine.defaultRegion, endpoint: .regional))
                .map { "\(kind.name) \(Format.rate($0.amount, kind: kind))" }
        }
        let text = shown.joined(separator: " · ")
        return [model.displayName, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: " — ")
    }

    static func location(_ span: Span, in file: SourceFile, uri: String) -> JSON {
        if span.file === file { return .object([("uri", .string(uri)), ("range", file.lspRange(span.start, span.end))]) }
        guard span.file.name.hasPrefix("/") else { return .null }
        return .object([("uri", .string(LanguageServer.uri(of: span.file.name))), ("range", span.file.lspRange(span.start, span.end))])
    }
}
