import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Standard output that cannot be written, and TALLY_HISTORY_SIZE.
@Suite(.serialized) struct OutputFailureTests {
    @Test func aFullDiskIsAnErrorWithStatusTwo() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TallyBinary.binary)
        process.arguments = ["run", "Examples/support.tally"]
        process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr == "tally: error: cannot write standard output: No space left on device\n")
    }

    @Test func aClosedPipeEndsQuietly() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TallyBinary.binary)
        // Far more than a pipe holds, so the write meets the closed end.
        process.arguments = ["models", "--format", "json"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        _ = out.fileHandleForReading.readData(ofLength: 1)
        try out.fileHandleForReading.close()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(stderr.isEmpty)
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGPIPE)
    }

    @Test func historySizeIsAWholeNumberInRange() {
        #expect(HistoryFile.limit(from: nil) == (1_000, nil))
        #expect(HistoryFile.limit(from: "") == (1_000, nil))
        #expect(HistoryFile.limit(from: "1").limit == 1)
        #expect(HistoryFile.limit(from: "250") == (250, nil))
        #expect(HistoryFile.limit(from: "1000000") == (1_000_000, nil))
        for bad in ["0", "-5", "1000001", "2147483648", "99999999999999999999999", "12abc", " 5", "1e3"] {
            let (limit, warning) = HistoryFile.limit(from: bad)
            #expect(limit == 1_000, "\(bad)")
            #expect(warning == "tally: warning: TALLY_HISTORY_SIZE is not a whole number from 1 to 1,000,000; keeping the last 1,000 entries\n")
        }
    }

    @Test func theBinaryWarnsAndKeepsTheHistoryForABadSize() throws {
        let directory = try scratchDirectory("history-size")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let history = directory + "/history"
        try writeFile("let a = 1\nlet b = 2\nlet c = 3\n", to: history)
        for size in ["2147483648", "0", "-3"] {
            let terminal = try PseudoTerminal(environment: ["TALLY_HISTORY": history, "TALLY_HISTORY_SIZE": size])
            try terminal.expect("TALLY_HISTORY_SIZE is not a whole number")
            try terminal.expect("tally> ")
            #expect(terminal.quit() == 0)
            #expect(Repository.read(history) == "let a = 1\nlet b = 2\nlet c = 3\n")
        }
    }
}
