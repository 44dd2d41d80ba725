import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// The permission bits of a file.
func mode(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
}

/// `FileSystem.writeAtomically`: `catalog import -o`, `:save`, the history's trim.
@Suite struct AtomicWriteTests {
    @Test func replacesARegularFileKeepingItsMode() throws {
        let directory = try scratchDirectory("write")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/plan.tally"
        try FileSystem.writeAtomically("new\n", to: path)
        #expect(mode(path) == 0o644 & ~Self.umask)
        chmod(path, 0o600)
        try FileSystem.writeAtomically("second\n", to: path)
        #expect(Repository.read(path) == "second\n")
        #expect(mode(path) == 0o600)
        chmod(path, 0o640)
        try FileSystem.writeAtomically("third\n", to: path, mode: 0o600)
        #expect(mode(path) == 0o640)
        // Nothing else is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["plan.tally"])
    }

    @Test func refusesToReplaceWhatIsNotARegularFile() throws {
        let directory = try scratchDirectory("write")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writeFile("victim\n", to: directory + "/victim")
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.tally", withDestinationPath: directory + "/victim")
        #expect(mkfifo(directory + "/fifo.tally", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: directory + "/dir.tally", withIntermediateDirectories: false)
        let cases = [
            ("link.tally", "it is a symbolic link, and Tally replaces only regular files"),
            ("fifo.tally", "it is not a regular file, and Tally replaces only regular files"),
            ("dir.tally", "it is a directory"),
        ]
        for (name, reason) in cases {
            do {
                try FileSystem.writeAtomically("x\n", to: directory + "/" + name)
                Issue.record("replaced \(name)")
            } catch {
                #expect(error.description == reason)
            }
        }
        #expect(Repository.read(directory + "/victim") == "victim\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/link.tally") == directory + "/victim")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["dir.tally", "fifo.tally", "link.tally", "victim"])
    }

    /// The name earlier versions used for the temporary (`.NAME.tally-PID.tmp`):
    /// a link planted there is not followed.
    @Test func aLinkPlantedAtAGuessableTemporaryNameIsNotFollowed() throws {
        let directory = try scratchDirectory("write")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writeFile("victim\n", to: directory + "/victim")
        for name in [".plan.tally.tally-\(getpid()).tmp", ".plan.tally.tmp", "plan.tally.tmp"] {
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: directory + "/victim")
        }
        try FileSystem.writeAtomically("plan\n", to: directory + "/plan.tally")
        #expect(Repository.read(directory + "/plan.tally") == "plan\n")
        #expect(Repository.read(directory + "/victim") == "victim\n")
    }

    @Test func theHistoryTrimStaysPrivate() throws {
        let directory = try scratchDirectory("history")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let history = HistoryFile(path: directory + "/history", limit: 2)
        for entry in ["a", "b", "c", "d"] { try history.append(entry) }
        #expect(mode(history.path) == 0o600)
        #expect(history.load() == ["c", "d"])
        #expect(Repository.read(history.path) == "c\nd\n")
        #expect(mode(history.path) == 0o600)
    }

    /// The process's umask, read without changing it.
    static let umask: Int = {
        let status = Repository.read("/proc/self/status")
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        return line.flatMap { Int($0.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
    }()
}
