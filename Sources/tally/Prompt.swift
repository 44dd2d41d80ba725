import CEditLine
import Foundation
import TallyKit

/// The interactive prompt: libedit's `readline` with in-memory history. Each
/// input runs transactionally, so a failing line changes nothing.
struct Prompt {
    let color: Bool

    func run() -> Never {
        guard var session = try? Session.standard().get() else {
            finish(Commands.run(paths: [], color: color))
        }
        session.allowsRedefinition = true
        let text = TextRenderer(color: color)
        let diagnostics = DiagnosticRenderer(color: color)
        print("Tally — type a workload, an expression, or Ctrl-D to quit.")
        var count = 0
        while let raw = readline("tally> ") {
            let line = String(cString: raw)
            free(raw)
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            add_history(line)
            count += 1
            let outcome = session.run(SourceFile(name: "<input \(count)>", text: line), transactional: true)
            var out = text.render(outcome.shown)
            // A workload typed at the prompt shows its cost straight away.
            if !outcome.hasErrors {
                out += outcome.declaredWorkloads.map(text.render).joined(separator: "\n")
            }
            if let value = outcome.lastValue, !outcome.hasErrors {
                out += "= " + text.render(value)
            }
            for a in outcome.assertions {
                out += (a.passed ? "assertion holds" : "assertion failed") + (a.message.map { ": \($0)" } ?? "") + "\n"
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            FileHandle.standardError.write(Data(diagnostics.render(outcome.diagnostics).utf8))
        }
        print()
        exit(0)
    }
}
