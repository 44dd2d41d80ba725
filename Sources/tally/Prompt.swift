import CLineEditor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import TallyKit
import TallyLanguage
import TallyPricing
import TallyQuantities
import TallyRender
import TallySyntax

/// The interactive prompt: libedit for the keyboard, `Repl` for everything
/// else, and a history file written after every accepted input.
struct Prompt {
    let color: Bool
    let charts: ChartStyle

    func run() -> Never {
        let session: Session
        switch Session.standard() {
        case .success(let s): session = s
        case .failure(let errors):
            FileSystem.write(DiagnosticRenderer(color: color).render(errors.all), to: 2)
            exit(2)
        }
        // Ctrl-C is a key while editing; between lines it must not end the prompt.
        signal(SIGINT, SIG_IGN)
        var repl = Repl(session: session, color: color, charts: charts)
        let environment = ProcessInfo.processInfo.environment
        let (limit, warning) = HistoryFile.limit(from: environment["TALLY_HISTORY_SIZE"])
        if let warning { FileSystem.write(warning, to: 2) }
        let historyFile = HistoryFile.defaultPath(environment: environment).map { HistoryFile(path: $0, limit: limit) }
        guard let editor = LineEditor(programName: "tally", historyLimit: limit) else {
            FileSystem.write("tally: cannot start the line editor (\(String(cString: tally_editline_error()))); "
                + "install libedit (Debian: apt-get install libedit2), or give the input on stdin\n", to: 2)
            exit(2)
        }
        for entry in historyFile?.load() ?? [] { editor.remember(entry) }
        var historyWarned = false
        editor.completer = { line, cursor in
            Completion.complete(line: line, cursor: cursor, pending: repl.pending, session: repl.session)
        }
        print("Tally — type a workload or an expression; :help for more, Ctrl-D to quit.")
        while let line = editor.readLine(prompt: repl.prompt) {
            if editor.interrupted {
                repl.interrupt()
                continue
            }
            let reply = repl.feed(line)
            if let entry = reply.historyEntry {
                editor.remember(entry)
                do {
                    try historyFile?.append(entry)
                } catch {
                    if !historyWarned {
                        FileSystem.write("tally: \(error)\n", to: 2)
                        historyWarned = true
                    }
                }
            }
            writeOrExit(reply.stdout)
            FileSystem.write(reply.stderr, to: 2)
            if reply.quit { exit(0) }
        }
        print()
        exit(0)
    }
}
