import Foundation
import Testing
@testable import TallyActuals
@testable import TallyQuantities
@testable import TallyPricing

/// RFC 4180 records from bytes in chunks of any size, and the CUR's numbers.
@Suite struct CSVRecordsTests {
    static func records(_ text: String, chunk: Int = .max) -> [CSVRecords.Record] {
        var reader = CSVRecords()
        var out: [CSVRecords.Record] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + min(chunk, bytes.count))
            bytes[start..<end].withUnsafeBytes { reader.read($0) { out.append($0) } }
            start = end
        }
        reader.finish { out.append($0) }
        return out
    }

    static let sample = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\r\n\"two\nlines\",,\n\nlast,row,\"\"\n"

    @Test func quotedFieldsCommasQuotesAndLineBreaks() {
        let got = Self.records(Self.sample)
        #expect(got.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "3"], ["two\nlines", "", ""], ["last", "row", ""]])
        // A record's line is where it starts; the blank line 5 is no record.
        #expect(got.map(\.line) == [1, 2, 3, 6])
        #expect(got.allSatisfy { $0.problem == nil })
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func anyChunkingReadsTheSame(_ chunk: Int) {
        let whole = Self.records(Self.sample)
        let pieces = Self.records(Self.sample, chunk: chunk)
        #expect(pieces.map(\.fields) == whole.map(\.fields))
        #expect(pieces.map(\.line) == whole.map(\.line))
    }

    @Test func aRecordWithoutAFinalLineBreakIsRead() {
        #expect(Self.records("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test(arguments: [
        ("\"a\"b,c\n", "text after a closing quote"),
        ("a\"b,c\n", "a quote inside an unquoted field"),
        ("\"open,c\n", "a quoted field is not closed"),
    ])
    func malformedRecordsSayWhy(_ text: String, _ problem: String) {
        let got = Self.records(text)
        #expect(got.count == 1)
        #expect(got.first?.problem == problem)
    }

    @Test func aHugeFieldIsCutAndReportedNotKept() {
        let text = "a,\"" + String(repeating: "x", count: 200_000) + "\"\nok,1\n"
        let got = Self.records(text, chunk: 4096)
        #expect(got.count == 2)
        #expect(got[0].problem == "a field longer than 65536 bytes")
        #expect(got[0].fields[1].utf8.count == CSVRecords.maximumFieldBytes)
        #expect(got[1].fields == ["ok", "1"])
        #expect(got[1].line == 2)
    }

    @Test func tooManyFieldsAreReported() {
        let got = Self.records(String(repeating: ",", count: 5000) + "\n")
        #expect(got.first?.problem == "more than 4096 fields")
        #expect(got.first?.fields.count == CSVRecords.maximumFields)
    }

    // MARK: Numbers and dates

    @Test(arguments: [
        ("6.0", "6"), ("6", "6"), ("-0.5", "-0.5"), ("+3", "3"), ("1.0E3", "1000"), ("1.2e-5", "0.000012"),
        ("0.0000003", "0.0000003"), ("3000.5", "3000.5"),
    ])
    func decimalsAreExact(_ text: String, _ expected: String) {
        #expect(CURNumbers.decimal(text)?.terminatingDecimal == expected)
    }

    @Test(arguments: ["", "-", ".5", "5.", "1.2.3", "1,000", "NaN", "inf", "0x10", "1_000", "1e", "1e999", "1e-99x", " 1",
                      String(repeating: "9", count: 41), String(repeating: "1", count: 70)])
    func otherTextIsNoDecimal(_ text: String) {
        #expect(CURNumbers.decimal(text) == nil)
    }

    @Test func daysOfTheForms() {
        #expect(CURNumbers.day("2026-11-01T00:00:00Z")?.description == "2026-11-01")
        #expect(CURNumbers.day("2026-11-02 13:00:00")?.description == "2026-11-02")
        #expect(CURNumbers.day("2026-11-03")?.description == "2026-11-03")
        for bad in ["2026-11", "2026-13-01T00:00:00Z", "yesterday", "2026-11-01X", ""] { #expect(CURNumbers.day(bad) == nil) }
    }

    @Test func resourceTagsAreReadFromTheirJSON() {
        let text = #"{"user:team":"search","env":"prod \"a\""}"#
        #expect(CURTags.value(of: "team", in: text) == "search")
        #expect(CURTags.value(of: "env", in: text) == "prod \"a\"")
        #expect(CURTags.value(of: "app", in: text) == nil)
        for bad in ["", "{", #"{"a":{"b":"c"}}"#, #"{"a":1}"#, #"{"a""b"}"#, "[]"] { #expect(CURTags.pairs(bad) == nil) }
    }
}
