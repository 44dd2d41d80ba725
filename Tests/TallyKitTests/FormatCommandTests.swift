import Foundation
import Testing
@testable import TallyKit
@testable import TallySyntax

/// `tally fmt` on the built binary.
@Suite(.serialized) struct FormatCommandTests {
    @Test func checkThenRewrite() throws {
        let directory = try scratchDirectory("fmt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let messy = "workload w<model nova-micro;requests 1/day>\n"
        let tidy = "workload w < model nova-micro; requests 1/day >\n"
        try writeFile(messy, to: directory + "/plans/a.tally")
        try writeFile(tidy, to: directory + "/plans/sub/b.tally")
        try writeFile(messy, to: directory + "/plans/notes.txt")
        try writeFile(messy, to: directory + "/plans/.hidden/c.tally")
        try writeFile(messy, to: directory + "/elsewhere.tally")
        try FileManager.default.createSymbolicLink(atPath: directory + "/plans/link.tally", withDestinationPath: directory + "/elsewhere.tally")

        var r = try TallyBinary.run(["fmt", "--check", "plans"], directory: directory)
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr == "tally: plans/a.tally would be reformatted\n")
        #expect(Repository.read(directory + "/plans/a.tally") == messy)

        r = try TallyBinary.run(["fmt", "plans"], directory: directory)
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stderr)")
        #expect(Repository.read(directory + "/plans/a.tally") == tidy)
        for untouched in ["/plans/notes.txt", "/plans/.hidden/c.tally", "/elsewhere.tally"] {
            #expect(Repository.read(directory + untouched) == messy, "\(untouched)")
        }
        r = try TallyBinary.run(["fmt", "--check", "plans", "plans/sub/b.tally"], directory: directory)
        #expect(r.status == 0 && r.stderr.isEmpty)

        r = try TallyBinary.run(["fmt", "--check", "plans", "missing.tally"], directory: directory)
        #expect(r.status == 2 && r.stderr.contains("cannot read missing.tally"), "\(r.stderr)")
        r = try TallyBinary.run(["fmt", "--check", "elsewhere.tally", "missing.tally"], directory: directory)
        #expect(r.status == 2 && r.stderr.contains("tally: elsewhere.tally would be reformatted"), "\(r.stderr)")
    }

    @Test func standardInput() throws {
        var r = try TallyBinary.run(["fmt", "-"], stdin: "show  1+2")
        #expect(r.status == 0 && r.stdout == "show 1 + 2\n" && r.stderr.isEmpty)
        r = try TallyBinary.run(["fmt", "--check", "-"], stdin: "show  1+2")
        #expect(r.status == 1 && r.stdout.isEmpty && r.stderr == "tally: <stdin> would be reformatted\n")
        r = try TallyBinary.run(["fmt", "--check", "-"], stdin: "show 1 + 2\n")
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty)
    }
}
