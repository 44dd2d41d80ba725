import Foundation
import Testing
@testable import TallyKit

/// Scripts named on the command line that are not regular files: standard
/// input by any of its names, a FIFO with a writer, a device past the size
/// limit. Each is what `cat` would read; imports still refuse them
/// (FileSafetyTests).
@Suite struct StreamInputTests {
    @Test func standardInputByItsNames() throws {
        for name in ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"] {
            let run = try TallyBinary.run(["run", name], stdin: "show 2 + 3\n")
            #expect(run.status == 0 && run.stdout == "2 + 3 = 5\n" && run.stderr.isEmpty, "\(name): \(run)")
            let check = try TallyBinary.run(["check", name], stdin: "assert 1 < 2\n")
            #expect(check.status == 0 && check.stdout.hasPrefix("PASS  <stdin>:1 "), "\(name): \(check)")
            let bad = try TallyBinary.run(["run", name], stdin: "show nope\n")
            #expect(bad.status == 2 && bad.stderr.hasPrefix("<stdin>:1:6: error: unknown name `nope`"), "\(name): \(bad)")
        }
    }

    @Test func aDescriptorThatIsNotOpenIsADiagnostic() throws {
        let run = try TallyBinary.run(["run", "/dev/fd/9"])
        #expect(run.status == 2 && run.stderr.hasPrefix("tally: error: cannot read /dev/fd/9: Bad file descriptor"), "\(run)")
        let junk = try TallyBinary.run(["run", "/dev/fd/9x"])
        #expect(junk.status == 2 && junk.stderr.contains("cannot read /dev/fd/9x"), "\(junk)")
    }

    @Test func aFIFOWaitsForItsWriter() throws {
        let directory = try scratchDirectory("fifo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/plan.tally"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The writer may open before or after tally does; either way the whole script is read.
        Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            usleep(200_000)
            _ = FileSystem.write("let a = 4\n", to: fd)
            usleep(100_000)
            _ = FileSystem.write("show a * 2\n", to: fd)
            close(fd)
        }.start()
        let run = try TallyBinary.run(["run", "plan.tally"], directory: directory)
        #expect(run.status == 0 && run.stdout == "a * 2 = 8\n", "\(run)")
    }

    @Test func aDeviceIsReadOnlyUpToTheSizeLimit() throws {
        let run = try TallyBinary.run(["run", "/dev/zero"])
        #expect(run.status == 2 && run.stderr == "tally: error: cannot read /dev/zero: it is larger than the 64 MiB a script may be\n", "\(run)")
        let empty = try TallyBinary.run(["run", "/dev/null"])
        #expect(empty.status == 0 && empty.stdout.isEmpty && empty.stderr.isEmpty, "\(empty)")
    }
}
