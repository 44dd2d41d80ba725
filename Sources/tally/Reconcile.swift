import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import TallyKit

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare what the logs say Bedrock served with what the bill charged.",
        discussion: """
            tally reconcile --cur FILE… --logs PATH… prices the invocation logs with the catalog \
            (as `tally usage` does) and sets them beside the Cost and Usage Report's unblended \
            cost, per model, token class, region and day; lines that differ by more than \
            --tolerance are marked `!`. Exit 1 with --strict when one does, 2 on an error.
            """)

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

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

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Exit 1 when a line differs by more than the tolerance.")
    var strict = false

    func run() throws {
        finish(Commands.reconcileCUR(cur: cur, logs: logs, tolerance: tolerance, cacheTTL: cacheTTL, format: format, strict: strict,
                                     script: script, allowOutside: reading.allowOutside,
                                     color: format == .text && options.color(for: STDOUT_FILENO)))
    }
}
