import Foundation
import Testing
@testable import TallyQuantities

/// `tally usage` on a seeded log set (Scripts/lib/genlogs.py) against an
/// independent pricing of every record (Scripts/lib/usage_oracle.py:
/// genai-prices 0.2.3 `calc_price`, LiteLLM 1.110.2 where a region or tier
/// needs it): the same total and group totals to 1e-8 $ per record, and the
/// unpriced, failed and malformed records and skipped objects the generator's
/// manifest says it wrote. Needs the price-source venv (Scripts/test makes it).
@Suite(.serialized) struct UsageOracleTests {
    static let available = Oracle.genaiPrices.available && Oracle.litellm.available
    static let seed = 14
    static let records = 1500

    typealias Object = [String: Any]

    /// A log set in a fresh directory, with its manifest.
    struct LogSet {
        let directory: String
        var logs: String { directory + "/logs" }
        var profiles: String { directory + "/profiles.tally" }
        let manifest: Object

        init(seed: Int = UsageOracleTests.seed, records: Int = UsageOracleTests.records) throws {
            directory = NSTemporaryDirectory() + "tally-usage-oracle-\(UUID().uuidString)"
            try UsageOracleTests.python(["Scripts/lib/genlogs.py", "--out", directory, "--seed", "\(seed)",
                                         "--records", "\(records)", "--body-bytes", "300"])
            manifest = try UsageOracleTests.object(Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json")))
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        /// A path Tally prints, relative to the logs folder as the manifest has it.
        func relative(_ path: String) -> String {
            path.hasPrefix(logs + "/") ? String(path.dropFirst(logs.count + 1)) : path
        }

        func count(_ cls: String) -> Int { (manifest["classes"] as? [String: Int])?[cls] ?? -1 }

        func oracle(by keys: [String], options: [String] = []) throws -> Object {
            try UsageOracleTests.object(UsageOracleTests.python(
                ["Scripts/lib/usage_oracle.py", logs, "--profiles", profiles] + keys.flatMap { ["--by", $0] } + options))
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    @discardableResult
    static func python(_ arguments: [String]) throws -> Data {
        let run = try runProgram("/usr/bin/env", [Oracle.python] + arguments)
        guard run.status == 0 else { throw Failure(description: "\(arguments.first ?? "") failed: \(run.stderr)") }
        return run.stdout
    }

    static func object(_ data: Data) throws -> Object {
        guard let object = try JSONSerialization.jsonObject(with: data) as? Object else {
            throw Failure(description: "not a JSON object: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        return object
    }

    static func dollars(_ value: Any?) -> Rational? {
        (value as? String).flatMap { Rational(decimalLiteral: Substring($0)) }
    }

    /// True when `a` and `b` differ by at most 1e-8 $ for each of `records`.
    static func close(_ a: Rational, _ b: Rational, records: Int) -> Bool {
        guard let tolerance = Rational(Int128(max(records, 1)), 100_000_000),
              let difference = a.subtracting(b)?.magnitude else { return false }
        return difference <= tolerance
    }

    /// Groups by their key, rendered the same for Tally and the oracle.
    static func groups(_ output: Object) -> [String: Object] {
        var out: [String: Object] = [:]
        for group in output["groups"] as? [Object] ?? [] {
            let key = (group["key"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            out[key.joined(separator: " ")] = group
        }
        return out
    }

    /// Compares one grouping of `tally usage` with the oracle's; the differences, named.
    static func compare(_ set: LogSet, by keys: [String], options: [String] = []) throws -> [String] {
        let oracle = try set.oracle(by: keys, options: options)
        let result = try TallyBinary.run(["usage", set.logs, "--script", set.profiles, "--format", "json"]
                                         + keys.flatMap { ["--by", $0] } + options)
        guard result.status == 0 else { return ["tally usage exited \(result.status): \(result.stderr.prefix(500))"] }
        let tally = try object(Data(result.stdout.utf8))
        var problems: [String] = []
        let ours = groups(tally), theirs = groups(oracle)
        for key in Set(ours.keys).union(theirs.keys).sorted() {
            guard let a = ours[key], let b = theirs[key] else {
                problems.append("\(key): only in \(ours[key] == nil ? "the oracle" : "tally")")
                continue
            }
            let records = b["records"] as? Int ?? 0
            if a["records"] as? Int != records { problems.append("\(key): \(a["records"] ?? "-") records, oracle \(records)") }
            if let x = a["tokens"] as? [String: Int], let y = b["tokens"] as? [String: Int], x != y {
                problems.append("\(key): tokens \(x), oracle \(y)")
            }
            guard let x = dollars(a["usd"]), let y = dollars(b["usd"]), close(x, y, records: records) else {
                problems.append("\(key): $\(a["usd"] ?? "-"), oracle $\(b["usd"] ?? "-")")
                continue
            }
        }
        let priced = set.count("genai") + set.count("litellm")
        if let x = dollars(tally["total_usd"]), let y = dollars(oracle["total_usd"]), close(x, y, records: priced) {} else {
            problems.append("total $\(tally["total_usd"] ?? "-"), oracle $\(oracle["total_usd"] ?? "-")")
        }
        let counts = tally["records"] as? [String: Int] ?? [:]
        let expected = ["priced": priced, "unpriced": set.count("unpriced_unknown") + set.count("unpriced_region"),
                        "failed": set.count("failed"), "malformed": (set.manifest["malformed"] as? [Any])?.count ?? -1]
        for (name, count) in expected.sorted(by: { $0.key < $1.key }) where counts[name] != count {
            problems.append("records.\(name): \(counts[name].map(String.init) ?? "-"), manifest \(count)")
        }
        problems += named(tally, set)
        return problems
    }

    /// Every skipped object of the manifest named with its reason; every malformed line listed is one the generator wrote.
    static func named(_ tally: Object, _ set: LogSet) -> [String] {
        var problems: [String] = []
        let skipped = (tally["skipped"] as? [Object] ?? []).compactMap { s in (s["path"] as? String).map { (set.relative($0), s["reason"] as? String) } }
        for case let s as Object in set.manifest["skipped"] as? [Any] ?? [] {
            guard let path = s["path"] as? String else { continue }
            // A data/ folder may be named once for the bodies in it.
            let found = skipped.first { $0.0 == path || ($0.0.hasSuffix("/data/") && path.hasPrefix($0.0)) }
            if found == nil { problems.append("not named as skipped: \(path)") }
            else if found?.1 != s["reason"] as? String { problems.append("\(path) skipped as \(found?.1 ?? "-"), not \(s["reason"] ?? "-")") }
        }
        let written = Set((set.manifest["malformed"] as? [Object] ?? []).map { "\($0["file"] ?? ""):\($0["line"] ?? 0)" })
        for case let m as Object in tally["malformed"] as? [Any] ?? [] {
            let file = set.relative(m["file"] as? String ?? "")
            if !written.contains("\(file):\(m["line"] ?? 0)") {
                problems.append("malformed \(file):\(m["line"] ?? 0) is not a line the generator broke")
            }
        }
        return problems
    }

    @Test(.enabled(if: available, "needs genai-prices 0.2.3 and litellm 1.110.2 in .build/oracles (Scripts/test installs them)"))
    func usageMatchesTheOracleByRegionAndTeam() throws {
        let set = try LogSet()
        defer { set.remove() }
        let problems = try Self.compare(set, by: ["region", "tag:team"])
        #expect(problems.isEmpty, "\(problems.prefix(30).joined(separator: "\n"))")
    }

    @Test(.enabled(if: available, "needs genai-prices 0.2.3 and litellm 1.110.2 in .build/oracles (Scripts/test installs them)"))
    func usageMatchesTheOracleByDay() throws {
        let set = try LogSet()
        defer { set.remove() }
        let problems = try Self.compare(set, by: ["day"])
        #expect(problems.isEmpty, "\(problems.prefix(30).joined(separator: "\n"))")
    }

    /// Cache writes at the one-hour rate ($6 rather than $3.75 per 1M for Sonnet 4.5), another seed, other keys.
    @Test(.enabled(if: available, "needs genai-prices 0.2.3 and litellm 1.110.2 in .build/oracles (Scripts/test installs them)"))
    func usageMatchesTheOracleWithOneHourCacheWrites() throws {
        let set = try LogSet(seed: 1401)
        defer { set.remove() }
        let problems = try Self.compare(set, by: ["account", "operation", "tag:app"], options: ["--cache-ttl", "1h"])
        #expect(problems.isEmpty, "\(problems.prefix(30).joined(separator: "\n"))")
    }
}

/// The generator and the oracle on their own: what Tally is compared with has to be right first.
@Suite struct UsageOracleSelfTests {
    typealias LogSet = UsageOracleTests.LogSet

    /// Eight records worked by hand, one of each kind the oracle tells apart.
    static let handLog = [
        // Sonnet 4.5, global, us-east-1 (genai-prices): 1,000 input × $3 + 2,000 cache read × $0.30
        // + 1,000 cache write × $3.75 + 500 output × $15, per 1M tokens = $0.01485.
        #"{"timestamp":"2026-11-02T10:00:00Z","region":"us-east-1","modelId":"global.anthropic.claude-sonnet-4-5-20250929-v1:0","input":{"inputTokenCount":1000,"cacheReadInputTokenCount":2000,"cacheWriteInputTokenCount":1000},"output":{"outputTokenCount":500},"requestMetadata":{"team":"search"}}"#,
        // MiniMax M2.5 in us-west-2 at flex (LiteLLM): 1,000 × $0.15 + 1,000 × $0.60 per 1M = $0.00075.
        #"{"timestamp":"2026-11-02T11:00:00Z","region":"us-west-2","modelId":"minimax.minimax-m2.5","input":{"inputBodyJson":{"serviceTier":{"type":"flex"}},"inputTokenCount":1000},"output":{"outputTokenCount":1000}}"#,
        // Llama 3 70B in eu-west-2 (LiteLLM): 10,000 × $3.45 + 1,000 × $4.55 per 1M = $0.03905.
        #"{"timestamp":"2026-11-03T11:00:00Z","region":"eu-west-2","modelId":"meta.llama3-70b-instruct-v1:0","input":{"inputTokenCount":10000},"output":{"outputTokenCount":1000},"requestMetadata":{"team":"search"}}"#,
        // Sonnet 4.5 past 200k prompt tokens only with its cache reads (LiteLLM's long-context rates): 150,000 × $6
        // + 100,000 × $0.60 + 1,000 × $22.50, per 1M = $0.9825.
        #"{"timestamp":"2026-11-02T12:00:00Z","region":"us-east-1","modelId":"global.anthropic.claude-sonnet-4-5-20250929-v1:0","input":{"inputTokenCount":150000,"cacheReadInputTokenCount":100000},"output":{"outputTokenCount":1000}}"#,
        #"{"timestamp":"2026-11-03T12:00:00Z","region":"eu-west-1","modelId":"eu.anthropic.claude-sonnet-4-5-20250929-v1:0","input":{"inputTokenCount":10},"output":{"outputTokenCount":10}}"#,
        #"{"timestamp":"2026-11-03T12:00:00Z","region":"us-east-1","modelId":"acme.frontier-model-v1:0","input":{"inputTokenCount":10},"output":{"outputTokenCount":10}}"#,
        #"{"timestamp":"2026-11-03T12:00:00Z","region":"us-east-1","modelId":"amazon.nova-lite-v1:0","errorCode":"ThrottlingException","input":{"inputTokenCount":10}}"#,
        #"{"timestamp":"2026-11-03T12:00:00Z","region":"us-east-1","modelId":"#,
    ].joined(separator: "\n") + "\n"

    @Test(.enabled(if: UsageOracleTests.available, "needs the price-source venv in .build/oracles"))
    func oraclePricesRecordsWorkedByHand() throws {
        let directory = NSTemporaryDirectory() + "tally-usage-hand-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.handLog.write(toFile: directory + "/hand.jsonl", atomically: true, encoding: .utf8)
        let oracle = try UsageOracleTests.object(UsageOracleTests.python(["Scripts/lib/usage_oracle.py", directory, "--by", "tag:team"]))
        let counts = oracle["records"] as? [String: Int] ?? [:]
        #expect(counts == ["read": 7, "genai": 1, "litellm": 3, "priced": 4, "unpriced_region": 1, "unpriced_unknown": 1,
                           "unpriced": 2, "failed": 1, "malformed": 1])
        #expect(UsageOracleTests.dollars(oracle["total_usd"]) == rational("1.03715"))
        let groups = UsageOracleTests.groups(oracle)
        #expect(UsageOracleTests.dollars(groups["tag:team=search"]?["usd"]) == rational("0.05390"))
        #expect(UsageOracleTests.dollars(groups["tag:team=(none)"]?["usd"]) == rational("0.98325"))
    }

    /// The same eight records through tally usage, the figures worked above.
    @Test func usagePricesRecordsWorkedByHand() throws {
        let path = NSTemporaryDirectory() + "tally-usage-hand-\(UUID().uuidString).jsonl"
        try Self.handLog.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try TallyBinary.run(["usage", path, "--by", "tag:team", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let usage = try UsageOracleTests.object(Data(result.stdout.utf8))
        let counts = usage["records"] as? [String: Int] ?? [:]
        #expect(counts == ["read": 8, "priced": 4, "unpriced": 2, "failed": 1, "malformed": 1, "outside_period": 0])
        #expect(UsageOracleTests.dollars(usage["total_usd"]) == rational("1.03715"))
        let groups = UsageOracleTests.groups(usage)
        #expect(UsageOracleTests.dollars(groups["tag:team=search"]?["usd"]) == rational("0.05390"))
        #expect(UsageOracleTests.dollars(groups["tag:team=(none)"]?["usd"]) == rational("0.98325"))
    }

    @Test(.enabled(if: UsageOracleTests.available, "needs the price-source venv in .build/oracles"))
    func oracleFindsWhatTheGeneratorWrote() throws {
        let set = try LogSet(records: 600)
        defer { set.remove() }
        let oracle = try set.oracle(by: ["region"])
        let counts = oracle["records"] as? [String: Int] ?? [:]
        for cls in ["genai", "litellm", "unpriced_unknown", "unpriced_region", "failed"] {
            #expect(counts[cls] == set.count(cls), "\(cls)")
            #expect(set.count(cls) > 0, "the generator wrote no \(cls) record")
        }
        let malformed = (oracle["malformed"] as? [UsageOracleTests.Object] ?? []).map { "\($0["file"] ?? ""):\($0["line"] ?? 0)" }
        let written = (set.manifest["malformed"] as? [UsageOracleTests.Object] ?? []).map { "\($0["file"] ?? ""):\($0["line"] ?? 0)" }
        #expect(Set(malformed) == Set(written) && written.count >= 4)
        let skipped = Set((oracle["skipped"] as? [UsageOracleTests.Object] ?? []).map { "\($0["path"] ?? "") \($0["reason"] ?? "")" })
        #expect(skipped == Set((set.manifest["skipped"] as? [UsageOracleTests.Object] ?? []).map { "\($0["path"] ?? "") \($0["reason"] ?? "")" }))
        // Regions, prefixes, profiles, tiers and cache tokens are all there.
        let files = set.manifest["files"] as? [String] ?? []
        #expect(files.contains { $0.hasSuffix(".json.gz") } && files.contains { $0.hasSuffix(".jsonl") } && files.contains { $0.hasSuffix("000000.gz") })
        #expect((oracle["groups"] as? [Any])?.count ?? 0 >= 5)
    }

    @Test(.enabled(if: UsageOracleTests.available, "needs the price-source venv in .build/oracles"))
    func generatorIsDeterministic() throws {
        let a = try LogSet(records: 300), b = try LogSet(records: 300)
        defer { a.remove(); b.remove() }
        let ma = try Data(contentsOf: URL(fileURLWithPath: a.directory + "/manifest.json"))
        let mb = try Data(contentsOf: URL(fileURLWithPath: b.directory + "/manifest.json"))
        #expect(ma == mb)
        for file in a.manifest["files"] as? [String] ?? [] where !file.hasSuffix(".gz") {
            #expect(FileManager.default.contents(atPath: a.logs + "/" + file) == FileManager.default.contents(atPath: b.logs + "/" + file), "\(file)")
        }
    }
}
