import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyRender

/// Log input as an attacker or a broken exporter writes it: every line is
/// either read or counted as malformed with a reason, nothing traps, and a
/// path that cannot be read exits 2 naming it.
@Suite struct UsageHostileTests {
    static func scan(_ line: String) -> Result<UsageRecord, MalformedLine> {
        scan(Array(line.utf8))
    }

    static func scan(_ bytes: [UInt8]) -> Result<UsageRecord, MalformedLine> {
        bytes.withUnsafeBufferPointer { buffer in Result { () throws(MalformedLine) in try LogScanner.scan(buffer) } }
    }

    static func reason(_ line: String) -> String? {
        if case .failure(let error) = scan(line) { return error.reason }
        return nil
    }

    static let head = #"{"timestamp":"2026-11-03T14:05:09Z","region":"us-east-1","modelId":"deepseek.v3.2","#

    static func record(input: String = "1000", output: String = "10", extra: String = "") -> String {
        head + #""input":{"inputTokenCount":\#(input)},"output":{"outputTokenCount":\#(output)}\#(extra)}"#
    }

    @Test func aPlainRecordReads() throws {
        let r = try Self.scan(Self.record()).get()
        #expect(r.modelId == "deepseek.v3.2")
        #expect(r.inputTokens == 1000 && r.outputTokens == 10)
        #expect(r.timestamp == Instant(seconds: 1_793_714_709))
    }

    @Test func absurdCountsAreMalformed() {
        #expect(Self.reason(Self.record(input: "99999999999999999999999")) == "inputTokenCount is over 1000000000000")
        #expect(Self.reason(Self.record(input: "-5")) == "inputTokenCount is negative")
        #expect(Self.reason(Self.record(input: "1.5")) == "inputTokenCount is not a whole number")
        #expect(Self.reason(Self.record(input: "1e3")) == "inputTokenCount is not a whole number")
        #expect(Self.reason(Self.record(input: "007")) == "inputTokenCount is not a whole number")
        #expect(Self.reason(Self.record(input: "\"12\"")) == "inputTokenCount is not a whole number")
    }

