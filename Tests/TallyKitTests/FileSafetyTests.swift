import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// A directory of its own under the system's temporary directory, by its
/// real path (so expectations need not care whether /tmp is a link).
func scratchDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "tally-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return FileSystem.realPath(path) ?? path
}

func writeFile(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: Path.directory(of: path), withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
}

/// Runs `body` on a thread of its own; false when it has not finished
/// within `seconds` (a guard against hangs, not a measurement).
func finishes(within seconds: Double, _ body: @escaping @Sendable () -> Void) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread { body(); done.signal() }.start()
    return done.wait(timeout: .now() + seconds) == .success
}

/// Files named on the command line, imports, and what they may lead to.
@Suite(.serialized) struct FileSafetyTests {
    static let marker = "SECRET-MARKER-7d1f"

    /// tree/ is the working directory; secret.tally lies beside it, outside.
    struct Layout {
        let base: String
        var tree: String { base + "/tree" }

        init() throws {
            base = try scratchDirectory("links")
            try writeFile("let leaked = 1\nshow \"\(FileSafetyTests.marker)\"\n", to: base + "/secret.tally")
            try writeFile("show 1 + 1\n", to: base + "/tree/Examples/plan.tally")
            try writeFile("show 2 + 2\n", to: base + "/tree/other/plan2.tally")
            try writeFile("show 3 + 3\n", to: base + "/elsewhere/own.tally")
            let links = [
                "tree/Examples/leak.tally": base + "/secret.tally",          // absolute, out of the tree
                "tree/Examples/up.tally": "../../secret.tally",               // relative, out of the tree
                "tree/Examples/environ.tally": "/proc/self/environ",
                "tree/Examples/inside.tally": "../other/plan2.tally",         // stays in the tree
                "elsewhere/link.tally": "../secret.tally",                    // out of its own directory
            ]
            for (link, target) in links {
                try FileManager.default.createSymbolicLink(atPath: base + "/" + link, withDestinationPath: target)
            }
        }
    }

