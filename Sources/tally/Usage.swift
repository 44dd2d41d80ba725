import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import TallyKit

struct Usage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Price Bedrock model-invocation logs: what was really served, grouped.",
        discussion: """
            PATH is a log file (.json, .jsonl, .json.gz; gzip is read by its magic bytes), a directory \
            in AWS's S3 layout (walked recursively; the permission-check object, data/ bodies and \
            symbolic links skipped and named), a CloudWatch Logs export, or - for standard input. \
            Exit 2 when a path cannot be read or the command is wrong, 1 with --strict when a \
            record is unpriced or malformed, else 0.

            --as-workloads writes, instead of the report, a Tally script of workload declarations \
            measured from the logs: one per group and model (split by region, endpoint and tier \
            where they differ), requests per day over the period, and the prompt, output and cache \
            shares per request from the 10th to the 90th percentile.

            --cur FILE… reads Cost and Usage Report (CUR 2.0) data exports instead (CSV, or CSV \
            gzipped): the Bedrock token usage per model, token class, region and day (or the --by \
            keys model, class, tier, endpoint, region, day, month, usage-type, account, principal, \
            resource, operation, profile, tag:NAME), the CUR's unblended cost beside what the catalog says the same \
            usage costs, groups that differ by more than --tolerance marked `!`, and the usage \
            types Tally cannot price listed. With --strict, exit 1 when a row is unpriced or a \
            group differs; 2 for a missing required column.

            Where the logs live: --emit-sql duckdb|spark|athena prints one query that sums the \
            calls' tokens per day, model id, region, tier and --by group where the records are \
            (DuckDB or Spark over the files, Athena over --table NAME with --date-partition \
            COLUMN pruned to --from/--to); --aggregates FILE prices its result (CSV with a \
            header, JSON lines or a JSON array) exactly, as the logs would be priced; --engine \
            duckdb|spark runs it with the `duckdb` or `spark-sql` program on PATH and prices it.
            """)

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

    @Option(help: ArgumentHelp("Group by model, region, day, month, operation, principal, profile, account or tag:NAME (repeatable).", valueName: "key"))
    var by: [String] = []

    @OptionGroup var period: PeriodOptions

    @Option(help: "Output format: text, json, csv, markdown or html (html: not with --cur).")
    var format: RunFormat = .text

    @Flag(help: "Exit 1 when any record is unpriced or malformed.")
    var strict = false

    @Option(name: .customLong("cache-ttl"), help: ArgumentHelp("Price cache writes at the 5m or 1h rate.", valueName: "ttl"))
    var cacheTTL = "5m"

    @Option(help: ArgumentHelp("A script whose `profile` and `price` declarations apply.", valueName: "file"))
    var script: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Cost and Usage Report exports (.csv or .csv.gz) to read instead of logs.", valueName: "file"))
    var cur: [String] = []

    @Option(help: ArgumentHelp("With --cur: mark groups whose catalog cost differs from the bill's by more than this (1%).", valueName: "percent"))
    var tolerance: String?

    @Flag(name: .customLong("as-workloads"), help: "Write workload declarations measured from the logs (ranges from the 10th to the 90th percentile).")
    var asWorkloads = false

    @Option(name: .customLong("emit-sql"), help: ArgumentHelp("Print the query that sums the logs in duckdb, spark or athena, instead of reading them.", valueName: "dialect"))
    var emitSQL: String?

    @Option(help: ArgumentHelp("With --emit-sql or --engine: read this table (one string column, line) instead of files.", valueName: "name"))
    var table: String?

    @Option(name: .customLong("date-partition"), help: ArgumentHelp("With --table: its date partition column (YYYY/MM/DD), pruned by --from/--to.", valueName: "column"))
    var datePartition: String?

    @Option(help: ArgumentHelp("Price the result of an emitted query (CSV with a header, JSON lines or a JSON array) instead of reading logs.", valueName: "file"))
    var aggregates: String?

    @Option(help: ArgumentHelp("Sum the logs in duckdb or spark (the `duckdb` or `spark-sql` program on PATH) and price the result.", valueName: "engine"))
    var engine: String?

    @Flag(help: "Show no progress line on standard error (shown on a terminal when the reading is long).")
    var quiet = false

    @Argument(help: "Log files, directories, or - for standard input.")
    var paths: [String] = []

    func run() throws {
        var request = UsageRequest()
        request.emitSQL = emitSQL
        request.table = table
        request.datePartition = datePartition
        request.aggregates = aggregates
        request.engine = engine
        request.paths = paths
        request.by = by
        (request.from, request.to) = (period.from, period.to)
        request.format = format
        request.strict = strict
        request.cacheTTL = cacheTTL
        request.script = script
        request.allowOutside = reading.allowOutside
        request.cur = cur
        request.tolerance = tolerance
        request.asWorkloads = asWorkloads
        request.progress = TerminalProgress.standardError(quiet: quiet)
        finish(Commands.usage(request, color: format == .text && options.color(for: STDOUT_FILENO)))
    }
}
