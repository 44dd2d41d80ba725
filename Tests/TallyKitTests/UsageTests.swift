import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyPricing
@testable import TallyRender

/// `tally usage` over Tests/Fixtures/usage/logs, every figure worked by hand
/// from the catalog's rates (per 1M tokens):
///
/// us-east-1/…/03/14/20261103T1405Z_a.json.gz (gzip, 4 lines)
///   1 global.sonnet-4.5, global rates: in 1,000 × $3 = 0.003; cache read 4,000 × $0.30 = 0.0012;
///     out 500 × $15 = 0.0075 → 0.0117 (a `serviceTier` nested deep in the body is not the request's)
///   2 us.sonnet-4.5, regional: in 2,000 × $3.30 = 0.0066; cache write 1,000 × $4.125 = 0.004125
///     (1h: × $6.60 = 0.0066); out 100 × $16.50 = 0.00165 → 0.012375
///   3 errorCode ThrottlingException → failed, not priced
///   4 base sonnet-4.5 id, in-region (regional): in 10 × $3.30 = 0.000033; out 10 × $16.50 = 0.000165 → 0.000198
///   beside it: the permission-check object and data/ (a record-shaped body) are skipped
/// us-west-2/…/04/09/20261104T0900Z_b.jsonl (plain, last line without a newline)
///   1 deepseek-v3.2 flex (50%): in 1,000,000 × $0.62 × ½ = 0.31; out 200,000 × $1.85 × ½ = 0.185 → 0.495
///   2 deepseek-v3.2 priority (175%, in the body): in 100,000 × $0.62 × 1.75 = 0.1085;
///     out 10,000 × $1.85 × 1.75 = 0.032375 → 0.140875
///   3 acme.mystery-v1:0 → unpriced, unknown model
///   4 cut short → malformed
///   5 sonnet-4.5 in eu-west-1 → unpriced, no rate there
///   6 deepseek-v3.2 `default` tier: 1,000 × $0.62 + 1,000 × $1.85 = 0.00247
/// cloudwatch/export.log
///   1 (timestamp prefix) application profile abc123 → haiku-4.5 with profiles.tally, regional:
///     in 3,000 × $1.10 = 0.0033; cache write 2,000 × $1.375 = 0.00275 (1h: × $2.20 = 0.0044);
///     out 400 × $5.50 = 0.0022 → 0.00825
///   2 nova-micro: in 10,000 × $0.035 = 0.00035; out 2,000 × $0.14 = 0.00028 → 0.00063
/// notes.txt → skipped, not a log file
///
/// sonnet-4.5 0.0117 + 0.012375 + 0.000198 = 0.024273; deepseek-v3.2 0.495 + 0.140875 + 0.00247 = 0.638345;
/// total 0.024273 + 0.638345 + 0.00825 + 0.00063 = 0.671498.
@Suite struct UsageTests {
    static let directory = Repository.fixtures + "/usage"
    static let logs = directory + "/logs"
    static let script = directory + "/profiles.tally"

    static func report(_ paths: [String] = [logs], by: [String] = [], from: String? = nil, to: String? = nil,
                       ttl: String = "5m", script: String? = script, format: RunFormat = .json, workers: Int = 2) -> CommandOutput {
        var request = UsageRequest()
        request.paths = paths
        request.by = by
        (request.from, request.to) = (from, to)
        request.cacheTTL = ttl
        request.script = script
        request.format = format
        request.workers = workers
        return Commands.usage(request)
    }

    static func json(_ output: CommandOutput) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    static func groups(_ object: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for group in object["groups"] as? [[String: Any]] ?? [] {
            let key = (group["key"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            out[key] = group["usd"] as? String
        }
        return out
    }

    static func counts(_ object: [String: Any]) -> [String: Int] {
        object["records"] as? [String: Int] ?? [:]
    }

    @Test func theFixturePricesAsWorkedByHand() throws {
        let output = Self.report()
        #expect(output.status == 0, "\(output.stderr)")
        let object = try Self.json(output)
        #expect(object["total_usd"] as? String == "0.671498")
        #expect(Self.groups(object) == ["model=sonnet-4.5": "0.024273", "model=deepseek-v3.2": "0.638345",
                                        "model=haiku-4.5": "0.00825", "model=nova-micro": "0.00063"])
        #expect(Self.counts(object) == ["read": 12, "priced": 8, "unpriced": 2, "failed": 1, "malformed": 1, "outside_period": 0])
        let period = object["period"] as? [String: String]
        #expect(period == ["first": "2026-11-03T14:05:09Z", "last": "2026-11-05T11:00:00Z"])
        let skipped = (object["skipped"] as? [[String: String]] ?? []).map { $0["reason"] ?? "" }
        #expect(skipped == ["permission-check object", "body in data/", "not a log file"])
        let unpriced = (object["unpriced"] as? [[String: Any]] ?? []).map { "\($0["model_id"] ?? "") \($0["reason"] ?? "")" }
        #expect(unpriced == ["acme.mystery-v1:0 unknown model", "anthropic.claude-sonnet-4-5-20250929-v1:0 no rate in eu-west-1"])
        let malformed = try #require((object["malformed"] as? [[String: Any]])?.first)
        #expect((malformed["file"] as? String)?.hasSuffix("20261104T0900Z_b.jsonl") == true)
        #expect(malformed["line"] as? Int == 4)
    }

