import Foundation
import Testing
@testable import TallyActuals

/// The same actuals where the logs live: over a seeded log set
/// (Scripts/lib/genlogs.py), the queries `tally usage --emit-sql` writes are
/// run by real engines — DuckDB (the Python module and the `duckdb` CLI via
/// `--engine duckdb`), a local Spark (pyspark: one session for every query,
/// then `spark-sql` once via `--engine spark`), and Athena's Trino SQL
/// transpiled by sqlglot and run in DuckDB, the closest executable check
/// here — and their rows, priced by `tally usage --aggregates`, must give
/// the native report: every group's tokens and dollars, the counts, the
/// period, the unpriced. Needs the engines venv (Scripts/lib/setup.sh,
/// `tally_ensure_engines`), which Scripts/test makes and requires.
@Suite(.serialized) struct EngineAgreementTests {
    static let environment = ProcessInfo.processInfo.environment
    static let python = environment["TALLY_ENGINES_PYTHON"]
    static let bin = environment["TALLY_ENGINES_BIN"]
    static let available = python.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false
    static let required = environment["TALLY_ENGINES_REQUIRED"] == "1"

    typealias Object = [String: Any]

    /// The groupings checked, each a `--by` list and a period.
    struct Variant {
        let name: String
        let by: [String]
        var from: String?
        var to: String?
    }

