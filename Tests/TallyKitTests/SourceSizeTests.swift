import Foundation
import Testing

/// A source file does one job: over `limit` lines it must say why in its
/// header (`long:` and a reason in its first five lines), or be split.
@Suite struct SourceSizeTests {
    static let limit = 400
    static let sources = Repository.root + "/Sources"
    static let codeExtensions = ["swift", "c", "h"]

    /// Files over the limit that are being reworked as this is written, with
    /// why they may wait. An entry is stale, and fails, once its file is
    /// within the limit or has a `long:` header.
    static let pending: [String: String] = [:]

    /// The reason after `long:` in the first five lines, if there is one.
    static func reason(_ text: String) -> String? {
        for line in text.split(separator: "\n", maxSplits: 5, omittingEmptySubsequences: false).prefix(5) {
            guard let range = line.range(of: "long:") else { continue }
            if range.lowerBound > line.startIndex, line[line.index(before: range.lowerBound)].isLetter { continue }
            let reason = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if !reason.isEmpty { return reason }
        }
        return nil
    }

    static func lineCount(_ text: String) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } + (text.isEmpty || text.hasSuffix("\n") ? 0 : 1)
    }

    @Test func aReasonIsLongColonAndTextInTheFirstFiveLines() {
        #expect(Self.reason("// long: one function per grammar rule\nimport X\n") == "one function per grammar rule")
        #expect(Self.reason("import X\n\n\n\n/// long: the table of rates\n") == "the table of rates")
        #expect(Self.reason("import X\n\n\n\n\n// long: too late\n") == nil)
        #expect(Self.reason("// long:\nimport X\n") == nil)
        #expect(Self.reason("// long:   \nimport X\n") == nil)
        #expect(Self.reason("// these belong: here\n") == nil)
        #expect(Self.reason("import X\n") == nil)
        #expect(Self.lineCount("") == 0)
        #expect(Self.lineCount("a\nb\n") == 2)
        #expect(Self.lineCount("a\nb") == 2)
    }

    @Test func noSourceFileIsLongWithoutAReason() {
        let files = Repository.files(under: Self.sources, extension: "").filter { path in
            Self.codeExtensions.contains { path.hasSuffix("." + $0) }
        }
        #expect(files.count > 60)
        var long: [String] = []
        var stale: [String] = []
        for path in files {
            let relative = String(path.dropFirst(Self.sources.count + 1))
            let text = Repository.read(path)
            let lines = Self.lineCount(text)
            let waiting = Self.pending[relative] != nil
            if lines > Self.limit, Self.reason(text) == nil, !waiting {
                long.append("\(relative): \(lines) lines")
            }
            if waiting, lines <= Self.limit || Self.reason(text) != nil {
                stale.append(relative)
            }
        }
        for relative in Self.pending.keys where !files.contains(Self.sources + "/" + relative) { stale.append(relative) }
        #expect(long.isEmpty, "over \(Self.limit) lines with no `long:` reason in the first five lines; split it by concern or say why:\n\(long.joined(separator: "\n"))")
        #expect(stale.isEmpty, "stale pending entries: \(stale.sorted())")
    }
}