    @Test func symbolicLinksOutOfTheTreeAreRefusedByEveryCommand() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(atPath: layout.base) }
        let environment = ["TALLY_TEST_SECRET": Self.marker]
        for script in ["Examples/leak.tally", "Examples/up.tally", "Examples/environ.tally", "../elsewhere/link.tally"] {
            var commands: [[String]] = [["run", script], ["eval", "-f", script, "1"], ["diff", "Examples/plan.tally", script],
                                        ["diff", script, "Examples/plan.tally"], ["run", "--format", "json", script]]
            for format in CheckFormat.allCases { commands.append(["check", "--format", format.rawValue, script]) }
            for arguments in commands {
                let r = try TallyBinary.run(arguments, environment: environment, directory: layout.tree)
                #expect(r.status == 2, "\(arguments)")
                #expect(!(r.stdout + r.stderr).contains(Self.marker), "\(arguments) leaked")
                #expect((r.stdout + r.stderr).contains("is outside"), "\(arguments): \(r.stderr)")
            }
        }
        // The flag lifts the rule, for what was named only.
        let allowed = try TallyBinary.run(["run", "--allow-outside", "Examples/leak.tally"], directory: layout.tree)
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains(Self.marker))
    }

    @Test func linksThatStayInsideAndPathsNamedOutsideAreRead() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(atPath: layout.base) }
        // A link to elsewhere in the working directory's tree.
        let inside = try TallyBinary.run(["run", "Examples/inside.tally"], directory: layout.tree)
        #expect(inside.stdout == "2 + 2 = 4\n")
        #expect(inside.status == 0)
        // A path that names a place outside the tree: its own directory is its root.
        for path in ["../secret.tally", layout.base + "/elsewhere/own.tally"] {
            let r = try TallyBinary.run(["run", path], directory: layout.tree)
            #expect(r.status == 0, "\(path): \(r.stderr)")
        }
    }

    @Test func loadAtThePromptObeysTheSameRule() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(atPath: layout.base) }
        var repl = Repl(session: try Session.standard().get())
        // Named outside the working directory: its own directory is its root, and the link leaves it.
        let refused = repl.feed(":load \(layout.base)/elsewhere/link.tally")
        #expect(refused.stderr.contains("cannot read \(layout.base)/elsewhere/link.tally: it is outside \(layout.base)/elsewhere"))
        #expect(!(refused.stdout + refused.stderr).contains(Self.marker))
        #expect(repl.session.environment["leaked"] == nil)
        #expect(repl.feed(":load \(layout.base)/elsewhere/own.tally").stdout == "3 + 3 = 6\n")
    }

    /// Named on the command line, a device is read to its end or past the
    /// size limit; imported, or given to a price-list import, a FIFO is
    /// refused without reading (it would wait for a writer).
    @Test func streamsAreReadOnlyWhenNamedOnTheCommandLine() throws {
        let directory = try scratchDirectory("kinds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/pipe.tally"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: directory + "/zero.tally", withDestinationPath: "/dev/zero")
        try writeFile("import \"pipe.tally\"\n", to: directory + "/imports-fifo.tally")

        // None waits for a writer or reads without end.
        let outcomes = Box<[String]>([])
        let finished = finishes(within: 20) {
            var messages: [String] = []
            for (path, allowOutside) in [("/dev/zero", false), (directory + "/zero.tally", true), (directory, false)] {
                switch Commands.readFile(path, allowOutside: allowOutside) {
                case .success: messages.append("read \(path)")
                case .failure(let d): messages.append(d.message)
                }
            }
            if var session = try? Session.standard().get(), case .success(let file) = Commands.readFile(directory + "/imports-fifo.tally") {
                messages += session.run(file).diagnostics.map(\.message)
            }
            messages.append(Commands.importLiteLLM(path: fifo, asOf: nil, outputPath: nil).stderr)
            messages.append(Commands.importAWSPriceList(paths: [fifo], outputPath: nil).stderr)
            outcomes.value = messages
        }
        #expect(finished)
        #expect(outcomes.value == [
            "cannot read /dev/zero: it is larger than the 64 MiB a script may be",
            "cannot read \(directory)/zero.tally: it is larger than the 64 MiB a script may be",
            "cannot read \(directory): it is a directory",
            "cannot import \"pipe.tally\": it is not a regular file",
            "tally: error: cannot read \(fifo): it is not a regular file\n",
            "tally: error: cannot read \(fifo): it is not a regular file\n",
        ])
    }

    @Test func importsFollowingLinksStayInTheScriptsDirectory() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(atPath: layout.base) }
        try writeFile("import \"leak.tally\"\nimport \"inside.tally\"\n", to: layout.tree + "/Examples/main.tally")
        var session = try Session.standard().get()
        let outcome = session.run(try Commands.readFile(layout.tree + "/Examples/main.tally").get())
        // inside.tally leaves Examples/, the directory of the script run.
        #expect(outcome.diagnostics.map(\.message) == [
            "cannot import \"leak.tally\": it is outside \(layout.tree)/Examples",
            "cannot import \"inside.tally\": it is outside \(layout.tree)/Examples",
        ])
        #expect(session.environment["leaked"] == nil)
    }

    /// A thread swaps a directory inside the root for a link to one outside
    /// and back, while imports go through it: what is read is the inside
    /// file or nothing, never the outside one.
    @Test func anImportRacingASwappedDirectoryNeverReadsOutside() throws {
        let base = try scratchDirectory("race")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/root"
        try writeFile("let inside = 1\n", to: root + "/d/x.tally")
        try writeFile("let leaked = 1\nshow \"\(Self.marker)\"\n", to: base + "/outside/x.tally")
        try writeFile("import \"d/x.tally\"\n", to: root + "/main.tally")
        let main = try Commands.readFile(root + "/main.tally").get()
        let standard = try Session.standard().get()

        // d and d.link (a link to outside/) trade places in one step where
        // the system can (renameat2's RENAME_EXCHANGE), else in four.
        symlink(base + "/outside", root + "/d.link")
        let exchange = dlsym(dlopen(nil, RTLD_NOW), "renameat2").map { unsafeBitCast($0, to: Renameat2.self) }
        let stop = Box(false)
        let swapper = Thread {
            while !stop.value {
                if let exchange, exchange(AT_FDCWD, root + "/d", AT_FDCWD, root + "/d.link", 2) == 0 { continue }
                rename(root + "/d", root + "/d.real")
                rename(root + "/d.link", root + "/d")
                rename(root + "/d", root + "/d.link")
                rename(root + "/d.real", root + "/d")
            }
        }
        swapper.start()
        var insideReads = 0
        var refusals = 0
        var leaks = 0
        for _ in 0..<1_000 {
            var session = standard
            let outcome = session.run(main)
            if session.environment["leaked"] != nil || outcome.diagnostics.contains(where: { $0.message.contains(Self.marker) }) {
                leaks += 1
            } else if session.environment["inside"] != nil {
                insideReads += 1
            } else {
                refusals += 1
                #expect(outcome.diagnostics.allSatisfy { $0.message.hasPrefix("cannot import \"d/x.tally\"") })
            }
        }
        stop.value = true
        while !swapper.isFinished { usleep(1_000) }
        #expect(leaks == 0)
        #expect(insideReads + refusals == 1_000)
    }

    @Test func eachFileImportsFromItsOwnDirectory() throws {
        let base = try scratchDirectory("roots")
        defer { try? FileManager.default.removeItem(atPath: base) }
        try writeFile("let a = 1\n", to: base + "/one/a.tally")
        try writeFile("import \"c.tally\"\nlet b = c + 1\n", to: base + "/two/b.tally")
        try writeFile("let c = 10\n", to: base + "/two/c.tally")
        let output = Commands.eval(files: [base + "/one/a.tally", base + "/two/b.tally"], expression: "a + b")
        #expect(output.stderr == "")
        #expect(output.stdout == "12\n")

        var repl = Repl(session: try Session.standard().get())
        #expect(repl.feed("let z = 5").stderr == "")
        let loaded = repl.feed(":load \(base)/two/b.tally")
        #expect(loaded.stderr == "")
        #expect(repl.feed("b + z").stdout == "= 16\n")
    }
}

typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

/// A value threads share in these tests.
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
