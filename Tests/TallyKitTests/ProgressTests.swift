import Foundation
import Synchronization
import Testing
@testable import TallyKit

/// The progress line of long work (`TerminalProgress`): its text, when it is
/// drawn, and `tally usage` on a pseudo-terminal against the same run piped.
@Suite(.serialized) struct ProgressTests {
    /// A clock the test moves, and what the reporter wrote.
    final class Screen: Sendable {
        let now = Mutex(0.0)
        let writes = Mutex<[String]>([])

        func progress(columns: Int = 0) -> TerminalProgress {
            TerminalProgress(clock: { self.now.withLock { $0 } }, columns: columns) { text in self.writes.withLock { $0.append(text) } }
        }

        func at(_ seconds: Double) { now.withLock { $0 = seconds } }

        /// At `seconds`, so much more read.
        func read(_ progress: TerminalProgress, at seconds: Double, bytes: Int64, records: Int) {
            at(seconds)
            progress.advance(bytes: bytes, records: records)
        }
        var written: [String] { writes.withLock { $0 } }
    }

    @Test func lineSaysBytesRecordsRatesAndTimeLeft() {
        let line = TerminalProgress.line(bytes: 12_300_000, total: 40_000_000, records: 120_400, elapsed: 2.5)
        #expect(line == "12.3 MB of 40.0 MB · 120,400 records · 48,160 records/s · 4.9 MB/s · 6 s left")
    }

    @Test func lineWithoutATotalOrBeforeAnyByte() {
        #expect(TerminalProgress.line(bytes: 1_000_000, total: nil, records: 10, elapsed: 1) == "1.0 MB · 10 records · 10 records/s · 1.0 MB/s")
        #expect(TerminalProgress.line(bytes: 0, total: 5_000_000, records: 0, elapsed: 0) == "0.0 MB of 5.0 MB · 0 records")
        // More read than the total said (a file grew): never past it, nothing left.
        #expect(TerminalProgress.line(bytes: 9_000_000, total: 5_000_000, records: 3, elapsed: 1).hasSuffix("0 s left"))
    }

    @Test func durationsRoundUp() {
        #expect(TerminalProgress.duration(0.2) == "1 s")
        #expect(TerminalProgress.duration(125) == "2 min 5 s")
        #expect(TerminalProgress.duration(3 * 3600 + 12 * 60) == "3 h 12 min")
        #expect(TerminalProgress.duration(.infinity) == "? s")
        #expect(TerminalProgress.duration(1e300) == "99 h 0 min")
    }

    @Test func nothingBeforeHalfASecondAtMostTenLinesASecond() {
        let screen = Screen()
        let progress = screen.progress()
        progress.begin(totalBytes: 4_000_000)
        screen.read(progress, at: 0.3, bytes: 1_000_000, records: 100)
        #expect(screen.written.isEmpty)
        screen.read(progress, at: 0.6, bytes: 1_000_000, records: 100)
        #expect(screen.written == ["\r2.0 MB of 4.0 MB · 200 records · 333 records/s · 3.3 MB/s · 1 s left\u{1B}[K"])
        screen.read(progress, at: 0.65, bytes: 1_000_000, records: 100)
        #expect(screen.written.count == 1)
        screen.read(progress, at: 0.71, bytes: 0, records: 50)
        #expect(screen.written.last?.contains("350 records") == true)
        progress.end()
        #expect(screen.written.last == "\r\u{1B}[K")
        #expect(screen.written.count == 3)
    }

    @Test func aShortRunWritesNothingNotEvenTheErase() {
        let screen = Screen()
        let progress = screen.progress()
        progress.begin(totalBytes: 100)
        screen.read(progress, at: 0.1, bytes: 100, records: 1)
        progress.end()
        #expect(screen.written.isEmpty)
    }

    @Test func aLineNeverWrapsTheTerminal() {
        let screen = Screen()
        let progress = screen.progress(columns: 20)
        progress.begin(totalBytes: nil)
        screen.read(progress, at: 1, bytes: 5_000_000, records: 50_000)
        #expect(screen.written == ["\r5.0 MB · 50,000 rec\u{1B}[K"])
    }

    /// `count` files of 4,000 records (about 1.5 MB each), in a fresh directory.
    static func logSet(files count: Int) throws -> String {
        let directory = NSTemporaryDirectory() + "tally-progress-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var text = ""
        for i in 0..<4000 {
            text += #"{"timestamp":"2026-11-01T\#(String(format: "%02d:%02d", i % 24, i % 60)):00Z","accountId":"123456789012","#
                + #""identity":{"arn":"arn:aws:sts::123456789012:assumed-role/App/s"},"region":"us-east-1","operation":"Converse","#
                + #""modelId":"global.anthropic.claude-sonnet-4-5-20250929-v1:0","input":{"inputTokenCount":\#(100 + i % 900),"#
                + #""cacheReadInputTokenCount":\#(i % 700),"cacheWriteInputTokenCount":0},"output":{"outputTokenCount":\#(1 + i % 500)},"#
                + #""requestMetadata":{"app":"chat"}}"# + "\n"
        }
        let data = Data(text.utf8)
        for f in 0..<count { try data.write(to: URL(fileURLWithPath: directory + "/part-\(f).jsonl")) }
        return directory
    }

