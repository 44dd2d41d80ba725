import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit

/// `tally reconcile --cur` over `Tests/Fixtures/cur/reconcile/`: logs and a
/// CUR written together for 2026-11-01 in us-east-1. Worked by hand:
///
/// logs.jsonl: 4 Sonnet 4.5 calls on the global profile, each 50,000 input,
/// 100,000 cache read, 10,000 cache write, 20,000 output (a prompt of 160,000,
/// under the 200,000 long-context threshold); 2 Nova Pro calls (us. profile,
/// regional), each 500,000 input and 100,000 output; 1 throttled call (failed).
///   Sonnet input 200,000 × $3.00/1M = $0.60; cache read 400,000 × $0.30 = $0.12;
///   cache write 40,000 × $3.75 = $0.15; output 80,000 × $15.00 = $1.20;
///   Nova Pro input 1,000,000 × $0.80 = $0.80; output 200,000 × $3.20 = $0.64. Logs: $3.51.
/// cur.csv: the same, but Sonnet output 100 × 1K = 100,000 tokens, $1.50 (calls the
/// logs did not see: −$0.30, −20%), and Nova Micro input 50 × 1K, $0.00175, which
/// no log has (−100%). CUR: $3.81175; difference −$0.30175.
@Suite struct ReconcileCURTests {
    static let directory = Repository.fixtures + "/cur/reconcile"
    static let cur = [directory + "/cur.csv"]
    static let logs = [directory + "/logs.jsonl"]

    static func actual(_ format: OutputFormat, cacheTTL: String = "5m") -> String {
        let output = Commands.reconcileCUR(cur: cur, logs: logs, tolerance: nil, cacheTTL: cacheTTL, format: format)
        let clean = { (s: String) in s.replacingOccurrences(of: Repository.fixtures + "/", with: "") }
        return "exit: \(output.status)\n--- stdout\n\(clean(output.stdout))--- stderr\n\(clean(output.stderr))"
    }

    @Test(arguments: [("text", OutputFormat.text, "5m"), ("json", .json, "5m"), ("text-1h", .text, "1h")])
    func goldenOutput(_ name: String, _ format: OutputFormat, _ cacheTTL: String) throws {
        try matchGolden(Self.actual(format, cacheTTL: cacheTTL), at: Self.directory + "/\(name).expected")
    }

    @Test func theFiguresWorkedByHand() throws {
        let output = Commands.reconcileCUR(cur: Self.cur, logs: Self.logs, tolerance: nil, format: .json)
        #expect(output.status == 0)
        let json = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["logs_usd"] as? String == "3.51")
        #expect(total["cur_usd"] as? String == "3.81175")
        #expect(total["flagged_lines"] as? Int == 2)
        #expect((json["logs"] as? [String: Int])?["failed"] == 1)
        let lines = try #require(json["lines"] as? [[String: Any]])
        let flagged = lines.filter { $0["flagged"] as? Bool == true }.compactMap { ($0["key"] as? [String: String])?["model"] }
        #expect(flagged == ["nova-micro", "sonnet-4.5"])
        #expect(lines.first { ($0["key"] as? [String: String])?["class"] == "output" && ($0["key"] as? [String: String])?["model"] == "sonnet-4.5" }?["difference_usd"] as? String == "-0.3")
    }

    @Test func aWideToleranceStillFlagsWhatOnlyTheBillHas() {
        let output = Commands.reconcileCUR(cur: Self.cur, logs: Self.logs, tolerance: "25%", format: .json, strict: true)
        #expect(output.status == 1)
        #expect(output.stdout.contains(#""flagged_lines": 1"#))
    }

    @Test func missingInputsAreErrors() {
        #expect(Commands.reconcileCUR(cur: Self.cur, logs: [], tolerance: nil).status == 2)
        #expect(Commands.reconcileCUR(cur: Self.cur, logs: [Self.directory + "/nothing"], tolerance: nil).status == 2)
        #expect(Commands.reconcileCUR(cur: [Self.directory + "/logs.jsonl"], logs: Self.logs, tolerance: nil).stderr
            .contains("logs.jsonl:1: the header"))
        #expect(Commands.reconcileCUR(cur: Self.cur, logs: Self.logs, tolerance: nil, cacheTTL: "2h").status == 2)
    }

    @Test func theCommandLine() throws {
        let result = try TallyBinary.run(["reconcile", "--cur", "Tests/Fixtures/cur/reconcile/cur.csv", "--logs",
                                          "Tests/Fixtures/cur/reconcile/logs.jsonl", "--strict"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("sonnet-4.5  output"))
        #expect(result.stderr.contains("--strict: 2 lines beyond the tolerance"))
    }
}
