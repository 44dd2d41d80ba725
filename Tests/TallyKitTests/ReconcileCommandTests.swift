import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyPricing
@testable import TallyQuantities

/// `tally reconcile PLAN LOGS…`: the fixture worked by hand, goldens in three
/// formats, and logs generated from assumptions other than the plan's.
@Suite struct ReconcileCommandTests {
    static let directory = Repository.fixtures + "/reconcile"

    static func reconcile(_ plan: String = directory + "/plan.tally", logs: [String] = [directory + "/logs"], format: RunFormat = .text,
                          from: String? = "2026-11-03", to: String? = "2026-11-04", failAbove: String? = nil) -> CommandOutput {
        var request = ReconcileRequest()
        (request.plan, request.logs, request.format, request.from, request.to, request.failAbove) = (plan, logs, format, from, to, failAbove)
        return Commands.reconcilePlan(request)
    }

    static func json(_ output: CommandOutput) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// November 3 and 4 (48 hours; a 730-hour month is 730/48 of them).
    /// chat, Nova Micro at $0.035 and $0.14 per 1M tokens: planned 10 a day of
    /// 1,000 in and 200 out, $0.000063 each, 304.1667 a month: $0.0191625;
    /// the logs have 40 such calls, $0.00252, which is $0.038325 a month:
    /// twice the requests. summarize, Haiku 4.5 in-region ($1.10, $0.11 cached,
    /// $5.50 out): planned 5 a day of 4,000 in (half cached) and 500 out,
    /// $0.00517 each, $0.786270833… a month; the logs have 10 calls with 1,000
    /// out, $0.00792 each, $1.2045 a month: the output doubled, +$0.418229….
    /// Two calls tagged app=other ($0.0000315 each) are unplanned: $0.000958125.
    @Test func theFixtureWorkedByHand() throws {
        let output = Self.reconcile(format: .json)
        #expect(output.status == 0, "\(output.stderr)")
        let json = try Self.json(output)
        let rows = try #require(json["workloads"] as? [[String: Any]])
        func row(_ name: String) throws -> [String: Any] { try #require(rows.first { $0["workload"] as? String == name }) }
        #expect(try row("chat")["usd_planned"] as? String == "0.0191625")
        #expect(try row("chat")["usd_actual"] as? String == "0.038325")
        #expect(try row("chat")["ratio"] as? String == "2")
        #expect(try row("chat")["moved"] as? String == "requests")
        #expect(try row("summarize")["usd_actual"] as? String == "1.2045")
        #expect(try row("summarize")["moved"] as? String == "output tokens")
        let steps = try #require(try row("summarize")["steps"] as? [[String: Any]])
        let output2 = try #require(steps.first { $0["assumption"] as? String == "output tokens" })
        #expect(output2["ratio"] as? String == "2")
        // 500 more tokens at $5.50/1M on 152.083… calls a month: $0.418229166…, written to 20 places.
        #expect(output2["usd"] as? String
                == rational("0.00275").multiplied(by: Rational(7300))?.divided(by: Rational(48))?.decimalString(fractionDigits: 20, trimTrailingZeros: true))
        // The fee is in no log: listed, with no actual, and out of the totals.
        #expect(try row("vector-db")["usd_actual"] is NSNull)
        #expect((json["unplanned"] as? [String: Any])?["usd"] as? String == "0.000958125")
        #expect(json["usd_actual"] as? String == "1.243783125")
    }

    @Test(arguments: [RunFormat.text, .json, .markdown])
    func goldenOutput(_ format: RunFormat) throws {
        let output = Self.reconcile(format: format)
        let actual = "exit: \(output.status)\n--- stdout\n\(output.stdout)--- stderr\n\(output.stderr)"
            .replacingOccurrences(of: Repository.fixtures + "/", with: "")
        try matchGolden(actual, at: Self.directory + "/expected-\(format.rawValue).txt")
    }

    @Test func failAboveGatesOnTheRatio() {
        // chat is 2.00× and summarize 1.53× their plan: off by more than 20%, not by more than 150%.
        let off = Self.reconcile(failAbove: "20%")
        #expect(off.status == 1)
        #expect(off.stderr.contains("chat, summarize, total off the plan by more"))
        #expect(Self.reconcile(failAbove: "150%").status == 0)
        #expect(Self.reconcile(failAbove: "twenty").status == 2)
        #expect(Self.reconcile(format: .csv).status == 2)
        #expect(Self.reconcile(logs: []).status == 2)
        #expect(Self.reconcile(from: "2026-11-31").status == 2)
    }

    /// One log record a line, as Bedrock writes it.
    static func record(_ at: String, _ model: String, input: Int, cacheRead: Int = 0, output: Int, app: String, failed: Bool = false) -> String {
        let error = failed ? "\"errorCode\":\"ThrottlingException\"," : ""
        return """
            {"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"\(at)","accountId":"123456789012",\
            "identity":{"arn":"arn:aws:sts::123456789012:assumed-role/App/s"},"region":"us-east-1","requestId":"r",\
            "operation":"Converse","modelId":"\(model)",\(error)"input":{"inputContentType":"application/json",\
            "inputBodyJson":{"messages":[]},"inputTokenCount":\(input),"cacheReadInputTokenCount":\(cacheRead),\
            "cacheWriteInputTokenCount":0},"output":{"outputContentType":"application/json","outputBodyJson":{},\
            "outputTokenCount":\(output)},"requestMetadata":{"app":"\(app)"}}
            """
    }

