import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import TallyKit

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare a plan with what the logs say happened, or the logs with the bill.",
        discussion: """
            tally reconcile PLAN.tally LOGS… matches each workload of the plan to the records \
            that carry its tags and its model, and shows its planned and actual cost per month, \
            the ratio, and a walk from one to the other that changes one assumption at a time \
            (requests, input, output, cache reads and writes, retries, then model mix and \
            rates); records no workload claims are `unplanned`. Exit 1 with --fail-above when a \
            workload or the total is off by more, 2 on an error.

            tally reconcile --cur FILE… --logs PATH… prices the invocation logs with the catalog \
            (as `tally usage` does) and sets them beside the Cost and Usage Report's unblended \
            cost, per model, token class, region and day; lines that differ by more than \
            --tolerance are marked `!`. Exit 1 with --strict when one does, 2 on an error.
            """)

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

    @Argument(help: ArgumentHelp("The plan (a .tally script), then its logs (files or directories).", valueName: "plan logs"))
    var files: [String] = []

    @OptionGroup var period: PeriodOptions

    @Option(name: .customLong("fail-above"), help: ArgumentHelp("Exit 1 when a workload or the total is off its plan by more (20%).", valueName: "percent"))
    var failAbove: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Cost and Usage Report exports (.csv or .csv.gz).", valueName: "file"))
    var cur: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Invocation log files or directories.", valueName: "path"))
    var logs: [String] = []

    @Option(help: ArgumentHelp("Mark lines that differ by more than this (1%).", valueName: "percent"))
    var tolerance: String?

    @Option(name: .customLong("cache-ttl"), help: ArgumentHelp("Price the logs' cache writes at the 5m or 1h rate.", valueName: "ttl"))
    var cacheTTL = "5m"

    @Option(help: ArgumentHelp("A script whose `profile` and `price` declarations apply.", valueName: "file"))
    var script: String?

    @Option(help: "Output format: text, json, markdown or html (markdown and html: a plan only).")
    var format: RunFormat = .text

    @Flag(help: "Exit 1 when a line differs by more than the tolerance.")
    var strict = false

    func run() throws {
        let color = format == .text && options.color(for: STDOUT_FILENO)
        if cur.isEmpty {
            var request = ReconcileRequest()
            request.plan = files.first ?? ""
            request.logs = Array(files.dropFirst())
            (request.from, request.to, request.format, request.failAbove) = (period.from, period.to, format, failAbove)
            request.cacheTTL = cacheTTL
            request.allowOutside = reading.allowOutside
            finish(Commands.reconcilePlan(request, color: color))
        }
        let curFormat: OutputFormat
        switch format {
        case .text: curFormat = .text
        case .json: curFormat = .json
        default:
            var output = CommandOutput()
            output.stderr = "tally: error: reconcile --cur writes text or json\n"
            output.status = 2
            finish(output)
        }
        finish(Commands.reconcileCUR(cur: cur, logs: logs + files, tolerance: tolerance, cacheTTL: cacheTTL, format: curFormat, strict: strict,
                                     script: script, allowOutside: reading.allowOutside, color: color))
    }
}

/// The records a command reads: `--from` and `--to`.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only records at or after this day (2026-11-01) or UTC time.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only records before this UTC time, or through this day.", valueName: "time"))
    var to: String?
}
