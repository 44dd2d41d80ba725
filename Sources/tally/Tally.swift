import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import TallyKit
import TallyLanguage
import TallyPricing
import TallyQuantities
import TallyRender
import TallySyntax

struct Options: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    @Flag(help: "Draw charts with plain ASCII characters.")
    var ascii = false

    /// Bars beside breakdown lines on a terminal; forecasts always draw theirs.
    func charts(for stream: Int32) -> ChartStyle { Terminal.charts(ascii: ascii, stream: stream) }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    func color(for stream: Int32) -> Bool { Terminal.color(noColor: noColor, stream: stream) }
}

/// What the options ask of the terminal, for ArgumentParser's commands and the fast path alike.
enum Terminal {
    static func color(noColor: Bool, stream: Int32) -> Bool {
        guard !noColor, isatty(stream) == 1 else { return false }
        guard let value = getenv("NO_COLOR") else { return true }
        return value.pointee == 0
    }

    static func charts(ascii: Bool, stream: Int32) -> ChartStyle {
        if ascii { return .ascii }
        return isatty(stream) == 1 ? .unicode : .none
    }
}

/// Runs a command line read by either path; never returns.
func execute(_ invocation: FastArguments.Invocation) -> Never {
    switch invocation {
    case .run(let files, let format, let quiet, let common):
        finish(Commands.run(paths: files, format: format, color: format == .text && Terminal.color(noColor: common.noColor, stream: STDOUT_FILENO),
                            charts: Terminal.charts(ascii: common.ascii, stream: STDOUT_FILENO), allowOutside: common.allowOutside,
                            quiet: quiet, exact: common.exact))
    case .check(let files, let format, let verbose, let common):
        finish(Commands.check(paths: files, format: format, verbose: verbose,
                              color: format == .text && Terminal.color(noColor: common.noColor, stream: STDOUT_FILENO),
                              allowOutside: common.allowOutside))
    case .eval(let files, let sets, let expression, let format, let common):
        finish(Commands.eval(files: files, expression: expression, sets: sets, format: format,
                             color: format == .text && Terminal.color(noColor: common.noColor, stream: STDOUT_FILENO),
                             allowOutside: common.allowOutside, exact: common.exact))
    case .models(let filter, let at, let format, let noColor, _):
        finish(Commands.models(filter: filter, at: at, format: format,
                               color: format == .text && Terminal.color(noColor: noColor, stream: STDOUT_FILENO)))
    }
}

/// For the commands that read scripts named on the command line.
struct ReadOptions: ParsableArguments {
    @Flag(name: .customLong("allow-outside"), help: "Read a named file even where a symbolic link leads it out of the working directory's tree.")
    var allowOutside = false
}

extension OutputFormat: ExpressibleByArgument {}
extension RunFormat: ExpressibleByArgument {}
extension CheckFormat: ExpressibleByArgument {}
extension DiffFormat: ExpressibleByArgument {}

@main
struct Tally: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "Estimate and guard what generative-AI workloads cost on Amazon Bedrock.",
        discussion: """
            `tally FILE…` runs the files, as `tally run FILE…`. With no arguments, starts an \
            interactive prompt on a terminal, or runs the script read from standard input.

            Exit status: 0 ok, 1 an assertion failed, 2 the input or the command was wrong.
            """,
        subcommands: [Run.self, Check.self, Eval.self, Diff.self, Usage.self, Reconcile.self, Models.self, CatalogCommand.self, LanguageServerCommand.self, Fmt.self]
    )

    @OptionGroup var options: Options

    func run() throws {
        if isatty(STDIN_FILENO) == 1 {
            Prompt(color: options.color(for: STDOUT_FILENO), charts: options.charts(for: STDOUT_FILENO)).run()
        }
        finish(Commands.run(paths: ["-"], color: options.color(for: STDOUT_FILENO)))
    }

    /// The subcommands' names, spelled out: asking ArgumentParser for them
    /// reflects over every command type, which costs more than the rest of a
    /// cold start.
    static let commandNames: Set<String> = ["run", "check", "eval", "diff", "usage", "reconcile", "models", "catalog", "lsp", "fmt", "help"]

    /// Parses arguments, runs, and exits 2 on any usage error (help exits 0).
    static func mainWithStatus() -> Never {
        // Whatever the parent ignored: a closed pipe ends Tally quietly.
        signal(SIGPIPE, SIG_DFL)
        var arguments = Array(CommandLine.arguments.dropFirst())
        // `tally FILE…` is `tally run FILE…`.
        if let first = arguments.first, !first.hasPrefix("-"),
           !Tally.commandNames.contains(first) {
            arguments.insert("run", at: 0)
        }
        // The common command lines without ArgumentParser (TALLY_NO_FAST_ARGUMENTS=1: always with it).
        if getenv("TALLY_NO_FAST_ARGUMENTS") == nil, let invocation = FastArguments.parse(arguments) {
            execute(invocation)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            quit(0)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { writeOrExit(message + "\n") }
                quit(0)
            }
            if !message.isEmpty { FileSystem.write(("tally: " + message + "\n"), to: 2) }
            quit(2)
        }
    }

    static func main() {
        mainWithStatus()
    }
}

