// `tally lsp`'s loop: messages in, answers out, analysis debounced.
import TallySyntax
import TallyRender

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum LanguageServerLoop {
    /// Serves until `exit` (0 after `shutdown`, else 1) or the client closes
    /// the connection (1). A changed document is analysed once input has
    /// been quiet for `debounce` milliseconds, or when a request needs it:
    /// typing runs no analysis per keystroke. A stream of messages delays it
    /// by at most `patience` milliseconds.
    package static func run(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, debounce: Int32 = 150, patience: Int = 600) -> Int32 {
        let session: Session
        switch Session.standard() {
        case .success(let s): session = s
        case .failure(let diagnostics):
            FileSystem.write(DiagnosticRenderer().render(diagnostics.all), to: STDERR_FILENO)
            return 2
        }
        var server = LanguageServer(session: session)
        var connection = LSPConnection(input: input, output: output)
        let clock = ContinuousClock()
        var pendingSince: ContinuousClock.Instant?
        while true {
            if server.hasPendingAnalysis {
                let since = pendingSince ?? clock.now
                pendingSince = since
                if since.duration(to: clock.now) > .milliseconds(patience) || !connection.waitForInput(milliseconds: debounce) {
                    for message in server.analyzePending() { connection.write(message) }
                    pendingSince = nil
                    continue
                }
            } else {
                pendingSince = nil
            }
            let body: [UInt8]
            do {
                body = try connection.read()
            } catch {
                if error != .closed { FileSystem.write("tally lsp: \(error)\n", to: STDERR_FILENO) }
                return server.exitStatus ?? 1
            }
            for reply in server.handle(body) { connection.write(reply) }
            if let status = server.exitStatus { return status }
        }
    }
}
