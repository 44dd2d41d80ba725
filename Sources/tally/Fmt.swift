import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import TallyKit

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Lay out scripts in Tally's one canonical layout.",
        discussion: """
            Rewrites each file that changes, printing nothing; a directory is searched for *.tally \
            files (not hidden ones, nor through symbolic links), and `-` formats standard input to \
            standard output. Line breaks, comments and the text of every token are kept. With \
            --check nothing is written: each file that would change is named, and the exit status \
            is 1. Exit 2 when a file cannot be read or written.
            """)

    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    @OptionGroup var reading: ReadOptions

    @Flag(help: "Change nothing; exit 1 when a file would be reformatted (for CI).")
    var check = false

    @Argument(help: "Script files or directories to format, or - for standard input.")
    var paths: [String]

    func run() throws {
        finish(Commands.format(paths: paths, check: check, color: Terminal.color(noColor: noColor, stream: STDERR_FILENO),
                               allowOutside: reading.allowOutside))
    }
}