/// Ends the process (inside a command, `exit` names ArgumentParser's method).
func quit(_ status: Int32) -> Never {
    exit(status)
}

/// Prints a command's output and exits with its status, or 2 when it could
/// not be written.
func finish(_ output: CommandOutput) -> Never {
    let (stdout, stderr) = output.forWriting
    writeOrExit(stdout)
    exit(FileSystem.write(stderr, to: 2) ? output.status : 2)
}

/// Writes to standard output; a failure (a full disk, a closed file) is
/// reported and ends the process with status 2. A closed pipe ends it by
/// SIGPIPE first, quietly, as it does `cat`.
func writeOrExit(_ text: String) {
    do throws(FileSystem.Failure) {
        try FileSystem.writeAll(text, to: STDOUT_FILENO)
    } catch {
        FileSystem.write("tally: error: cannot write standard output: \(error)\n", to: 2)
        exit(2)
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scripts and print what they `show`.",
        discussion: "Each file runs in a session of its own. A script that declares costs and shows nothing prints its total "
            + "(text format; --quiet prints nothing). Exit 1 when an `assert` fails, 2 on an error in the input.")

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

    @Option(help: "Output format: text, json, csv, markdown or html.")
    var format: RunFormat = .text

    @Flag(help: "Print nothing for a script that shows nothing (not its total).")
    var quiet = false

    @Flag(help: "In text, counts (requests, tokens) to their decimals, not in whole units.")
    var exact = false

    @Argument(help: "Script files to run.")
    var files: [String]

    func run() throws {
        execute(.run(files: files, format: format, quiet: quiet,
                     common: FastArguments.Common(noColor: options.noColor, ascii: options.ascii, allowOutside: reading.allowOutside, exact: exact)))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate every `assert` in the scripts.",
        discussion: "Exit 0 when all hold, 1 when one fails, 2 on any error in the input or the command.")

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

    @Option(help: "Output format: text, json, junit, github, markdown or html.")
    var format: CheckFormat = .text

    @Flag(help: "With --format github, also annotate assertions that hold (::notice).")
    var verbose = false

    @Argument(help: "Script files to check.")
    var files: [String]

    func run() throws {
        execute(.check(files: files, format: format, verbose: verbose,
                       common: FastArguments.Common(noColor: options.noColor, ascii: options.ascii, allowOutside: reading.allowOutside)))
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print the value of an expression after loading scripts.",
        discussion: "A true/false result sets the exit status like `test`: 0 true, 1 false. 2 on any error.")

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

    @Option(name: .customShort("f"), help: ArgumentHelp("A script to load first (repeatable).", valueName: "file"))
    var file: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Replace `let NAME` in the files with EXPR (repeatable), as in --set peak=5000/day.", valueName: "name=expr"))
    var sets: [String] = []

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "In text, counts (requests, tokens) to their decimals, not in whole units.")
    var exact = false

    @Argument(help: "The expression, such as 'chat in $/month'.")
    var expression: String

    func run() throws {
        execute(.eval(files: file, sets: sets, expression: expression, format: format,
                      common: FastArguments.Common(noColor: options.noColor, ascii: options.ascii, allowOutside: reading.allowOutside, exact: exact)))
    }
}