    static let variants = [
        Variant(name: "model", by: []),
        Variant(name: "team-region", by: ["tag:team", "region"]),
        Variant(name: "day-principal", by: ["day", "principal"]),
        Variant(name: "profile-account-operation", by: ["profile", "account", "operation", "tag:app"]),
        Variant(name: "period", by: ["month", "tag:team"], from: "2026-11-02", to: "2026-11-05T12:00:00Z"),
    ]

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Lines where an engine's own reading differs from Tally's unless the
    /// query says exactly what Tally means: the text `\x01` in a body (not a
    /// delimiter), a line of tabs (blank), counts an engine's cast would
    /// round or read (1.5, 12.0, 1e3), a day that does not exist, a
    /// space for the `T`, a fraction of a second, a negative cache count, a
    /// failed call with a bad count, a CRLF line end.
    static let edges: String = {
        func line(timestamp: String = "2026-11-03T10:00:00Z", input: String = "100", cacheRead: String = "0", output: String = "10",
                  error: String = "", body: String = "hello") -> String {
            #"{"schemaType":"ModelInvocationLog","timestamp":"\#(timestamp)","accountId":"123456789012","region":"us-east-1","#
                + #""operation":"Converse","modelId":"amazon.nova-micro-v1:0",\#(error)"input":{"inputTokenCount":\#(input),"#
                + #""cacheReadInputTokenCount":\#(cacheRead),"inputBodyJson":{"messages":[{"content":"\#(body)"}]}},"#
                + #""output":{"outputTokenCount":\#(output)},"requestMetadata":{"team":"edge"}}"#
        }
        return [
            line(body: #"say \\x01 and \\t"#), "\t\t", line(input: "1.5"), line(input: "12.0"), line(output: "1e3"),
            line(timestamp: "2026-11-31T10:00:00Z"), line(timestamp: "2026-11-03 10:00:01Z"), line(timestamp: "2026-11-03T10:00:02.5Z"),
            line(cacheRead: "-5"), line(input: #""abc""#, error: #""errorCode":"ThrottlingException","#), line(input: "7") + "\r",
            line(input: "0", output: "0"),
        ].joined(separator: "\n") + "\n"
    }()

    /// `executable` run in the repository; with `path`, that directory first on PATH.
    static func run(_ executable: String, _ arguments: [String], path: String? = nil) throws -> ProgramRun {
        try runProgram(executable, arguments, environment: path.map { ["PATH": $0 + ":" + (environment["PATH"] ?? "/usr/bin:/bin")] } ?? [:])
    }

    static func tally(_ arguments: [String], engines: Bool = false) throws -> Data {
        let result = try run(TallyBinary.binary, arguments, path: engines ? bin : nil)
        guard result.status == 0 else { throw Failure(description: "tally \(arguments.prefix(4).joined(separator: " ")) … exit \(result.status): \(result.stderr)") }
        return result.stdout
    }

    /// A report with what only the native reader knows (where malformed lines are, which paths it skipped) left out.
    static func comparable(_ data: Data, dropping: [String] = []) throws -> NSDictionary {
        guard var object = try JSONSerialization.jsonObject(with: data) as? Object else { throw Failure(description: "not a JSON report") }
        object["malformed"] = nil
        object["skipped"] = nil
        if var records = object["records"] as? Object {
            for key in dropping { records[key] = nil }
            object["records"] = records
        }
        return NSDictionary(dictionary: object)
    }

    /// The top-level fields of two reports that differ, with both values, for a failure's message.
    static func differences(_ a: NSDictionary?, _ b: NSDictionary?) -> String {
        guard let a, let b else { return "a report is missing" }
        let keys = Set(a.allKeys.compactMap { $0 as? String }).union(b.allKeys.compactMap { $0 as? String }).sorted()
        return keys.filter { !NSDictionary(dictionary: [$0: a[$0] ?? NSNull()]).isEqual(to: [$0: b[$0] ?? NSNull()]) }
            .map { "\($0): \(String(describing: a[$0]).prefix(600)) ≠ \(String(describing: b[$0]).prefix(600))" }
            .joined(separator: "\n")
    }

    static func arguments(_ variant: Variant) -> [String] {
        variant.by.flatMap { ["--by", $0] } + (variant.from.map { ["--from", $0] } ?? []) + (variant.to.map { ["--to", $0] } ?? [])
    }

    @Test func nativeDuckDBSparkAndAthenaAgree() throws {
        guard Self.available else {
            #expect(!Self.required, "the engines venv is missing: Scripts/test makes it (TALLY_ENGINES_PYTHON)")
            return
        }
        guard let python = Self.python, let bin = Self.bin else { return }
        let directory = NSTemporaryDirectory() + "tally-engines-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generated = try Self.run(python, ["Scripts/lib/genlogs.py", "--out", directory, "--seed", "15", "--records", "3000", "--body-bytes", "300"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let logs = directory + "/logs"
        try Self.edges.write(toFile: logs + "/exports/edges.jsonl", atomically: true, encoding: .utf8)
        let script = ["--script", directory + "/profiles.tally"]
        let files = LogSources.files([logs]).inputs.map(\.path)
        try #require(files.count > 100)

        var native: [String: NSDictionary] = [:]
        var jobs: [SQLDialect: [String]] = [:]
        for variant in Self.variants {
            let args = Self.arguments(variant)
            native[variant.name] = try Self.comparable(Self.tally(["usage", logs, "--format", "json"] + script + args))
            for dialect in SQLDialect.allCases {
                let source = dialect == .athena ? ["--table", "bedrock_logs"] : [logs]
                let query = try Self.tally(["usage", "--emit-sql", dialect.rawValue] + source + script + args)
                let file = "\(directory)/\(variant.name).\(dialect.rawValue)"
                try query.write(to: URL(fileURLWithPath: file + ".sql"))
                jobs[dialect, default: []].append("\(file).sql:\(file).jsonl")
            }
        }
        // Each engine once for every query: Spark starts one session.
        for (dialect, pairs) in jobs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let extra = dialect == .athena ? ["--table", "bedrock_logs", "--files"] + files : []
            let result = try Self.run(python, ["Scripts/lib/engines.py", dialect.rawValue] + pairs + extra)
            try #require(result.status == 0, "engines.py \(dialect.rawValue): \(result.stderr)")
        }
        for variant in Self.variants {
            for dialect in SQLDialect.allCases {
                let rows = "\(directory)/\(variant.name).\(dialect.rawValue).jsonl"
                let priced = try Self.comparable(Self.tally(["usage", "--aggregates", rows, "--format", "json"] + script + Self.arguments(variant)))
                #expect(priced == native[variant.name], "\(dialect.rawValue), \(variant.name): \(Self.differences(priced, native[variant.name]))")
            }
        }
        // The native report is not trivial: every kind of record is there.
        let counts = try #require(native["model"]?["records"] as? [String: Int])
        #expect(counts["priced"] ?? 0 > 2000 && counts["unpriced"] ?? 0 > 100 && counts["failed"] ?? 0 > 10 && counts["malformed"] ?? 0 > 0)
        let period = try #require(native["period"]?["records"] as? [String: Int])
        #expect(period["outside_period"] ?? 0 > 500)

        // The programs users run: `--engine duckdb` (the duckdb CLI) and `--engine spark` (spark-sql).
        for engine in ["duckdb", "spark"] {
            let variant = Self.variants[1]
            let run = try Self.comparable(Self.tally(["usage", "--engine", engine, logs, "--format", "json"] + script + Self.arguments(variant), engines: true))
            #expect(run == native[variant.name], "--engine \(engine): \(Self.differences(run, native[variant.name]))")
        }
        // Spark's metastore and logs stayed in Tally's scratch directory.
        for litter in ["metastore_db", "derby.log", "spark-warehouse"] {
            #expect(!FileManager.default.fileExists(atPath: Repository.root + "/" + litter), "--engine spark left \(litter)")
        }

        // Athena with its date partition pruned: only the S3 tree has date folders, and the days
        // pruned are never read, so outside-period lines are not counted; all else agrees.
        let pruned = Self.Variant(name: "pruned", by: ["tag:team"], from: "2026-11-03", to: "2026-11-05")
        let s3 = logs + "/s3"
        let s3Files = LogSources.files([s3]).inputs.map(\.path)
        let nativePruned = try Self.comparable(Self.tally(["usage", s3, "--format", "json"] + script + Self.arguments(pruned)),
                                               dropping: ["read", "outside_period", "malformed"])
        let query = try Self.tally(["usage", "--emit-sql", "athena", "--table", "bedrock_logs", "--date-partition", "date"]
                                   + script + Self.arguments(pruned))
        #expect(String(decoding: query, as: UTF8.self).contains("\"date\" >= '2026/11/03' AND \"date\" <= '2026/11/05'"))
        try query.write(to: URL(fileURLWithPath: directory + "/pruned.sql"))
        let result = try Self.run(python, ["Scripts/lib/engines.py", "athena", "\(directory)/pruned.sql:\(directory)/pruned.jsonl",
                                           "--table", "bedrock_logs", "--date-partition", "date", "--files"] + s3Files)
        try #require(result.status == 0, "engines.py athena (pruned): \(result.stderr)")
        let athenaPruned = try Self.comparable(Self.tally(["usage", "--aggregates", directory + "/pruned.jsonl", "--format", "json"]
                                                          + script + Self.arguments(pruned)), dropping: ["read", "outside_period", "malformed"])
        #expect(athenaPruned == nativePruned, "Athena, pruned: \(Self.differences(athenaPruned, nativePruned))")
        _ = bin
    }
}
