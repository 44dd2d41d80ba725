/// One input through the whole pipeline: lexer, parser, evaluator, pricing,
/// every renderer, the prompt's helpers. Anything but a clean return (a trap,
/// a crash, a hang, runaway memory) is a bug.
public enum FuzzHarness {
    static let session: Session? = try? Session.standard().get()

    public static func run(_ bytes: UnsafeRawBufferPointer) {
        guard var session else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let file = SourceFile(name: "<fuzz>", text: text)
        let outcome = session.run(file, transactional: true)
        _ = DiagnosticRenderer().render(outcome.diagnostics)
        _ = TextRenderer().render(outcome.shown)
        for item in outcome.shown {
            _ = JSONRenderer.value(item.value).rendered()
            _ = TableRenderer.csv(item, file: "<fuzz>")
            _ = TableRenderer.markdown(item)
        }
        var report = CheckReport()
        report.assertions = outcome.assertions
        report.diagnostics = outcome.diagnostics
        _ = CheckRenderer.text(report)
        _ = CheckRenderer.junit(report)
        _ = CheckRenderer.github(report, verbose: true)
        _ = CheckRenderer.json(report).rendered()
        _ = InputShape.needsMore(text)
        _ = InputShape.oneLine(text)
        _ = session.evaluate(SourceFile(name: "<fuzz-expression>", text: text))
        _ = Completion.complete(line: text, cursor: text.count, pending: [], session: session)
    }
}
