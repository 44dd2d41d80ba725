import TallyQuantities
import TallySyntax
import TallyPricing
import TallyRender
import TallyActuals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tally usage --emit-sql`, `--aggregates` and `--engine`: the same actuals,
/// summed where the logs live and priced here.
extension Commands {
    /// An aggregates file or an engine's output is at most this large.
    static let maximumAggregateBytes = 256 << 20

    /// The engines Tally runs itself, each by the program found on `PATH`.
    enum SQLEngine: String, CaseIterable {
        case duckdb, spark

        var dialect: SQLDialect { self == .duckdb ? .duckdb : .spark }
        var program: String { self == .duckdb ? "duckdb" : "spark-sql" }
        var install: String {
            self == .duckdb ? "pip install duckdb-cli (or DuckDB's own release) puts `duckdb` on PATH"
                : "pip install pyspark (with Java 17) puts `spark-sql` on PATH"
        }

        /// The command line that runs the query in `file` and prints one JSON object a row.
        /// `scratch` is a directory of Tally's own: Spark's metastore and
        /// warehouse go there (in memory), not into the working directory.
        func arguments(file: String, scratch: String) -> [String] {
            switch self {
            // -no-init: a user's ~/.duckdbrc cannot change the output mode.
            case .duckdb: [program, "-no-init", "-batch", "-bail", "-jsonlines", "-f", file]
            // The in-memory catalog starts no Hive metastore; UTF-8 out whatever the locale (Tally runs it with LC_ALL=C).
            case .spark:
                [program, "-S", "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=8",
                 "--conf", "spark.sql.session.timeZone=UTC", "--conf", "spark.sql.catalogImplementation=in-memory",
                 // The files are listed by the driver, not by a Spark job of
                 // its own (which cost 11 s of 35 for 2,688 files).
                 "--conf", "spark.sql.sources.parallelPartitionDiscovery.threshold=1000000",
                 "--conf", "spark.sql.warehouse.dir=\(scratch)/warehouse",
                 "--driver-java-options", "-Dfile.encoding=UTF-8 -Dstdout.encoding=UTF-8 -Dderby.stream.error.file=\(scratch)/derby.log",
                 "-f", file]
            }
        }
    }

    /// Builds the query `request` asks for; nil after saying why.
    static func aggregateQuery(_ request: UsageRequest, dialect: SQLDialect, options: UsageOptions, catalog: Catalog,
                               skipped: inout [SkippedPath], into output: inout CommandOutput) -> AggregateQuery? {
        guard let thresholds = catalog.contextThresholds else {
            output.fail("error: a long-context threshold of the catalog is not a whole number of tokens\n")
            return nil
        }
        let source: AggregateQuery.Source
        if let table = request.table {
            guard request.paths.isEmpty else {
                output.fail("error: give --table or log paths, not both\n")
                return nil
            }
            source = .table(table, datePartition: request.datePartition)
        } else {
            guard request.datePartition == nil else {
                output.fail("error: --date-partition names a column of --table\n")
                return nil
            }
            guard !request.paths.isEmpty else {
                output.fail("error: give the log files or directories (or s3:// globs), or --table NAME\n")
                return nil
            }
            // Local paths become the files the native reader would read; S3 globs go as written.
            let local = request.paths.filter { !$0.hasPrefix("s3://") }
            let expansion = LogSources.files(local)
            if !expansion.errors.isEmpty {
                output.fail(expansion.errors.map { "error: cannot read \($0)\n" }.joined())
                return nil
            }
            skipped = expansion.skipped
            let files = expansion.inputs.map(\.path) + request.paths.filter { $0.hasPrefix("s3://") }
            guard !files.isEmpty else {
                output.fail("error: no log files in \(request.paths.joined(separator: " "))\n")
                return nil
            }
            source = .files(files)
        }
        do throws(AggregateQuery.Refusal) {
            return try AggregateQuery(dialect: dialect, source: source, by: options.by, from: options.from, to: options.to,
                                      thresholds: thresholds)
        } catch {
            output.fail("error: \(error)\n")
            return nil
        }
    }

    /// `--emit-sql DIALECT`: the query alone on standard output; what was left out on standard error.
    static func emitSQL(_ request: UsageRequest, dialectName: String, options: UsageOptions, catalog: Catalog) -> CommandOutput {
        var output = CommandOutput()
        guard let dialect = SQLDialect(rawValue: dialectName) else {
            output.fail("error: --emit-sql takes duckdb, spark or athena, not \(dialectName)\n")
            return output
        }
        var skipped: [SkippedPath] = []
        guard let query = aggregateQuery(request, dialect: dialect, options: options, catalog: catalog, skipped: &skipped, into: &output) else {
            return output
        }
        output.stdout = query.text
        // Counted by reason, as the native reader would skip them; one named of each.
        var reasons: [(reason: String, count: Int, example: String)] = []
        for path in skipped {
            if let i = reasons.firstIndex(where: { $0.reason == path.reason }) { reasons[i].count += 1 } else { reasons.append((path.reason, 1, path.path)) }
        }
        for entry in reasons {
            output.stderr += "note: left out \(entry.count == 1 ? entry.example : "\(entry.count) paths such as \(entry.example)") (\(entry.reason))\n"
        }
        return output
    }

    /// `--aggregates FILE`: an engine's result, priced.
    static func aggregatesReport(path: String, options: UsageOptions, catalog: Catalog, into output: inout CommandOutput) -> UsageReport? {
        // Opened without blocking, so a FIFO named here never hangs; only a regular file (or -) is read.
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            output.fail("error: cannot read \(path): \(FileSystem.Failure.system())\n")
            return nil
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            output.fail("error: cannot read \(path): \(FileSystem.Failure.system())\n")
            return nil
        }
        guard fd == STDIN_FILENO || info.st_mode & S_IFMT == S_IFREG else {
            output.fail("error: cannot read \(path): \(info.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : "it is not a regular file")\n")
            return nil
        }
        guard let bytes = FileSystem.readAll(fd, limit: maximumAggregateBytes + 1, expected: Int(info.st_size)) else {
            output.fail("error: cannot read \(path): \(FileSystem.Failure.system())\n")
            return nil
        }
        guard bytes.count <= maximumAggregateBytes else {
            output.fail("error: cannot read \(path): larger than \(maximumAggregateBytes >> 20) MiB\n")
            return nil
        }
        return priced(bytes, source: path, options: options, catalog: catalog, into: &output)
    }

    static func priced(_ bytes: [UInt8], source: String, options: UsageOptions, catalog: Catalog, into output: inout CommandOutput) -> UsageReport? {
        do throws(Aggregates.Failure) {
            return try Aggregates.price(try Aggregates.rows(bytes), catalog: catalog, options: options)
        } catch {
            output.fail("error: \(source): \(error)\n")
            return nil
        }
    }

    /// `--engine duckdb|spark`: the query run by the engine's own program, its rows priced.
    static func engineReport(_ request: UsageRequest, engineName: String, options: UsageOptions, catalog: Catalog,
                             into output: inout CommandOutput) -> UsageReport? {
        guard let engine = SQLEngine(rawValue: engineName) else {
            output.fail("error: --engine takes duckdb or spark, not \(engineName)\n  hint: for Athena, --emit-sql athena and price its result with --aggregates\n")
            return nil
        }
        var skipped: [SkippedPath] = []
        guard let query = aggregateQuery(request, dialect: engine.dialect, options: options, catalog: catalog, skipped: &skipped,
                                         into: &output) else { return nil }
        guard let program = findOnPath(engine.program) else {
            output.fail("error: --engine \(engine.rawValue) runs `\(engine.program)`, and it is not on PATH\n  hint: \(engine.install)\n")
            return nil
        }
        let directory: String
        switch temporaryDirectory() {
        case .success(let made): directory = made
        case .failure(let failure):
            output.fail("error: cannot make a temporary directory: \(failure)\n")
            return nil
        }
        defer { removeTree(directory) }
        let file = directory + "/query.sql"
        let text = engine == .spark ? query.jsonRows : query.text
        do throws(FileSystem.Failure) {
            try FileSystem.writeAtomically(text + ";\n", to: file, mode: 0o600)
        } catch {
            output.fail("error: cannot write \(file): \(error)\n")
            return nil
        }
        var arguments = engine.arguments(file: file, scratch: directory)
        arguments[0] = program
        let run: ChildProcess.Output
        request.progress?.working("running \(engine.program)")
        do throws(FileSystem.Failure) {
            defer { request.progress?.end() }
            run = try ChildProcess.run(arguments, limit: maximumAggregateBytes)
        } catch {
            output.fail("error: cannot run \(program): \(error)\n")
            return nil
        }
        guard !run.exceeded else {
            output.fail("error: \(engine.program) printed more than \(maximumAggregateBytes >> 20) MiB\n")
            return nil
        }
        guard run.status == 0 else {
            output.fail("error: \(engine.program) failed (exit \(run.status))\n" + engineMessage(run.stderr + run.stdout).map { "  \($0)\n" }.joined())
            return nil
        }
        // Rows are JSON objects, one a line; anything else a program prints on standard output is not a row.
        let lines = run.stdout.split(separator: UInt8(ascii: "\n")).filter { $0.first == UInt8(ascii: "{") }
        let rows = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        guard var report = priced(rows, source: engine.program, options: options, catalog: catalog, into: &output) else { return nil }
        report.skipped = (skipped + report.skipped).sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        return report
    }

    /// What an engine said went wrong: its error lines (Spark's `[CLASS]`
    /// messages, DuckDB's `… Error:`), else its last lines; at most eight,
    /// each cut at 300 bytes, so a failing engine cannot flood the output.
    static func engineMessage(_ bytes: [UInt8]) -> [String] {
        let lines = String(decoding: bytes.prefix(1 << 20), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { String($0).trimmingWhitespaceAndNewlines() }
            .filter { !$0.isEmpty && !$0.allSatisfy { $0 == "^" } }
        let errors = lines.filter { line in
            (line.hasPrefix("[") && line.dropFirst().prefix { $0 != "]" }.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber }
                && line.contains("]"))
                || line.contains("Error:") || line.contains("Exception:")
        }
        let chosen = errors.isEmpty ? Array(lines.suffix(8)) : Array(errors.prefix(8))
        return chosen.map { $0.utf8.count > 300 ? String(decoding: Array($0.utf8.prefix(300)), as: UTF8.self) + "…" : $0 }
    }

    /// The full path of `program` in a directory of `PATH`, if it is there and executable.
    static func findOnPath(_ program: String) -> String? {
        guard let path = getenv("PATH").map({ String(cString: $0) }) else { return nil }
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(program)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func temporaryDirectory() -> Result<String, FileSystem.Failure> {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/tally-engine-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { return .failure(.system()) }
        return .success(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Removes a directory Tally made and everything in it, without recursion
    /// and without following a symbolic link.
    static func removeTree(_ root: String) {
        var pending = [root]
        var directories: [String] = []
        while let directory = pending.popLast() {
            directories.append(directory)
            guard let handle = opendir(directory) else { continue }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                    tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { String(cString: $0) }
                }
                guard name != ".", name != ".." else { continue }
                let path = directory + "/" + name
                var info = stat()
                if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { pending.append(path) } else { unlink(path) }
            }
            closedir(handle)
        }
        for directory in directories.reversed() { rmdir(directory) }
    }
}
