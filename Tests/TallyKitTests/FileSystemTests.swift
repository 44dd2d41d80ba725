import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Reading scripts, writing files, and running git: the POSIX layer Tally
/// uses instead of full Foundation.
@Suite struct FileSystemTests {
    func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "tally-fs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func readFileRefusesWhatIsNotAScript() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/plan.tally"
        try "let a = 1\n".write(toFile: script, atomically: false, encoding: .utf8)
        #expect(try Commands.readFile(script).get().text == "let a = 1\n")

        guard case .failure(let missing) = Commands.readFile(directory + "/none.tally") else { Issue.record("read a missing file"); return }
        #expect(missing.message.hasSuffix("no such file"))
        guard case .failure(let folder) = Commands.readFile(directory) else { Issue.record("read a directory"); return }
        #expect(folder.message.hasSuffix("it is a directory"))

        // A sparse file just over the limit: refused by its size, never read.
        let huge = directory + "/huge.tally"
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: UInt64(Commands.maximumScriptBytes + 1))
        try handle.close()
        guard case .failure(let tooLarge) = Commands.readFile(huge) else { Issue.record("read a file over the limit"); return }
        #expect(tooLarge.message.hasSuffix("huge.tally: it is larger than the 64 MiB a script may be"))

        // An import of it is refused the same way, at the import.
        let importer = directory + "/main.tally"
        try "import \"huge.tally\"\n".write(toFile: importer, atomically: false, encoding: .utf8)
        var session = try Session.standard().get()
        let outcome = session.run(try Commands.readFile(importer).get())
        #expect(outcome.diagnostics.first?.message == "cannot import \"huge.tally\": it is larger than the 64 MiB a script may be")
    }

    @Test func writeAtomicallyReplacesWholeFilesOnly() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/saved.tally"
        try FileSystem.writeAtomically("first\n", to: path)
        try FileSystem.writeAtomically("second, longer\n", to: path)
        #expect(Repository.read(path) == "second, longer\n")
        // Nothing but the file itself is left in the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["saved.tally"])

        do {
            try FileSystem.writeAtomically("x", to: directory + "/no/such/dir/out.tally")
            Issue.record("wrote into a missing directory")
        } catch {
            #expect(error.description == "No such file or directory")
        }
    }

    @Test func childProcessCollectsBothStreamsWithoutBlocking() throws {
        // More than a pipe holds on each stream, so reading one at a time would hang.
        let script = "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; exit 3"
        let output = try ChildProcess.run(["sh", "-c", script])
        #expect(output.status == 3)
        #expect(output.stdout.count == 300_000)
        #expect(output.stderr.count == 200_000)

        let signalled = try ChildProcess.run(["sh", "-c", "kill -TERM $$"])
        #expect(signalled.status == 128 + 15)

        do {
            _ = try ChildProcess.run(["tally-no-such-program"])
            Issue.record("ran a missing program")
        } catch {
            #expect(error.description == "No such file or directory")
        }
    }

    @Test func builtinCatalogIsTheShippedFile() throws {
        let shipped = Repository.read(Repository.root + "/Sources/TallyKit/Catalog/bedrock.tally")
        #expect(!shipped.isEmpty)
        #expect(BuiltinCatalog.text == shipped)
    }

    /// Full Foundation brings thousands of protocol conformances that every
    /// dynamic cast at start-up scans; Tally links FoundationEssentials only.
    @Test func tallyImportsFoundationEssentialsNotFoundation() throws {
        var offenders: [String] = []
        for directory in ["/Sources/TallyQuantities", "/Sources/TallySyntax", "/Sources/TallyPricing", "/Sources/TallyLanguage",
                          "/Sources/TallyRender", "/Sources/TallyKit", "/Sources/tally"] {
            for path in Repository.files(under: Repository.root + directory, extension: "swift") {
                let lines = Repository.read(path).split(separator: "\n", omittingEmptySubsequences: false)
                for (index, line) in lines.enumerated() {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                          words[i + 1] == "Foundation" || words[i + 1].hasPrefix("Foundation.") else { continue }
                    // Allowed only as the fallback where FoundationEssentials does not exist.
                    if line == "import Foundation", index > 0, lines[index - 1] == "#else" { continue }
                    offenders.append("\(path):\(index + 1)")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