    /// Logs generated from other assumptions than the plan's, one per
    /// workload: three times the requests; 2,500 tokens in, not 1,000; a
    /// cache read share of 20%, not 60%. Each workload names its own.
    @Test func logsFromOtherAssumptionsNameWhatMoved() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-reconcile-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = """
            workload a < model nova-micro; region us-east-1; endpoint regional; requests 100/day; input 1000 tokens; output 100 tokens; tag app=a >
            workload b < model nova-lite; region us-east-1; endpoint regional; requests 100/day; input 1000 tokens; output 100 tokens; tag app=b >
            workload c < model haiku-4.5; region us-east-1; endpoint regional; requests 100/day; input 10000 tokens; output 100 tokens
              cache 60%; tag app=c >
            """
        try plan.write(toFile: directory + "/plan.tally", atomically: true, encoding: .utf8)
        var lines: [String] = []
        for day in 1...30 {
            let date = "2026-11-\(day < 10 ? "0" : "")\(day)"
            for i in 0..<300 { lines.append(Self.record("\(date)T00:00:\(i % 60 < 10 ? "0" : "")\(i % 60)Z", "amazon.nova-micro-v1:0", input: 1000, output: 100, app: "a")) }
            for i in 0..<100 { lines.append(Self.record("\(date)T01:00:\(i % 60 < 10 ? "0" : "")\(i % 60)Z", "amazon.nova-lite-v1:0", input: 2500, output: 100, app: "b")) }
            for i in 0..<100 {
                lines.append(Self.record("\(date)T02:00:\(i % 60 < 10 ? "0" : "")\(i % 60)Z", "anthropic.claude-haiku-4-5-20251001-v1:0",
                                         input: 8000, cacheRead: 2000, output: 100, app: "c"))
            }
            lines.append(Self.record("\(date)T03:00:00Z", "amazon.nova-micro-v1:0", input: 0, output: 0, app: "a", failed: true))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/logs.jsonl", atomically: true, encoding: .utf8)
        let output = Self.reconcile(directory + "/plan.tally", logs: [directory + "/logs.jsonl"], format: .json, from: "2026-11-01", to: "2026-11-30")
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try #require(try Self.json(output)["workloads"] as? [[String: Any]])
        #expect(rows.map { $0["moved"] as? String } == ["requests", "input tokens", "cache reads"])
        func step(_ row: Int, _ assumption: String) -> [String: Any]? {
            (rows[row]["steps"] as? [[String: Any]])?.first { $0["assumption"] as? String == assumption }
        }
        #expect(step(0, "requests")?["ratio"] as? String == "3")
        #expect(step(1, "input tokens")?["ratio"] as? String == "2.5")
        #expect(step(2, "cache reads")?["actual"] as? String == "0.2")
        // Nothing else moved, and the walk lands on the records' own total: the rest is zero.
        for row in 0..<3 { #expect(step(row, "model mix and rates")?["usd"] as? String == "0") }
        // One failed call a day beside 300 good ones.
        #expect(rows[0]["failed_share"] as? String == rational("30").divided(by: Rational(9030)).map { $0.decimalString(fractionDigits: 20, trimTrailingZeros: true) })
    }

    /// A plan given as a range (10 to 30 requests a day: $0.0191625 to
    /// $0.0574875 a month) is met by the fixture's 20 a day, $0.038325, its
    /// middle: ratio 1, and inside the range, so not off by 20% (the total is:
    /// the fixture's other records are unplanned here).
    @Test func aRangedPlanIsMetInsideItsRange() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-reconcile-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            workload chat < model nova-micro; region us-east-1; endpoint regional; requests 10..30/day
              input 1000 tokens; output 200 tokens; tag app=chat >
            """.write(toFile: directory + "/plan.tally", atomically: true, encoding: .utf8)
        let output = Self.reconcile(directory + "/plan.tally", format: .json, failAbove: "20%")
        #expect(output.stderr == "tally: --fail-above 20%: total off the plan by more\n")
        let row = try #require((try Self.json(output)["workloads"] as? [[String: Any]])?.first)
        #expect(row["usd_planned"] as? String == "0.0191625" && row["usd_planned_high"] as? String == "0.0574875")
        #expect(row["usd_actual"] as? String == "0.038325" && row["ratio"] as? String == "1")
        // Above its high end by more than 20%: 4 a day at most, 20 a day seen.
        try """
            workload chat < model nova-micro; region us-east-1; endpoint regional; requests 2..4/day
              input 1000 tokens; output 200 tokens; tag app=chat >
            """.write(toFile: directory + "/plan.tally", atomically: true, encoding: .utf8)
        #expect(Self.reconcile(directory + "/plan.tally", failAbove: "20%").stderr == "tally: --fail-above 20%: chat, total off the plan by more\n")
    }
}
