import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// `tally diff`: matching by name, and `--git` with every kind of path.
@Suite(.serialized) struct DiffFileTests {
    static func plan(_ names: [String], requests: [String: String] = [:]) -> String {
        names.map { "workload \($0) < model nova-micro; requests \(requests[$0] ?? "1000/day") >\n" }.joined()
    }

    @Test func workloadsMatchByNameWhateverTheirOrder() throws {
        let names = (0..<3_000).map { "w\($0)" }
        var newNames = Array(names.reversed().dropLast())   // reordered, w0 removed
        newNames.removeAll { $0 == "w1" }
        newNames += ["w1b", "fresh"]                        // w1 renamed, one added
        let session = try Session.standard().get()
        let before = try Commands.breakdowns(of: SourceFile(name: "old", text: Self.plan(names)), session: session).get()
        let after = try Commands.breakdowns(of: SourceFile(name: "new", text: Self.plan(newNames, requests: ["w2": "2000/day"])), session: session).get()
        let diff = try CostDiff(file: "plan", beforeLabel: "old", afterLabel: "new", before: before, after: after)
        let status = Dictionary(diff.entries.map { ($0.name, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(diff.entries.count == 3_002)
        #expect(status["w2"] == .changed)
        #expect(status["w2999"] == .unchanged)
        #expect(status["w1b"] == .added && status["fresh"] == .added)
        #expect(status["w0"] == .removed && status["w1"] == .removed)
        #expect(diff.entries.filter { $0.status == .unchanged }.count == 2_997)
        // The new plan's order, then what was removed in the old plan's order.
        #expect(diff.entries.prefix(2).map(\.name) == ["w2999", "w2998"])
        #expect(diff.entries.suffix(4).map(\.name) == ["w1b", "fresh", "w0", "w1"])
        #expect(diff.entries.first { $0.name == "w2" }?.changes.map(\.field) == ["requests"])
    }

    /// A repository with plan.tally (and sub/sub.tally) committed.
    func repository() throws -> String {
        let directory = try scratchDirectory("git")
        try writeFile(CLITests.chat, to: directory + "/plan.tally")
        try writeFile(CLITests.chat, to: directory + "/sub/sub.tally")
        try writeFile(CLITests.chat, to: directory + "/gone.tally")
        for arguments in [["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "plans"]] {
            let git = try ChildProcess.run(["git", "-C", directory] + arguments)
            #expect(git.status == 0, "\(String(decoding: git.stderr, as: UTF8.self))")
        }
        try FileManager.default.removeItem(atPath: directory + "/gone.tally")
        try writeFile(CLITests.chat, to: directory + "/fresh.tally")
        return directory
    }

    @Test func gitDiffReadsAbsoluteAndRelativePathsAlike() throws {
        let repo = try repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let cases: [(directory: String, path: String)] = [
            (repo, "plan.tally"), (repo, repo + "/plan.tally"), (repo, "./sub/../plan.tally"),
            (repo + "/sub", "../plan.tally"), (repo + "/sub", repo + "/plan.tally"), (repo + "/sub", "sub.tally"),
            (repo + "/sub", repo + "/sub/sub.tally"),
        ]
        for (directory, path) in cases {
            let r = try TallyBinary.run(["diff", "--git", "HEAD", "--fail-above", "0%", "--format", "json", path], directory: directory)
            #expect(r.status == 0, "\(path) from \(directory): \(r.stderr)")
            #expect(r.stdout.contains("\"status\": \"unchanged\""), "\(path) from \(directory)")
            #expect(!r.stdout.contains("\"added\""), "\(path) from \(directory)")
        }
    }

    @Test func gitDiffOfMissingNewAndDeletedFiles() throws {
        let repo = try repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let missing = try TallyBinary.run(["diff", "--git", "HEAD", "missing.tally"], directory: repo)
        #expect(missing.status == 2)
        #expect(missing.stdout == "")
        #expect(missing.stderr == "tally: error: cannot read missing.tally: no such file in the working tree or at HEAD\n")

        let fresh = try TallyBinary.run(["diff", "--git", "HEAD", "--format", "json", "fresh.tally"], directory: repo)
        #expect(fresh.status == 0)
        #expect(fresh.stdout.contains("\"status\": \"added\""))
        // Deleted since HEAD: every workload removed.
        let gone = try TallyBinary.run(["diff", "--git", "HEAD", "--format", "json", "gone.tally"], directory: repo)
        #expect(gone.status == 0)
        #expect(gone.stdout.contains("\"status\": \"removed\""))
        // A dangling link is read, and refused, rather than taken for a deleted file.
        try FileManager.default.createSymbolicLink(atPath: repo + "/dangling.tally", withDestinationPath: "/nonexistent/x.tally")
        let dangling = try TallyBinary.run(["diff", "--git", "HEAD", "dangling.tally"], directory: repo)
        #expect(dangling.status == 2)
        #expect(dangling.stderr == "tally: error: cannot read dangling.tally: no such file\n")
    }

    @Test func gitOutputPastTheLimitIsRefused() throws {
        let repo = try repository()
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let output = try ChildProcess.run(["sh", "-c", "head -c 300000 /dev/zero; exec sleep 30"], limit: 100_000)
        #expect(output.exceeded)
        #expect(output.stdout.count > 100_000 && output.stdout.count <= 100_000 + (1 << 16))
        #expect(output.status == 128 + SIGKILL)

        // One byte over the limit, committed: refused at the revision, git ended.
        let big = repo + "/big.tally"
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: UInt64(Commands.maximumScriptBytes + 1))
        try handle.close()
        for arguments in [["add", "big.tally"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "big"]] {
            #expect(try ChildProcess.run(["git", "-C", repo] + arguments).status == 0)
        }
        let r = try TallyBinary.run(["diff", "--git", "HEAD", "big.tally"], directory: repo)
        #expect(r.status == 2)
        #expect(r.stderr == "tally: error: cannot read HEAD:./big.tally: it is larger than the 64 MiB a script may be\n")
    }
}