    @Test func deepNestingIsRefusedWithoutRecursion() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(Self.reason(Self.record(extra: #","outputBodyJson":\#(deep)"#)) == "nested deeper than 1000")
        let fine = String(repeating: "[", count: 900) + String(repeating: "]", count: 900)
        #expect(Self.reason(Self.record(extra: #","outputBodyJson":\#(fine)"#)) == nil)
        #expect(Self.reason(Self.record(extra: #","x":[1,2}"#)) == "unbalanced brackets")
    }

    @Test func badUTF8() {
        var bytes = Array(Self.record().utf8)
        let model = bytes.firstIndex(of: UInt8(ascii: "v")).map { $0 }
        bytes[model ?? 0] = 0xFF
        if case .failure(let e) = Self.scan(bytes) { #expect(e.reason == "a field is not valid UTF-8") } else { Issue.record("read") }
        // In a body Tally skips, bad UTF-8 is not Tally's to judge.
        let body = Array(Self.record(extra: #","inputBodyJson":"x"#).utf8.dropLast(1)) + [0xC3, 0x28, UInt8(ascii: "\""), UInt8(ascii: "}")]
        #expect((try? Self.scan(body).get()) != nil)
    }

    @Test func escapesAndTiers() throws {
        let escaped = #"{"timestamp":"2026-11-03T14:05:09.5Z","modelId":"deepseek\u002ev3.2","input":{"inputBodyJson":{"serviceTier":{"type":"flex"}},"inputTokenCount":1},"output":{"outputTokenCount":1}}"#
        let r = try Self.scan(escaped).get()
        #expect(r.modelId == "deepseek.v3.2")
        #expect(r.serviceTier == "flex")
        #expect(r.timestamp.description == "2026-11-03T14:05:09.5Z")
        // The top-level field wins over the body's, wherever it comes.
        let both = try Self.scan(Self.record(extra: #","serviceTier":"priority","input2":{"inputBodyJson":{"serviceTier":"flex"}}"#)).get()
        #expect(both.serviceTier == "priority")
        #expect(Self.reason(#"{"timestamp":"2026-11-03T14:05:09Z","modelId":"a\ud800b"}"#) == "a bad escape in a string")
    }

    @Test func shapesThatAreNotRecords() {
        #expect(Self.reason("{}") == "no timestamp")
        #expect(Self.reason("[1,2]") == "not a JSON object")
        #expect(Self.reason(Self.record() + " trailing") == "text after the record's closing brace")
        #expect(Self.reason(#"{"timestamp":"2026-02-30T00:00:00Z","modelId":"m"}"#) == "timestamp is not an ISO-8601 UTC time")
        #expect(Self.reason(#"{"timestamp":"2026-11-03T14:05:09Z","modelId":"m","input":{"inputTokenCount":1}}"#) == "no output.outputTokenCount")
        // A failed call needs no counts.
        #expect(Self.reason(#"{"timestamp":"2026-11-03T14:05:09Z","modelId":"m","errorCode":"ValidationException"}"#) == nil)
        // A CloudWatch export's prefix, but not any text before the brace.
        #expect(Self.reason("2026-11-03T14:05:09.000Z " + Self.record()) == nil)
        #expect(Self.reason(String(repeating: "x", count: 100) + Self.record()) == "not a JSON object")
    }

    @Test func instants() throws {
        #expect(Instant(iso8601: Array("2024-02-29T23:59:59Z".utf8))?.seconds == 1_709_251_199)
        #expect(Instant(iso8601: Array("2000-03-01T00:00:00Z".utf8))?.seconds == 951_868_800)
        #expect(Instant(iso8601: Array("1970-01-01T00:00:00Z".utf8))?.seconds == 0)
        #expect(Instant(iso8601: Array("2025-02-29T00:00:00Z".utf8)) == nil)
        #expect(Instant(iso8601: Array("2026-11-03T24:00:00Z".utf8)) == nil)
        #expect(Instant(iso8601: Array("2026-11-03T14:05:09+01:00".utf8)) == nil)
        let fraction = try #require(Instant(iso8601: Array("2026-11-03T14:05:09.000250Z".utf8)))
        #expect(fraction.nanoseconds == 250_000)
        #expect(fraction.description == "2026-11-03T14:05:09.00025Z")
    }

    @Test func anOverlongLineIsCountedAndTheNextRead() {
        var splitter = LineSplitter()
        var lines: [Int] = []
        var long: [Int] = []
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: LineSplitter.maximumLine + 10) + [0x0A] + Array("next".utf8)
        for start in stride(from: 0, to: big.count, by: 1 << 20) {
            big[start..<min(big.count, start + (1 << 20))].withUnsafeBytes { splitter.feed($0, line: { _, n in lines.append(n) }, tooLong: { long.append($0) }) }
        }
        splitter.finish(line: { _, n in lines.append(n) }, tooLong: { long.append($0) })
        #expect(long == [1])
        #expect(lines == [2])
    }

    // MARK: files

    static func withDirectory(_ body: (String) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "tally-usage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    static func usage(_ paths: [String], by: [String] = []) -> CommandOutput {
        var request = UsageRequest()
        request.paths = paths
        request.by = by
        request.format = .json
        return Commands.usage(request)
    }

    @Test func gzipEmptyCutAndConcatenated() throws {
        try Self.withDirectory { dir in
            let line = Array((Self.record() + "\n").utf8)
            let gz = try GzipTests.gzip(line)
            try Data().write(to: URL(fileURLWithPath: dir + "/empty.json.gz"))
            try Data(try GzipTests.gzip([])).write(to: URL(fileURLWithPath: dir + "/nothing.json.gz"))
            try Data(gz + gz).write(to: URL(fileURLWithPath: dir + "/two.json.gz"))
            // gzip by its magic bytes, whatever the name.
            try Data(gz).write(to: URL(fileURLWithPath: dir + "/named-plain.jsonl"))
            let whole = Self.usage([dir + "/empty.json.gz", dir + "/nothing.json.gz", dir + "/two.json.gz", dir + "/named-plain.jsonl"])
            #expect(whole.status == 0)
            #expect(whole.stdout.contains(#""priced": 3"#))
            try Data(gz.prefix(gz.count - 12)).write(to: URL(fileURLWithPath: dir + "/cut.json.gz"))
            let cut = Self.usage([dir + "/cut.json.gz"])
            #expect(cut.status == 2)
            #expect(cut.stderr.contains("cut.json.gz: gzip: the input ends inside a compressed member"))
        }
    }

    @Test func walksStayInTheirTree() throws {
        try Self.withDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/tree", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir + "/outside", withIntermediateDirectories: true)
            try (Self.record() + "\n").write(toFile: dir + "/outside/x.jsonl", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/tree/link", withDestinationPath: dir + "/outside")
            let output = Self.usage([dir + "/tree"])
            #expect(output.status == 0)
            #expect(output.stdout.contains(#""priced": 0"#))
            #expect(output.stdout.contains("symbolic link (not followed)"))
            // Found in a walk, a file that does not start as a record is named, not read.
            try "2026,11,03,cost\n1,2,3,4\n".write(toFile: dir + "/tree/cur.csv", atomically: true, encoding: .utf8)
            try ("2026-11-03T14:05:09.000Z " + Self.record() + "\n").write(toFile: dir + "/tree/export", atomically: true, encoding: .utf8)
            let sniffed = try UsageTests.json(Self.usage([dir + "/tree"]))
            #expect(UsageTests.counts(sniffed)["priced"] == 1)
            #expect(UsageTests.counts(sniffed)["malformed"] == 0)
            #expect((sniffed["skipped"] as? [[String: String]])?.map { $0["reason"] ?? "" } == ["not a log file", "symbolic link (not followed)"])
            #expect(mkfifo(dir + "/fifo", 0o600) == 0)
            let fifo = Self.usage([dir + "/fifo"])
            #expect(fifo.status == 2)
            #expect(fifo.stderr.contains("fifo: it is not a regular file"))
        }
    }

    @Test func ratesInForceOnTheRecordsDayAndLongContext() throws {
        try Self.withDirectory { dir in
            // gpt-5.6-luna's regional input rate fell from $1.10 to $0.22 per 1M on 2026-07-30:
            // 100,000 tokens are 0.11, then 0.022 (under its 272,000-token tier, which starts that day).
            // sonnet-4.5 global past 200,000 prompt tokens (input + cache): 150,000 × $6 + 60,000 × $0.60
            // + 1,000 × $22.50 per 1M = 0.9 + 0.036 + 0.0225 = 0.9585.
            let lines = [
                #"{"timestamp":"2026-07-29T23:59:59Z","region":"us-east-1","modelId":"us.openai.gpt-5.6-luna","input":{"inputTokenCount":100000},"output":{"outputTokenCount":0}}"#,
                #"{"timestamp":"2026-07-30T00:00:00Z","region":"us-east-1","modelId":"us.openai.gpt-5.6-luna","input":{"inputTokenCount":100000},"output":{"outputTokenCount":0}}"#,
                #"{"timestamp":"2026-11-01T00:00:00Z","region":"us-east-1","modelId":"global.anthropic.claude-sonnet-4-5-20250929-v1:0","input":{"inputTokenCount":150000,"cacheReadInputTokenCount":60000},"output":{"outputTokenCount":1000}}"#,
            ]
            try lines.joined(separator: "\n").write(toFile: dir + "/l.jsonl", atomically: true, encoding: .utf8)
            let object = try UsageTests.json(Self.usage([dir + "/l.jsonl"], by: ["day"]))
            #expect(UsageTests.groups(object) == ["day=2026-07-29": "0.11", "day=2026-07-30": "0.022", "day=2026-11-01": "0.9585"])
        }
    }

    @Test func hostileStringsStayInert() throws {
        try Self.withDirectory { dir in
            let evil = #"x\n::error::forged\u001b]0;title\u0007 | # ##[y"#
            let line = #"{"timestamp":"2026-11-03T14:05:09Z","region":"us-east-1","modelId":"\#(evil)","input":{"inputTokenCount":1},"output":{"outputTokenCount":1},"requestMetadata":{"team":"\#(evil)"}}"#
            let priced = Self.record(extra: #","requestMetadata":{"team":"\#(evil)"}"#)
            try [line, priced, "\u{1B}[31m::error::bad line"].joined(separator: "\n").write(toFile: dir + "/e.jsonl", atomically: true, encoding: .utf8)
            for format in RunFormat.allCases {
                var request = UsageRequest()
                request.paths = [dir + "/e.jsonl"]
                request.by = ["tag:team"]
                request.format = format
                let output = Commands.usage(request)
                let (stdout, stderr) = output.forWriting
                #expect(!FuzzHarness.holdsWorkflowCommand(stdout) && !FuzzHarness.holdsWorkflowCommand(stderr), "\(format)")
                #expect(!stdout.contains("\u{1B}") && !stdout.contains("\u{7}"), "\(format)")
                if format == .json {
                    let object = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
                    let unpriced = try #require((object["unpriced"] as? [[String: Any]])?.first)
                    #expect(unpriced["model_id"] as? String == "x\n::error::forged\u{1B}]0;title\u{7} | # ##[y")
                }
            }
        }
    }

    /// A large file read in pieces by several workers reads each line once,
    /// and numbers malformed lines as one reader would.
    @Test func piecesOfOneFileReadAsTheWhole() throws {
        try Self.withDirectory { dir in
            var lines: [String] = []
            for i in 1...400 {
                switch i % 37 {
                case 0: lines.append("{broken \(i)")
                case 5: lines.append("")
                default: lines.append(Self.record(input: String(i * 13), output: String(i)))
                }
            }
            try (lines.joined(separator: "\r\n") + "\n" + Self.record()).write(toFile: dir + "/big.jsonl", atomically: true, encoding: .utf8)
            let catalog = try #require(try? BuiltinCatalog.loaded.get())
            func render(workers: Int, piece: Int64) -> String {
                var options = UsageOptions()
                options.by = [.model, .day]
                options.workers = workers
                options.pieceBytes = piece
                return UsageRenderer.json(UsageRun.run([dir + "/big.jsonl"], catalog: catalog, options: options))
            }
            let whole = render(workers: 1, piece: 0)
            #expect(whole.contains(#""malformed": 10,"#))
            #expect(whole.contains(#""line": 37,"#) && whole.contains(#""line": 370,"#))
            for piece: Int64 in [1, 7, 100, 1000, 4096, 50_000] {
                #expect(render(workers: 2, piece: piece) == whole, "pieces of \(piece) bytes")
                #expect(render(workers: 3, piece: piece) == whole, "pieces of \(piece) bytes")
            }
        }
    }

    @Test func theBinaryReadsStandardInput() throws {
        let stdin = Self.record() + "\n" + Self.record(input: "-1") + "\n"
        let r = try TallyBinary.run(["usage", "-", "--format", "json"], stdin: stdin)
        #expect(r.status == 0)
        #expect(r.stdout.contains(#""file": "<stdin>""#))
        // 1,000 × $0.62 + 10 × $1.85 per 1M = 0.00062 + 0.0000185
        #expect(r.stdout.contains(#""total_usd": "0.0006385""#))
        let strict = try TallyBinary.run(["usage", "--strict", "-"], stdin: stdin)
        #expect(strict.status == 1)
        let missing = try TallyBinary.run(["usage", "/no/such/dir"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/no/such/dir"))
    }
}
