import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyPricing

/// `tally usage --emit-sql` and `--aggregates` without an engine: the queries
/// as emitted (goldens), the refusals, and an engine's result priced as the
/// native reader prices the same logs. Tests/Fixtures/engines/aggregates.jsonl
/// and .csv are DuckDB 2.0.0's result of the DuckDB query over
/// Tests/Fixtures/usage/logs (`--by region --by tag:team --by principal`);
/// EngineAgreementTests runs the real engines.
@Suite struct EngineQueryTests {
    static let directory = Repository.fixtures + "/engines"
    static let logs = UsageTests.logs
    static let by = ["region", "tag:team", "principal"]

    static func usage(_ configure: (inout UsageRequest) -> Void) -> CommandOutput {
        var request = UsageRequest()
        request.script = UsageTests.script
        request.format = .json
        configure(&request)
        return Commands.usage(request)
    }

    /// The report without what only the native reader can know: where the
    /// malformed lines are and which paths it skipped.
    static func comparable(_ output: CommandOutput) throws -> [String: Any] {
        var object = try UsageTests.json(output)
        object["malformed"] = nil
        object["skipped"] = nil
        return object
    }

    @Test(arguments: SQLDialect.allCases)
    func emittedQueriesMatchTheirGoldens(_ dialect: SQLDialect) throws {
        let output = Self.usage {
            $0.emitSQL = dialect.rawValue
            $0.by = ["tag:team", "principal", "tag:cost-center"]
            ($0.from, $0.to) = ("2026-11-01", "2026-11-30")
            if dialect == .athena {
                $0.table = "logs.bedrock"
                $0.datePartition = "date"
            } else {
                $0.paths = [Self.logs]
            }
        }
        #expect(output.status == 0, "\(output.stderr)")
        let actual = (output.stdout + "--- stderr\n" + output.stderr).replacingOccurrences(of: Repository.fixtures + "/", with: "")
        try matchGolden(actual, at: Self.directory + "/query-\(dialect.rawValue).sql")
        // The files the native reader reads, and only those.
        if dialect != .athena {
            #expect(actual.contains("us-west-2/2026/11/04/09/20261104T0900Z_b.jsonl"))
            #expect(actual.contains("cloudwatch/export.log"))
            #expect(!actual.contains("notes.txt`") && !actual.contains("notes.txt'"))
            #expect(!actual.contains("/data/") || actual.contains("(body in data/)"))
        }
    }

    @Test(arguments: ["aggregates.jsonl", "aggregates.csv"])
    func aggregatesPriceAsTheLogsDo(_ file: String) throws {
        let native = Self.usage { $0.paths = [Self.logs]; $0.by = Self.by }
        let pushed = Self.usage { $0.aggregates = Self.directory + "/" + file; $0.by = Self.by }
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let (a, b) = (try Self.comparable(native), try Self.comparable(pushed))
        #expect(NSDictionary(dictionary: a).isEqual(to: b))
        #expect(UsageTests.counts(b) == ["read": 12, "priced": 8, "unpriced": 2, "failed": 1, "malformed": 1, "outside_period": 0])
        #expect((b["total_usd"] as? String) == "0.671498")
        // Grouped differently from the same rows: what the rows hold is enough.
        let byModel = Self.usage { $0.aggregates = Self.directory + "/" + file }
        let nativeByModel = Self.usage { $0.paths = [Self.logs] }
        #expect(NSDictionary(dictionary: try Self.comparable(byModel)).isEqual(to: try Self.comparable(nativeByModel)))
    }