struct LanguageServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "A Language Server Protocol server on standard input and output, for editors.",
        discussion: "Diagnostics, completion, hover, each workload's monthly cost and each assertion's margin inline, "
            + "go to definition and document symbols, as `tally run` sees the script. Exit 0 after shutdown and exit.")

    func run() throws {
        Glibc.exit(LanguageServerLoop.run())
    }
}

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models and services Tally can price, with their rates.",
        discussion: "FILTER keeps the entries whose name, alias, Bedrock id, provider or kind contains it.")

    @OptionGroup var options: Options

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "List the rates in force on this day (YYYY-MM-DD or YYYY-MM) instead of today's.")
    var at: String?

    @Argument(help: "Show only entries matching this text, such as 'claude' or 'nova'.")
    var filter: String?

    func run() throws {
        execute(.models(filter: filter, at: at, format: format, noColor: options.noColor, ascii: options.ascii))
    }
}

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Work with price catalogs.",
        subcommands: [CatalogImport.self])
}

struct CatalogImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn another price list into Tally `price` declarations.",
        discussion: """
            --litellm FILE reads LiteLLM's model_prices_and_context_window.json (the litellm \
            wheel ships it as litellm/model_prices_and_context_window_backup.json) and writes \
            one `price` block per Amazon Bedrock entry. --aws-price-list FILE… reads AWS Price \
            List bulk offer files (JSON) for AmazonBedrock and AmazonBedrockFoundationModels \
            and writes `region` and `price` blocks, each rate's SKU in its `source`; SKUs whose \
            usage type is not a Tally rate are listed on standard error and at the end of the \
            output. A script `import`s the result; entries that name a built-in model override \
            its rates.
            """)

    @Option(help: ArgumentHelp("LiteLLM's model_prices_and_context_window.json.", valueName: "file"))
    var litellm: String?

    @Option(name: .customLong("aws-price-list"), parsing: .upToNextOption,
            help: ArgumentHelp("AWS Price List offer files: AmazonBedrock and AmazonBedrockFoundationModels index.json.", valueName: "file"))
    var awsPriceList: [String] = []

    @Option(name: .customLong("as-of"), help: ArgumentHelp("With --litellm: the date the file's prices were read, recorded with each rate.", valueName: "date"))
    var asOf: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write here (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Show no progress line on standard error (shown on a terminal when the import is long).")
    var quiet = false

    func validate() throws {
        if (litellm == nil) == awsPriceList.isEmpty {
            throw ValidationError("give one of --litellm FILE or --aws-price-list FILE…")
        }
        if asOf != nil && litellm == nil {
            throw ValidationError("--as-of goes with --litellm; an AWS offer file gives its own publication date")
        }
    }

    func run() throws {
        let progress = TerminalProgress.standardError(quiet: quiet)
        if let litellm {
            finish(Commands.importLiteLLM(path: litellm, asOf: asOf, outputPath: output, progress: progress))
        }
        finish(Commands.importAWSPriceList(paths: awsPriceList, outputPath: output, progress: progress))
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the monthly cost of two versions of a plan.",
        discussion: """
            tally diff OLD NEW compares two scripts; tally diff --git REV FILE… compares each FILE \
            as committed at REV (read through git, no checkout) with the working tree. Exit 1 when \
            --fail-above is given and the increase is larger, 2 on an error.
            """)

    @OptionGroup var options: Options
    @OptionGroup var reading: ReadOptions

    @Option(name: .customLong("git"), help: ArgumentHelp("Compare FILE… at this git revision with the working tree.", valueName: "rev"))
    var revision: String?

    @Option(help: "Output format: text, json, markdown or html.")
    var format: DiffFormat = .text

    @Option(name: .customLong("fail-above"), help: ArgumentHelp("Exit 1 when the monthly increase is above this: 10% or $500/month.", valueName: "limit"))
    var failAbove: String?

    @Argument(help: "OLD NEW, or with --git the files to compare.")
    var files: [String]

    func validate() throws {
        if revision == nil && files.count != 2 {
            throw ValidationError("give two files, OLD NEW, or --git REV FILE…")
        }
        if revision != nil && files.isEmpty {
            throw ValidationError("give the files to compare with --git REV")
        }
    }

    func run() throws {
        let color = format == .text && options.color(for: STDOUT_FILENO)
        if let revision {
            finish(Commands.diffGit(revision: revision, files: files, format: format, failAbove: failAbove, color: color,
                                    allowOutside: reading.allowOutside))
        }
        finish(Commands.diff(old: files[0], new: files[1], format: format, failAbove: failAbove, color: color,
                             allowOutside: reading.allowOutside))
    }
}
