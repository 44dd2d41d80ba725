import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender
import TallyActuals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `tally usage` was given on the command line, as written; more
/// sources (such as a CUR export) join here as fields.
package struct UsageRequest: Sendable {
    package var paths: [String] = []
    package var by: [String] = []
    package var from: String?
    package var to: String?
    package var format: RunFormat = .text
    package var strict = false
    package var cacheTTL = "5m"
    package var script: String?
    package var allowOutside = false
    /// Threads reading files: one a processor, at most 8.
    package var workers = min(8, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    /// Cost and Usage Report exports, read instead of logs (`usageCUR`).
    package var cur: [String] = []
    package var tolerance: String?
    /// Write the logs as workload declarations (`--as-workloads`).
    package var asWorkloads = false
    /// `--emit-sql DIALECT`: print the query an engine runs instead.
    package var emitSQL: String?
    /// `--table NAME` (with `--date-partition COLUMN`): the query reads a table, not files.
    package var table: String?
    package var datePartition: String?
    /// `--aggregates FILE`: price an engine's result.
    package var aggregates: String?
    /// `--engine duckdb|spark`: run the query there and price its result.
    package var engine: String?
    /// Shows how far the reading is (the CLI's `TerminalProgress.standardError`, nil with `--quiet` or off a terminal).
    package var progress: TerminalProgress?

    package init() {}
}

extension Commands {
    /// Prices invocation logs. Exit 2 when a path or the command was wrong
    /// (the report is still printed for what was read), else 1 with
    /// `--strict` when a record was unpriced or malformed, else 0.
    package static func usage(_ request: UsageRequest, color: Bool = false) -> CommandOutput {
        if let refused = refusedWorkloads(request) { return refused }
        if !request.cur.isEmpty { return usageCUR(request, color: color) }
        var output = CommandOutput()
        var options = UsageOptions()
        options.workers = request.workers
        options.observer = request.progress
        var keys: [UsageKey] = []
        for text in request.by {
            guard let key = UsageKey(text) else {
                output.fail("error: unknown --by key \(text)\n  hint: model, region, day, month, operation, principal, profile, account or tag:NAME\n")
                return output
            }
            if !keys.contains(key) { keys.append(key) }
        }
        options.by = keys.isEmpty ? [.model] : keys
        switch request.cacheTTL {
        case "5m": options.oneHour = false
        case "1h": options.oneHour = true
        default:
            output.fail("error: --cache-ttl is 5m or 1h, not \(request.cacheTTL)\n")
            return output
        }
        if let from = request.from {
            guard let instant = time(from, endOfDay: false) else {
                output.fail("error: --from \(from) is not a date (2026-11-01) or a UTC time (2026-11-01T12:00:00Z)\n")
                return output
            }
            options.from = instant
        }
        if let to = request.to {
            guard let instant = time(to, endOfDay: true) else {
                output.fail("error: --to \(to) is not a date (2026-11-30) or a UTC time (2026-11-30T12:00:00Z)\n")
                return output
            }
            options.to = instant
        }
        let modes = [request.emitSQL, request.aggregates, request.engine].compactMap { $0 }.count
        guard modes <= 1 else {
            output.fail("error: --emit-sql, --aggregates and --engine are three ways to run: give one\n")
            return output
        }
        if modes == 1, request.asWorkloads {
            output.fail("error: --as-workloads needs each request's tokens: it reads the logs itself\n")
            return output
        }
        if request.emitSQL == nil && request.engine == nil && (request.table != nil || request.datePartition != nil) {
            output.fail("error: --table and --date-partition are for --emit-sql and --engine\n")
            return output
        }
        guard !request.paths.isEmpty || request.aggregates != nil || request.table != nil else {
            output.fail("error: give the log files or directories to read (or - for standard input)\n")
            return output
        }
        if request.aggregates != nil, !request.paths.isEmpty {
            output.fail("error: --aggregates reads the engine's result, not logs: give one or the other\n")
            return output
        }
        guard let catalog = usageCatalog(script: request.script, allowOutside: request.allowOutside, into: &output, color: color) else { return output }
        options.calibrate = request.asWorkloads
        if let dialect = request.emitSQL { return emitSQL(request, dialectName: dialect, options: options, catalog: catalog) }
        let report: UsageReport
        if let path = request.aggregates {
            guard let read = aggregatesReport(path: path, options: options, catalog: catalog, into: &output) else { return output }
            report = read
        } else if let engine = request.engine {
            guard let read = engineReport(request, engineName: engine, options: options, catalog: catalog, into: &output) else { return output }
            report = read
        } else {
            report = UsageRun.run(request.paths, catalog: catalog, options: options)
        }
        switch request.format {
        case _ where request.asWorkloads: workloads(report, request: request, catalog: catalog, options: options, into: &output)
        case .text: output.stdout = UsageRenderer.text(report, renderer: TextRenderer(color: color))
        case .json: output.stdout = UsageRenderer.json(report)
        case .csv: output.stdout = UsageRenderer.csv(report)
        case .markdown: output.stdout = UsageRenderer.markdown(report)
        case .html: output.stdout = HTMLReport.usage(report)
        }
        for error in report.errors { output.stderr += "error: cannot read \(error)\n" }
        if !report.errors.isEmpty {
            output.status = 2
        } else if request.strict && (report.counts.unpriced > 0 || report.counts.malformed > 0) {
            output.stderr += "usage: \(report.counts.unpriced) unpriced and \(report.counts.malformed) malformed records (--strict)\n"
            output.status = 1
        }
        return output
    }

    /// `2026-11-01` (a day: its start, or with `endOfDay` the next day's) or a full UTC instant.
    static func time(_ text: String, endOfDay: Bool) -> Instant? {
        if let day = Instant(day: Array(text.utf8)) {
            return endOfDay ? Instant(seconds: day.seconds + 86_400) : day
        }
        return Instant(iso8601: Array(text.utf8))
    }

    /// The built-in catalog, with what `--script` declares (profiles, price overrides).
    static func usageCatalog(script: String?, allowOutside: Bool, into output: inout CommandOutput, color: Bool) -> Catalog? {
        guard var session = standardSession(into: &output, color: color) else { return nil }
        guard let script else { return session.environment.catalog }
        guard let file = readFile(script, allowOutside: allowOutside, into: &output, color: color) else { return nil }
        let outcome = session.run(file)
        if outcome.hasErrors {
            output.fail(DiagnosticRenderer(color: color).render(outcome.diagnostics))
            return nil
        }
        return session.environment.catalog
    }
}
