import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// The real `tally` binary at its prompt, in a pseudo-terminal: keys go in,
/// the screen's text comes out.
final class PseudoTerminal {
    let master: Int32
    let process: Process
    private(set) var output = ""
    /// Where the next `expect` starts looking.
    private var mark: String.Index

    init(environment extra: [String: String], arguments: [String] = []) throws {
        var master: Int32 = 0
        var slave: Int32 = 0
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw POSIXError(.EIO) }
        self.master = master
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TallyBinary.binary)
        process.arguments = arguments
        var environment = ["TERM": "xterm", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        close(slave)
        self.process = process
        self.mark = output.startIndex
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        close(master)
    }

    func send(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// The screen's text without escape sequences and carriage returns.
    static func clean(_ raw: String) -> String {
        var out = ""
        var iterator = raw.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            if c == "\u{1B}" {
                guard let next = iterator.next() else { break }
                if next == "[" {
                    while let d = iterator.next(), !(d.value >= 0x40 && d.value <= 0x7E) {}
                } else if next == "]" {
                    while let d = iterator.next(), d != "\u{07}" {}
                }
                continue
            }
            if c == "\r" || c == "\u{07}" || c == "\u{08}" { continue }
            out.unicodeScalars.append(c)
        }
        return out
    }

    private func pump(timeout milliseconds: Int32) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        if count > 0 { output += String(decoding: buffer[0..<count], as: UTF8.self) }
    }

    /// Waits until `text` appears after the last match; returns what came
    /// before it, cleaned.
    @discardableResult
    func expect(_ text: String, timeout: TimeInterval = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let screen = PseudoTerminal.clean(String(output[mark...]))
            if let range = screen.range(of: text) {
                // Advance past the match in the raw output.
                let consumed = screen[..<range.upperBound]
                var rawIndex = mark
                var seen = 0
                let target = PseudoTerminal.clean(String(output[mark...])).distance(from: screen.startIndex, to: range.upperBound)
                while rawIndex < output.endIndex, seen < target {
                    rawIndex = output.index(after: rawIndex)
                    seen = PseudoTerminal.clean(String(output[mark..<rawIndex])).count
                }
                mark = rawIndex
                return String(consumed)
            }
            pump(timeout: 100)
        }
        throw TerminalTimeout(expected: text, screen: PseudoTerminal.clean(String(output[mark...])))
    }

    /// Waits until the line editor has the terminal in raw mode, so a control
    /// key reaches it as a key rather than to the line discipline.
    func waitForEditing(timeout: TimeInterval = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        var attributes = termios()
        while Date() < deadline {
            if tcgetattr(master, &attributes) == 0, attributes.c_lflag & tcflag_t(ICANON) == 0 { return }
            pump(timeout: 20)
        }
    }

    /// Sends keys once the editor is reading.
    func type(_ keys: String) {
        waitForEditing()
        send(keys)
    }

    /// Ctrl-D on an empty line, then the exit status.
    func quit() -> Int32? {
        type("\u{04}")
        return waitForExit()
    }

    func waitForExit(timeout: TimeInterval = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { pump(timeout: 50) }
        return process.isRunning ? nil : process.terminationStatus
    }

    struct TerminalTimeout: Error, CustomStringConvertible {
        let expected: String
        let screen: String
        var description: String { "timed out waiting for \"\(expected)\"; the screen shows:\n\(screen)" }
    }
}

@Suite(.serialized) struct TerminalTests {
    static let enter = "\r"
    static let up = "\u{1B}[A"
    static let controlC = "\u{03}"

    func historyPath() -> String {
        NSTemporaryDirectory() + "tally-terminal-\(UUID().uuidString)/history"
    }

    func start(history: String) throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(environment: ["TALLY_HISTORY": history])
        try terminal.expect("tally> ")
        return terminal
    }

    @Test func aWorkloadOverTwoLines() throws {
        let t = try start(history: historyPath())
        t.send("workload chat <" + Self.enter)
        try t.expect("...> ")
        t.send("  model sonnet-4.5; requests 3000/day; cache 60% >" + Self.enter)
        try t.expect("$536.55")
        try t.expect("tally> ")
        #expect(t.quit() == 0)
    }

    @Test func historyIsRecalledAfterARestart() throws {
        let path = historyPath()
        let first = try start(history: path)
        first.send("let peak = 5000/day" + Self.enter)
        try first.expect("tally> ")
        first.send("workload w <" + Self.enter)
        try first.expect("...> ")
        first.send(" model nova-micro; requests peak >" + Self.enter)
        try first.expect("tally> ")
        #expect(first.quit() == 0)
        // The multi-line workload is one entry.
        #expect(Repository.read(path) == "let peak = 5000/day\nworkload w < model nova-micro; requests peak >\n")

        let second = try start(history: path)
        second.type(Self.up + Self.up)
        try second.expect("let peak = 5000/day")
        second.send(Self.enter)
        try second.expect("tally> ")
        second.send("peak in 1/month" + Self.enter)
        try second.expect("= 152,083.33/month")
        #expect(second.quit() == 0)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }

    @Test func tabCompletesAModelName() throws {
        let t = try start(history: historyPath())
        t.type("workload c < model sonn\t")
        try t.expect("sonnet-4.5 ")
        t.send("; requests 1000/month >" + Self.enter)
        try t.expect("Claude Sonnet 4.5 (sonnet-4.5)")
        #expect(t.quit() == 0)
    }

    @Test func controlCAbandonsAContinuation() throws {
        let t = try start(history: historyPath())
        t.send("let x = (1 +" + Self.enter)
        try t.expect("...> ")
        t.type(Self.controlC)
        try t.expect("tally> ")
        t.send("x" + Self.enter)
        try t.expect("unknown name `x`")
        t.send("1 + 1" + Self.enter)
        try t.expect("= 2")
        #expect(t.quit() == 0)
    }

    @Test func aFailingInputLeavesEarlierNames() throws {
        let t = try start(history: historyPath())
        t.send("let a = 5" + Self.enter)
        try t.expect("tally> ")
        t.send("let a = nope" + Self.enter)
        try t.expect("unknown name `nope`")
        t.send("a" + Self.enter)
        try t.expect("= 5")
        t.send(":quit" + Self.enter)
        #expect(t.waitForExit() == 0)
    }

    @Test func saveWritesAScriptThatRunsTheSame() throws {
        let script = NSTemporaryDirectory() + "tally-saved-\(UUID().uuidString).tally"
        defer { try? FileManager.default.removeItem(atPath: script) }
        let t = try start(history: historyPath())
        t.send("workload chat < model sonnet-4.5; requests 3000/day; cache 60% >" + Self.enter)
        try t.expect("tally> ")
        t.send("chat in $/month" + Self.enter)
        try t.expect("= $536.55/month")
        t.send(":save \(script)" + Self.enter)
        try t.expect("saved 2 inputs")
        #expect(t.quit() == 0)
        let evaluated = try TallyBinary.run(["eval", "-f", script, "chat in $/month"])
        #expect(evaluated.stdout == "$536.55/month\n")
    }

    @Test func historySurvivesKillNine() throws {
        let path = historyPath()
        let t = try start(history: path)
        t.send("let survivor = 42" + Self.enter)
        try t.expect("tally> ")
        t.send(" let secret = 1" + Self.enter)   // a leading space keeps it out
        try t.expect("tally> ")
        kill(t.process.processIdentifier, SIGKILL)
        t.process.waitUntilExit()
        #expect(Repository.read(path) == "let survivor = 42\n")
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }
}