    @Test func groupsByTagAndDayAndProfile() throws {
        let object = try Self.json(Self.report(by: ["tag:team", "day"]))
        // ads: haiku 0.00825 on the 5th, sonnet 0.000198 on the 3rd; search: 0.0117 + 0.012375 on the 3rd,
        // deepseek 0.638345 on the 4th; the untagged nova-micro record on the 5th.
        #expect(Self.groups(object) == ["day=2026-11-03,tag:team=ads": "0.000198", "day=2026-11-05,tag:team=ads": "0.00825",
                                        "day=2026-11-03,tag:team=search": "0.024075", "day=2026-11-04,tag:team=search": "0.638345",
                                        "day=2026-11-05,tag:team=(none)": "0.00063"])
        let profiles = try Self.json(Self.report(by: ["profile"]))
        #expect(Self.groups(profiles) == ["profile=global": "0.0117", "profile=us": "0.012375",
                                          "profile=arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123": "0.00825",
                                          // base ids: sonnet 0.000198 + deepseek 0.638345 + nova-micro 0.00063
                                          "profile=none": "0.639173"])
        let principals = try Self.json(Self.report(by: ["principal"]))
        // ChatApp 0.0117 + 0.012375; Batch 0.000198; Indexer 0.638345; AdsApp 0.00825; the user alice 0.00063.
        #expect(Self.groups(principals) == ["principal=ChatApp": "0.024075", "principal=Batch": "0.000198", "principal=Indexer": "0.638345",
                                            "principal=AdsApp": "0.00825", "principal=alice": "0.00063"])
    }

    @Test func groupsByMonthOperationAndAccount() throws {
        #expect(Self.groups(try Self.json(Self.report(by: ["month"]))) == ["month=2026-11": "0.671498"])
        #expect(Self.groups(try Self.json(Self.report(by: ["account"]))) == ["account=123456789012": "0.671498"])
        // Converse: 0.0117 + 0.012375 + 0.638345 + 0.00825; InvokeModel: 0.000198 + 0.00063.
        #expect(Self.groups(try Self.json(Self.report(by: ["operation"]))) == ["operation=Converse": "0.67067", "operation=InvokeModel": "0.000828"])
    }

    @Test func oneHourCacheWrites() throws {
        // 0.671498 + sonnet (0.0066 − 0.004125) + haiku (0.0044 − 0.00275) = 0.675623
        let object = try Self.json(Self.report(ttl: "1h"))
        #expect(object["total_usd"] as? String == "0.675623")
    }

    @Test func anUndeclaredApplicationProfileIsUnpriced() throws {
        let object = try Self.json(Self.report(script: nil))
        #expect(object["total_usd"] as? String == "0.663248")
        #expect(Self.counts(object)["unpriced"] == 3)
        let reasons = (object["unpriced"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(reasons.contains { $0.hasPrefix("application inference profile not declared") })
    }

    @Test func fromAndToFilter() throws {
        // A day as --to takes the whole day: only the 4th's records.
        let object = try Self.json(Self.report(from: "2026-11-04", to: "2026-11-04"))
        #expect(object["total_usd"] as? String == "0.638345")
        #expect(Self.counts(object) == ["read": 12, "priced": 3, "unpriced": 2, "failed": 0, "malformed": 1, "outside_period": 6])
        // A full instant as --to is exclusive: the record at 14:06:00.250 is out, the one at 14:05:09 in.
        let instant = try Self.json(Self.report(from: "2026-11-03T14:05:09Z", to: "2026-11-03T14:06:00.250Z"))
        #expect(instant["total_usd"] as? String == "0.0117")
        #expect(Self.report(from: "2026-11-31").status == 2)
    }

    @Test func oneWorkerAndTwoAgree() {
        for format in RunFormat.allCases {
            #expect(Self.report(format: format, workers: 1).stdout == Self.report(format: format, workers: 2).stdout)
        }
    }

    @Test func strictAndUnreadablePaths() {
        var request = UsageRequest()
        request.paths = [Self.logs]
        request.strict = true
        request.script = Self.script
        #expect(Commands.usage(request).status == 1)
        let missing = Self.report([Self.logs, Self.directory + "/no-such-file.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.jsonl: No such file or directory"))
        #expect(Self.report(by: ["colour"]).status == 2)
        #expect(Self.report(ttl: "2h").status == 2)
    }

    /// Golden outputs in every format; TALLY_UPDATE_GOLDEN=1 rewrites them.
    @Test(arguments: RunFormat.allCases)
    func goldenOutput(_ format: RunFormat) throws {
        let output = Self.report(by: format == .text ? ["region", "tag:team"] : [], format: format)
        let actual = "exit: \(output.status)\n--- stdout\n\(output.stdout)--- stderr\n\(output.stderr)"
            .replacingOccurrences(of: Repository.fixtures + "/", with: "")
        let path = Self.directory + "/expected-\(format.rawValue).txt"
        if ProcessInfo.processInfo.environment["TALLY_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == Repository.read(path))
    }
}
