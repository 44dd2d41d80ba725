import Foundation
import Testing
@testable import TallyKit

/// A command's exit status, standard output and error against a golden
/// file, with the fixtures' path left out; TALLY_UPDATE_GOLDEN=1 rewrites it.
func expectGoldenOutput(_ output: CommandOutput, file path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let actual = "exit: \(output.status)\n--- stdout\n\(output.stdout)--- stderr\n\(output.stderr)"
        .replacingOccurrences(of: Repository.fixtures + "/", with: "")
    if ProcessInfo.processInfo.environment["TALLY_UPDATE_GOLDEN"] == "1" {
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    #expect(actual == Repository.read(path), sourceLocation: sourceLocation)
}