    /// Two requests past 200k prompt tokens and one under, summed in rows by
    /// the threshold their prompts passed, priced as the three requests are.
    @Test func aSumIsPricedAtTheTierItsCallsFellIn() throws {
        let folder = NSTemporaryDirectory() + "tally-tier-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func record(_ input: Int, _ cacheRead: Int, _ output: Int) -> String {
            #"{"timestamp":"2026-11-03T10:00:00Z","region":"us-east-1","modelId":"anthropic.claude-sonnet-4-5-20250929-v1:0","#
                + #""input":{"inputTokenCount":\#(input),"cacheReadInputTokenCount":\#(cacheRead)},"output":{"outputTokenCount":\#(output)}}"#
        }
        try [record(150_000, 60_000, 1000), record(199_000, 10_000, 500), record(1000, 5000, 100)].joined(separator: "\n")
            .write(toFile: folder + "/logs.jsonl", atomically: true, encoding: .utf8)
        let thresholds = "100000,200000,272000"
        func row(_ over: Int, _ input: Int, _ cacheRead: Int, _ output: Int, _ records: Int) -> String {
            #"{"day":"2026-11-03","model_id":"anthropic.claude-sonnet-4-5-20250929-v1:0","region":"us-east-1","service_tier":null,"#
                + #""prompt_over":\#(over),"reads_cache":1,"writes_cache":0,"records":\#(records),"failed":0,"malformed":0,"outside_period":0,"#
                + #""input_tokens":\#(input),"cache_read_tokens":\#(cacheRead),"cache_write_tokens":0,"output_tokens":\#(output),"#
                + #""first_time":"2026-11-03T10:00:00","last_time":"2026-11-03T10:00:00","thresholds":"\#(thresholds)"}"#
        }
        try [row(200_000, 349_000, 70_000, 1500, 2), row(0, 1000, 5000, 100, 1)].joined(separator: "\n")
            .write(toFile: folder + "/rows.jsonl", atomically: true, encoding: .utf8)
        let native = try UsageTests.json(Self.usage { $0.paths = [folder + "/logs.jsonl"] })
        let rows = try UsageTests.json(Self.usage { $0.aggregates = folder + "/rows.jsonl" })
        #expect(native["total_usd"] as? String != nil)
        #expect(native["total_usd"] as? String == rows["total_usd"] as? String)
        // Summed at the base rates instead, they would cost less: the tier matters.
        try [row(0, 350_000, 75_000, 1600, 3)].joined().write(toFile: folder + "/flat.jsonl", atomically: true, encoding: .utf8)
        let flat = try UsageTests.json(Self.usage { $0.aggregates = folder + "/flat.jsonl" })
        #expect(flat["total_usd"] as? String != native["total_usd"] as? String)
        // A query that did not bucket by every threshold of the catalog is refused.
        try row(200_000, 349_000, 70_000, 1500, 2).replacingOccurrences(of: thresholds, with: "200000")
            .write(toFile: folder + "/old.jsonl", atomically: true, encoding: .utf8)
        let old = Self.usage { $0.aggregates = folder + "/old.jsonl" }
        #expect(old.status == 2)
        #expect(old.stderr.contains("without the catalog's 100000"))
    }

    @Test func refusals() throws {
        let folder = NSTemporaryDirectory() + "tally-refusals-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let quoted = folder + "/it's.jsonl"
        try "{}\n".write(toFile: quoted, atomically: true, encoding: .utf8)
        #expect(mkfifo(folder + "/fifo", 0o600) == 0)
        let globbed = folder + "/logs[1].jsonl"
        try "{}\n".write(toFile: globbed, atomically: true, encoding: .utf8)
        let cases: [(String, (inout UsageRequest) -> Void)] = [
            ("Athena reads a table", { $0.emitSQL = "athena"; $0.paths = [Self.logs] }),
            ("--emit-sql takes duckdb, spark or athena", { $0.emitSQL = "postgres"; $0.paths = [Self.logs] }),
            ("may not hold quotes", { $0.emitSQL = "duckdb"; $0.paths = [quoted] }),
            ("read them as a glob", { $0.emitSQL = "duckdb"; $0.paths = [globbed] }),
            ("a path Spark reads may not hold", { $0.emitSQL = "spark"; $0.paths = [globbed] }),
            ("--table takes a name", { $0.emitSQL = "spark"; $0.table = "logs; DROP TABLE x" }),
            ("--date-partition takes a column name", { $0.emitSQL = "athena"; $0.table = "t"; $0.datePartition = "d\"" }),
            ("a tag in a query takes", { $0.emitSQL = "duckdb"; $0.paths = [Self.logs]; $0.by = ["tag:a b"] }),
            ("differing only in case", { $0.emitSQL = "athena"; $0.table = "t"; $0.by = ["tag:Team", "tag:team"] }),
            ("whole seconds", { $0.emitSQL = "duckdb"; $0.paths = [Self.logs]; $0.from = "2026-11-01T00:00:00.5Z" }),
            ("three ways to run", { $0.emitSQL = "duckdb"; $0.engine = "duckdb"; $0.paths = [Self.logs] }),
            ("--as-workloads needs", { $0.aggregates = Self.directory + "/aggregates.csv"; $0.asWorkloads = true; $0.format = .text }),
            ("--table and --date-partition are for", { $0.paths = [Self.logs]; $0.table = "t" }),
            ("give --table or log paths", { $0.emitSQL = "duckdb"; $0.table = "t"; $0.paths = [Self.logs] }),
            ("--engine takes duckdb or spark", { $0.engine = "athena"; $0.paths = [Self.logs] }),
            ("standard input cannot be read by an engine", { $0.emitSQL = "duckdb"; $0.paths = ["-"] }),
            ("No such file", { $0.aggregates = folder + "/missing.csv" }),
            ("it is a directory", { $0.aggregates = folder }),
            ("it is not a regular file", { $0.aggregates = folder + "/fifo" }),
        ]
        for (message, configure) in cases {
            let output = Self.usage(configure)
            #expect(output.status == 2, "\(message)")
            #expect(output.stderr.contains(message), "\(message): \(output.stderr)")
            #expect(output.stdout.isEmpty, "\(message)")
        }
    }

    /// Rows that are wrong say where, and never trap.
    @Test(arguments: [
        (#"{"day":"2026-11-03","model_id":"x","records":-1}"#, "records is not a whole number"),
        (#"{"day":"2026-11-03","model_id":"x","records":99999999999999999999}"#, "records is not a whole number"),
        (#"{"day":"2026-11-03","model_id":"x","records":1000000000001}"#, "records is over"),
        (#"{"day":"2026-11-03","model_id":"x","records":1,"input_tokens":1,"cache_read_tokens":0,"cache_write_tokens":0}"#, "output_tokens is missing"),
        (#"{"day":"nope","model_id":"x","records":1}"#, "no day"),
        (#"{"model_id":["x"]}"#, "not a string, a whole number or null"),
        (#"[{"records":1}"#, "not closed"),
        ("day,model_id\n2026-11-03,x\n", "no column region"),
        ("day,model_id,region\n\"2026-11-03,x\n", "line 2"),
        (#"{"day":"2026-11-03","model_id":"x","region":"us-east-1","prompt_over":12345,"records":1,"failed":0,"input_tokens":1,"cache_read_tokens":0,"cache_write_tokens":0,"output_tokens":1}"#, "prompt_over 12345 is not a threshold"),
        // A count left out is not read as none: a row from elsewhere is refused, with or without calls.
        (#"{"day":"2026-11-03","model_id":"x","region":"us-east-1","service_tier":null,"prompt_over":0,"reads_cache":0,"writes_cache":0,"records":1,"malformed":0,"outside_period":0,"input_tokens":1,"cache_read_tokens":0,"cache_write_tokens":0,"output_tokens":1,"first_time":null,"last_time":null,"thresholds":"100000,200000,272000"}"#, "a row has no column failed"),
        (#"{"day":null,"model_id":null,"malformed":7}"#, "a row has no column region"),
    ])
    func badRowsAreRefused(_ text: String, _ message: String) throws {
        let file = NSTemporaryDirectory() + "tally-rows-\(UUID().uuidString).txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = Self.usage { $0.aggregates = file }
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    /// `--engine` without its program says how to get it.
    @Test func aMissingEngineProgramIsNamed() throws {
        let result = try TallyBinary.run(["usage", "--engine", "duckdb", Self.logs], environment: ["PATH": "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("runs `duckdb`, and it is not on PATH"))
        #expect(result.stderr.contains("pip install duckdb-cli"))
    }
}