    /// What a pseudo-terminal showed `tally usage ARGUMENTS`, until it exited.
    static func onTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> (output: String, status: Int32?) {
        let terminal = try PseudoTerminal(environment: environment, arguments: arguments)
        let status = terminal.waitForExit(timeout: 120)
        // What is left in the terminal after the exit.
        _ = try? terminal.expect("\u{0}", timeout: 0.5)
        return (terminal.output, status)
    }

    @Test func usageShowsProgressOnATerminalAndNothingWhenPiped() throws {
        // 40 files of 1.5 MB: about 1.6 s with the debug binary on two cores.
        let directory = try Self.logSet(files: 40)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start = Date()
        let piped = try TallyBinary.run(["usage", directory], environment: ["NO_COLOR": "1"])
        let seconds = Date().timeIntervalSince(start)
        #expect(piped.status == 0)
        #expect(piped.stderr.isEmpty)
        #expect(piped.stdout.contains("records: 160000 read"))
        try #require(seconds > 1, "the log set read in \(seconds) s: too fast to show progress")

        let (raw, status) = try Self.onTerminal(["usage", directory])
        #expect(status == 0)
        let redraws = raw.components(separatedBy: "\r").filter { $0.contains(" records/s · ") }
        #expect(!redraws.isEmpty, "no progress line in \(raw.prefix(2000))")
        for redraw in redraws {
            #expect(redraw.contains(" MB of ") && redraw.contains(" records · ") && redraw.contains(" left\u{1B}[K"), "\(redraw)")
        }
        // The line is erased, then the report, as piped (the terminal ends lines with \r\n).
        let erase = "\r\u{1B}[K"
        let report = try #require(raw.range(of: erase, options: .backwards)).upperBound
        #expect(raw[report...].replacingOccurrences(of: "\r\n", with: "\n") == piped.stdout)

        let (quiet, quietStatus) = try Self.onTerminal(["usage", "--quiet", directory])
        #expect(quietStatus == 0)
        #expect(!quiet.contains("records/s"))
        #expect(!quiet.contains("\u{1B}[K"))
        #expect(quiet.replacingOccurrences(of: "\r\n", with: "\n") == piped.stdout)
    }

    @Test func anEngineRunShowsItsElapsedTimeThenNothing() throws {
        // A `duckdb` that takes 1.5 s and sums nothing.
        let directory = NSTemporaryDirectory() + "tally-progress-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "#!/bin/sh\nsleep 1.5\n".write(toFile: directory + "/duckdb", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/duckdb")
        let arguments = ["usage", "--engine", "duckdb", Repository.root + "/Tests/Fixtures/usage/logs"]
        let path = ["PATH": directory + ":/usr/bin:/bin"]
        let piped = try TallyBinary.run(arguments, environment: path.merging(["NO_COLOR": "1"]) { a, _ in a })
        #expect(piped.status == 0 && piped.stderr.isEmpty)
        let (raw, status) = try Self.onTerminal(arguments, environment: path)
        #expect(status == 0)
        #expect(raw.hasPrefix("\rrunning duckdb · 0 s elapsed\u{1B}[K"))
        #expect(raw.contains("\rrunning duckdb · 1 s elapsed\u{1B}[K"))
        let report = try #require(raw.range(of: "\r\u{1B}[K", options: .backwards)).upperBound
        #expect(raw[report...].replacingOccurrences(of: "\r\n", with: "\n") == piped.stdout)
        #expect(TerminalProgress.line(working: "running spark-sql", elapsed: 12.7) == "running spark-sql · 12 s elapsed")
    }

    /// `catalog import` of a price map large enough to take a while: its
    /// elapsed time on a terminal, erased before the summary; nothing piped.
    @Test func aLongImportShowsItsElapsedTimeThenNothing() throws {
        let directory = NSTemporaryDirectory() + "tally-import-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 15,000 entries: about 1.8 s with the debug binary.
        let json = "{" + (0..<15_000).map { i in
            "\"bedrock/us-east-1/acme.model-\(i)-v1:0\": {\"litellm_provider\": \"bedrock\", \"mode\": \"chat\", "
                + "\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 2e-06, \"max_tokens\": 4096}"
        }.joined(separator: ",") + "}"
        try json.write(toFile: directory + "/prices.json", atomically: true, encoding: .utf8)
        let arguments = ["catalog", "import", "--litellm", directory + "/prices.json", "-o", directory + "/out.tally"]
        let start = Date()
        let piped = try TallyBinary.run(arguments)
        let seconds = Date().timeIntervalSince(start)
        #expect(piped.status == 0)
        #expect(piped.stderr.hasPrefix("tally: imported 15000 Bedrock entries"), "\(piped.stderr)")
        try #require(seconds > 0.8, "the import took \(seconds) s: too fast to show progress")
        let (raw, status) = try Self.onTerminal(arguments)
        #expect(status == 0)
        #expect(raw.contains("\rimporting prices.json · 0 s elapsed\u{1B}[K"), "\(raw.prefix(500))")
        let report = try #require(raw.range(of: "\r\u{1B}[K", options: .backwards)).upperBound
        #expect(raw[report...].replacingOccurrences(of: "\r\n", with: "\n") == piped.stderr)
        let (quiet, _) = try Self.onTerminal(arguments + ["--quiet"])
        #expect(!quiet.contains("elapsed") && !quiet.contains("\u{1B}[K"))
    }
}
