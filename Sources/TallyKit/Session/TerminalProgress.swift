import Dispatch
import Synchronization
import TallyActuals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress of long work on a terminal: one line on standard error,
/// redrawn in place at most ten times a second once the work has taken half
/// a second (a short run prints nothing), and erased when the work is over so
/// the report that follows starts on a clean line. Made only when standard
/// error is a terminal (`standardError`); what it writes never reaches
/// standard output, and never changes the exit status.
package final class TerminalProgress: ReadObserver {
    struct State {
        var total: Int64?
        var bytes: Int64 = 0
        var records = 0
        var start: Double
        var lastDraw: Double?
        /// `working`'s current run (a later one, or none after `end`, stops an earlier one's redraws).
        var working: Int?
        var runs = 0
    }

    /// Seconds before the first line, and between two lines.
    static let delay = 0.5
    static let interval = 0.1

    let clock: @Sendable () -> Double
    let write: @Sendable (String) -> Void
    /// Columns of the terminal (0: unknown): a line longer wraps and cannot be redrawn.
    let columns: Int
    let state: Mutex<State>
    /// Redraws `working`'s line while the work runs elsewhere, until `end`.
    let queue = DispatchQueue(label: "tally.progress")

    package init(clock: @escaping @Sendable () -> Double, columns: Int, write: @escaping @Sendable (String) -> Void) {
        self.clock = clock
        self.write = write
        self.columns = columns
        state = Mutex(State(start: clock()))
    }

    /// A reporter writing to standard error, or nil when that is not a terminal or `quiet`.
    package static func standardError(quiet: Bool) -> TerminalProgress? {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 ? Int(size.ws_col) : 0
        return TerminalProgress(clock: monotonicSeconds, columns: columns) { text in
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return }
                bytes = bytes.dropFirst(n)
            }
        }
    }

    @Sendable static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    package func begin(totalBytes: Int64?) {
        let now = clock()
        state.withLock { $0 = State(total: totalBytes, start: now) }
    }

    package func advance(bytes: Int64, records: Int) {
        let now = clock()
        let line: String? = state.withLock { state in
            state.bytes += bytes
            state.records += records
            let elapsed = now - state.start
            guard elapsed >= TerminalProgress.delay, state.lastDraw.map({ now - $0 >= TerminalProgress.interval }) ?? true else { return nil }
            state.lastDraw = now
            return TerminalProgress.line(bytes: state.bytes, total: state.total, records: state.records, elapsed: elapsed)
        }
        if let line { write("\r" + clipped(line) + "\u{1B}[K") }
    }

    /// Work whose progress cannot be measured (another program running):
    /// `LABEL · 12 s elapsed`, redrawn from a timer until `end`.
    package func working(_ label: String) {
        let start = clock()
        let run = state.withLock { state in
            state.runs += 1
            state.working = state.runs
            return state.runs
        }
        redraw(label, run: run, start: start, after: TerminalProgress.delay)
    }

    private func redraw(_ label: String, run: Int, start: Double, after seconds: Double) {
        queue.asyncAfter(deadline: .now() + seconds) { [self] in
            let now = clock()
            let current = state.withLock { state in
                guard state.working == run else { return false }
                state.lastDraw = now
                return true
            }
            guard current else { return }
            write("\r" + clipped(TerminalProgress.line(working: label, elapsed: now - start)) + "\u{1B}[K")
            redraw(label, run: run, start: start, after: TerminalProgress.interval)
        }
    }

    package static func line(working label: String, elapsed: Double) -> String {
        "\(label) · \(Int(max(0, elapsed))) s elapsed"
    }

    package func end() {
        if state.withLock({ $0.working.take() }) != nil {
            // A redraw under way finishes before the erase.
            queue.sync {}
        }
        let drawn = state.withLock { state in
            defer { state.lastDraw = nil }
            return state.lastDraw != nil
        }
        if drawn { write("\r\u{1B}[K") }
    }

    /// The line cut to the terminal's width less one column (the cursor's).
    func clipped(_ line: String) -> String {
        guard columns > 1, line.count >= columns else { return line }
        return String(line.prefix(columns - 1))
    }

    /// `12.3 MB of 40.0 MB · 120,400 records · 48,000 records/s · 4.9 MB/s · 6 s left`:
    /// the total and time left only when the total is known, the rates and
    /// time left only once something was read.
    package static func line(bytes: Int64, total: Int64?, records: Int, elapsed: Double) -> String {
        var parts: [String] = []
        let done = min(bytes, total ?? bytes)
        parts.append(total.map { "\(megabytes(done)) of \(megabytes($0))" } ?? megabytes(done))
        parts.append("\(grouped(records)) records")
        if elapsed > 0, done > 0 {
            parts.append("\(grouped(Int((Double(records) / elapsed).rounded()))) records/s")
            parts.append("\(megabytes(Int64((Double(done) / elapsed).rounded())))/s")
            if let total {
                let left = elapsed * Double(total - done) / Double(done)
                parts.append("\(duration(left)) left")
            }
        }
        return parts.joined(separator: " · ")
    }

    /// Bytes in megabytes (10^6), one decimal.
    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(grouped(Int(tenths / 10))).\(tenths % 10) MB"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Whole seconds rounded up: `6 s`, `2 min 5 s`, `3 h 12 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "? s" }
        let whole = Int(min(seconds.rounded(.up), 99 * 3600))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \((whole % 3600) / 60) min"
    }
}
