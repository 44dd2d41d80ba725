import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender
import TallyActuals

/// One input through the whole pipeline: lexer, parser, evaluator, pricing,
/// every renderer, the prompt's helpers. Anything but a clean return (a trap,
/// a crash, a hang, runaway memory) is a bug, and so is output that breaks
/// what the formats promise: a workflow command outside `--format github`,
/// or other than one per finding in it.
package enum FuzzHarness {
    static let session: Session? = try? Session.standard().get()

    package static func run(_ bytes: UnsafeRawBufferPointer) {
        guard var session else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let file = SourceFile(name: "<fuzz>", text: text)
        let outcome = session.run(file, transactional: true)
        var printed = [DiagnosticRenderer().render(outcome.diagnostics), TextRenderer().render(outcome.shown)]
        for item in outcome.shown {
            _ = JSONRenderer.value(item.value).rendered()
            printed.append(TableRenderer.csv(item, file: "<fuzz>"))
            printed.append(TableRenderer.markdown(item))
        }
        var report = CheckReport()
        report.assertions = outcome.assertions
        report.diagnostics = outcome.diagnostics
        printed += [CheckRenderer.text(report), CheckRenderer.junit(report), CheckRenderer.markdown(report),
                    CheckRenderer.json(report).rendered(), HTMLReport.check(report), HTMLReport.run(outcome.shown, title: text)]
        for text in printed {
            precondition(!holdsWorkflowCommand(Escaping.workflowSafe(text)), "a workflow command outside --format github")
        }
        let github = CheckRenderer.github(report, verbose: true)
        let commands = github.split(separator: "\n").filter { $0.hasPrefix("::") }.count
        precondition(commands == report.assertions.count + report.diagnostics.count && !github.contains("\r"),
                     "not one workflow command per finding")
        formatted(text)
        _ = InputShape.needsMore(text)
        _ = InputShape.oneLine(text)
        _ = session.evaluate(SourceFile(name: "<fuzz-expression>", text: text))
        _ = Completion.complete(line: text, cursor: text.count, pending: [], session: session)
        logLines(bytes)
        languageServer(text, raw: Array(bytes))
        // The input as an engine's result, read and, when it parses, priced.
        if let rows = try? Aggregates.rows(Array(bytes)), !rows.isEmpty {
            _ = try? Aggregates.price(rows, catalog: session.environment.catalog, options: UsageOptions())
        }
    }

    /// The input as a document open in the language server, asked about at
    /// its start, middle and end and at the start of its first lines; and as
    /// a message body of its own.
    static func languageServer(_ text: String, raw: [UInt8]) {
        guard let session else { return }
        var server = LanguageServer(session: session)
        func send(_ message: JSON) -> [JSON] { server.handle(Array(message.rendered().utf8)) }
        func request(_ method: String, _ params: [(String, JSON)]) -> [JSON] {
            send(.object([("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string(method)), ("params", .object(params))]))
        }
        let uri = "file:///nonexistent/fuzz.tally"
        let document: JSON = .object([("uri", .string(uri))])
        _ = server.handle(raw)
        _ = send(.object([("jsonrpc", .string("2.0")), ("method", .string("textDocument/didOpen")), ("params", .object([
            ("textDocument", .object([("uri", .string(uri)), ("languageId", .string("tally")), ("version", .number("1")), ("text", .string(text))])),
        ]))]))
        _ = server.analyzePending()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var positions = [(0, 0), (lines.count / 2, 3), (lines.count - 1, lines.last?.utf16.count ?? 0), (lines.count + 3, 99)]
        for line in 0..<min(lines.count, 6) { positions.append((line, 1)) }
        for (line, character) in positions {
            let at: [(String, JSON)] = [("textDocument", document), ("position", .object([("line", .number(String(line))), ("character", .number(String(character)))]))]
            for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] { _ = request(method, at) }
        }
        for method in ["textDocument/inlayHint", "textDocument/codeLens", "textDocument/documentSymbol"] {
            _ = request(method, [("textDocument", document)])
        }
    }

    /// `tally fmt` on the input: idempotent, and every token back with its
    /// text, on its line.
    static func formatted(_ text: String) {
        let once = SourceFormatter.format(text)
        precondition(SourceFormatter.format(once) == once, "formatting twice changes the layout")
        precondition(SourceFormatter.sameTokens(text, once), "formatting changes the tokens")
    }

    /// The input as a log: every line through the record scanner, and the
    /// same lines whether the bytes come in one piece or in small chunks.
    static func logLines(_ bytes: UnsafeRawBufferPointer) {
        func lines(chunk: Int) -> [String] {
            var splitter = LineSplitter()
            var out: [String] = []
            let line = { (line: UnsafeBufferPointer<UInt8>, number: Int) in
                let scanned = Result { () throws(MalformedLine) in try LogScanner.scan(line) }
                out.append("\(number) \((try? scanned.get())?.modelId ?? "-")")
            }
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunk)
                splitter.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), line: line, tooLong: { out.append("\($0) long") })
                start = end
            }
            splitter.finish(line: line, tooLong: { out.append("\($0) long") })
            return out
        }
        precondition(lines(chunk: max(1, bytes.count)) == lines(chunk: 7), "lines differ by chunking")
    }

    /// What GitHub's runner reads as a workflow command: a line whose first
    /// non-blank characters are `::`, or that holds `##[` (a log splits lines
    /// at CR too).
    static func holdsWorkflowCommand(_ text: String) -> Bool {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).contains { line in
            line.drop(while: \.isWhitespace).hasPrefix("::") || line.contains("##[")
        }
    }
}
