import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyQuantities

/// `tally usage --cur` over `Tests/Fixtures/cur/`, CUR 2.0 exports written by
/// hand in the export's column layout. Every figure, worked by hand from the
/// catalog's rates ($ per 1M tokens):
///
/// bill.csv (2026-11-01 unless said)
///  1 Claude4.5Sonnet input, global      2,000 × 1K = 2,000,000 × $3.00           = $6.00   (CUR $6.0)
///  2 Claude4.5Sonnet output, global       400 × 1K =   400,000 × $15.00          = $6.00   (CUR $6)
///  3 Claude4.5Sonnet input, in region   1,000 × 1K = 1,000,000 × $3.30 (regional) = $3.30  (CUR $3.00: flagged,
///    with row 1 the group is $9.30 against $9.00, +$0.30, +3.3% > 1%)
///  4 cache read, global                 5,000,000 tokens × $0.30                 = $1.50
///  5 cache write 1 hour, global           0.5 × 1M =   500,000 × $6.00           = $3.00
///  6 cache write 5 minutes, global        200 × 1K =   200,000 × $3.75           = $0.75
///  7 NovaPro input, batch              10,000 × 1K = 10,000,000 × $0.80 × 50%    = $4.00
///  8 NovaPro output, batch              1,000 × 1K = 1,000,000 × $3.20 × 50%     = $1.60
///  9 NovaPro output, priority             500 × 1K =   500,000 × $3.20 × 175%    = $2.80  (group output: $4.40)
/// 10 Nova2.0Lite input, flex: the catalog has no flex rate for Nova 2 Lite        unpriced, CUR $0.15
/// 11 gpt-oss-120b output           3,000.5 × 1K = 3,000,500 × $0.60              = $1.8003
/// 12 Claude9Sonnet: no such model                                                unpriced, CUR $1.00
/// 13 AgentCore runtime                                                           unpriced, CUR $0.0895
/// 14 AmazonS3: not Bedrock; 15 a Tax line item of AmazonBedrock, $2.50
/// 16 2026-11-02, Claude4.5Sonnet input, global, 1.0E3 × 1K = 1,000,000 × $3.00   = $3.00
/// bill-2.csv.gz (2026-11-03)
/// 17 Claude4.5Opus input, global          100 × 1K =   100,000 × $5.00           = $0.50
/// 18 Claude4.5Haiku output, in region     250 × 1K =   250,000 × $5.50           = $1.375
/// 19 anthropic.claude-opus-4-8 (mantle) input, standard, 0.1 × 1M = 100,000 × $5.50 = $0.55
///
/// Priced rows 14: the CUR's $35.8753 (6 + 6 + 3 + 1.5 + 3 + 0.75 + 4 + 1.6 + 2.8 + 1.8003 + 3 + 0.5 + 1.375
/// + 0.55), Tally's $36.1753 (the same + $0.30); unpriced 3 rows, $1.2395; other line items $2.50.
@Suite struct CURTests {
    static let directory = Repository.fixtures + "/cur"
    static let bill = [directory + "/bill.csv", directory + "/bill-2.csv.gz"]

    static let cases: [(name: String, paths: [String], by: [String], format: RunFormat)] = [
        ("bill", bill, [], .text),
        ("bill-json", bill, [], .json),
        ("bill-csv", bill, [], .csv),
        ("bill-markdown", bill, [], .markdown),
        ("bill-by-endpoint", bill, ["model", "endpoint", "tier", "tag:team"], .text),
        ("bill-by-profile", [bill[0]], ["profile", "operation", "principal", "account"], .text),
        ("hostile", [directory + "/hostile.csv"], [], .text),
        ("missing-column", [directory + "/missing-column.csv"], [], .text),
    ]

    static func actual(_ c: (name: String, paths: [String], by: [String], format: RunFormat)) -> String {
        let output = Commands.usageCUR(paths: c.paths, by: c.by, tolerance: nil, format: c.format)
        let clean = { (s: String) in s.replacingOccurrences(of: Repository.fixtures + "/", with: "") }
        return "exit: \(output.status)\n--- stdout\n\(clean(output.stdout))--- stderr\n\(clean(output.stderr))"
    }

    @Test(arguments: cases.indices)
    func goldenOutput(_ index: Int) throws {
        let c = Self.cases[index]
        try matchGolden(Self.actual(c), at: Self.directory + "/\(c.name).expected")
    }

    static func report(_ paths: [String], by: [String] = [], tolerance: String? = nil) throws -> [String: Any] {
        let output = Commands.usageCUR(paths: paths, by: by, tolerance: tolerance, format: .json)
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test func theFiguresWorkedByHand() throws {
        let json = try Self.report(Self.bill)
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["cur_usd"] as? String == "35.8753")
        #expect(total["tally_usd"] as? String == "36.1753")
        #expect(total["cur_unpriced_usd"] as? String == "1.2395")
        #expect(total["cur_other_line_items_usd"] as? String == "2.5")
        #expect(total["flagged_groups"] as? Int == 1)
        let rows = try #require(json["rows"] as? [String: Int])
        #expect(rows == ["read": 19, "priced": 14, "unpriced": 3, "not_bedrock": 1, "other_line_items": 1, "malformed": 0])
        let groups = try #require(json["groups"] as? [[String: Any]])
        let flagged = groups.filter { $0["flagged"] as? Bool == true }
        #expect(flagged.count == 1)
        #expect(flagged.first?["cur_usd"] as? String == "9")
        #expect(flagged.first?["tally_usd"] as? String == "9.3")
        let unpriced = try #require(json["unpriced"] as? [[String: Any]])
        #expect(unpriced.compactMap { $0["usage_type"] as? String } ==
            ["USE1-AgentCore-Runtime-vCPU-Hours", "USE1-Claude9Sonnet-input-tokens", "USE1-Nova2.0Lite-input-tokens-flex"])
    }

    @Test func aWiderToleranceFlagsNothing() throws {
        let json = try Self.report(Self.bill, tolerance: "3.5%")
        #expect((json["total"] as? [String: Any])?["flagged_groups"] as? Int == 0)
        let tight = try Self.report(Self.bill, by: ["usage-type"], tolerance: "0%")
        // Per usage type, only the in-region input row (billed at the global rate) differs.
        let flagged = (tight["groups"] as? [[String: Any]] ?? []).filter { $0["flagged"] as? Bool == true }
        #expect(flagged.compactMap { ($0["key"] as? [String: String])?["usage-type"] } == ["USE1-Claude4.5Sonnet-input-tokens"])
    }

    @Test func theGzipFileReadsAsItsPlainText() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-cur-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let gz = try Data(contentsOf: URL(fileURLWithPath: Self.bill[1]))
        let plain = try GzipTests.inflate([UInt8](gz), chunk: 100)
        let path = directory.appendingPathComponent("bill-2.csv").path
        try Data(plain).write(to: URL(fileURLWithPath: path))
        let a = Commands.usageCUR(paths: [Self.bill[1]], by: [], tolerance: nil, format: .json)
        let b = Commands.usageCUR(paths: [path], by: [], tolerance: nil, format: .json)
        #expect(a.stdout.replacingOccurrences(of: Self.bill[1], with: path) == b.stdout)
    }

    // MARK: Hostile input

    static func withFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tally-cur-" + UUID().uuidString + ".csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    @Test func aHugeFieldIsOneMalformedRowInBoundedOutput() throws {
        let header = "line_item_product_code,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost,line_item_usage_start_date,pricing_unit\n"
        let huge = "AmazonBedrock,\"" + String(repeating: "USE1-", count: 400_000) + "\",1,1,2026-11-01,1K tokens\n"
        let good = "AmazonBedrock,USE1-NovaPro-input-tokens,1000,0.80,2026-11-01,1K tokens\n"
        try Self.withFile(Array((header + huge + good).utf8)) { path in
            let output = Commands.usageCUR(paths: [path], by: [], tolerance: nil, format: .text)
            #expect(output.status == 0)
            #expect(output.stdout.contains(":2: a field longer than 65536 bytes"))
            #expect(output.stdout.contains("1 priced"))
            #expect(output.stdout.utf8.count < 4_000)
        }
    }

    @Test(arguments: [
        ([UInt8](), "it is empty"),
        ([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02], "gzip: "),
        (Array("line_item_usage_type\nx\n".utf8), ":1: the header has no column `line_item_product_code`, `line_item_usage_amount`"),
        (Array("\"line_item_product_code\nx\n".utf8), ":1: the header cannot be read: a quoted field is not closed"),
    ])
    func unreadableInputExits2WithThePlace(_ bytes: [UInt8], _ message: String) throws {
        try Self.withFile(bytes) { path in
            let output = Commands.usageCUR(paths: [path], by: [], tolerance: nil, format: .text)
            #expect(output.status == 2)
            #expect(output.stderr.hasPrefix("tally: error: \(path)"))
            #expect(output.stderr.contains(message), "\(output.stderr)")
            #expect(output.stdout.isEmpty)
        }
    }

    @Test func aDirectoryOrMissingFileIsRefused() {
        #expect(Commands.usageCUR(paths: [Self.directory], by: [], tolerance: nil).stderr.contains("it is a directory"))
        #expect(Commands.usageCUR(paths: [Self.directory + "/nothing.csv"], by: [], tolerance: nil).stderr.contains("No such file"))
    }

    @Test(arguments: [(["colour"], "--by takes"), ([], "--tolerance takes")])
    func badOptionsExit2(_ by: [String], _ message: String) {
        let output = Commands.usageCUR(paths: Self.bill, by: by, tolerance: by.isEmpty ? "1" : nil)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message))
    }

    @Test func strictFailsOnUnpricedRowsAndDifferences() {
        #expect(Commands.usageCUR(paths: Self.bill, by: [], tolerance: nil, strict: true).status == 1)
        #expect(Commands.usageCUR(paths: [Self.bill[1]], by: [], tolerance: nil, strict: true).status == 0)
    }

    // MARK: The command line

    @Test func theCommandLineReadsTheBill() throws {
        let ok = try TallyBinary.run(["usage", "--cur", "Tests/Fixtures/cur/bill.csv", "Tests/Fixtures/cur/bill-2.csv.gz", "--format", "json"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains(#""tally_usd": "36.1753""#))
        let strict = try TallyBinary.run(["usage", "--cur", "Tests/Fixtures/cur/bill.csv", "--strict", "--tolerance", "5%"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("--strict: 3 unpriced rows, 0 groups beyond the tolerance"))
        let missing = try TallyBinary.run(["usage", "--cur", "Tests/Fixtures/cur/missing-column.csv"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Tests/Fixtures/cur/missing-column.csv:1: the header has no column `line_item_unblended_cost`"))
        let mixed = try TallyBinary.run(["usage", "--cur", "Tests/Fixtures/cur/bill.csv", "--to", "2026-11-02", "Tests/Fixtures/usage"])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("PATH, --to go with logs"))
    }

    /// Seeded mutations of the fixture (bytes dropped, doubled or replaced by
    /// CSV's own punctuation): every run ends with exit 0 or 2, valid JSON on
    /// success, and output bounded by the input.
    @Test func mutatedExportsEndInAReportOrAnError() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.bill[0])))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let punctuation: [UInt8] = Array("\",\"\r\n-.E9%\u{0}".utf8)
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<(1 + next(8)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(bytes[at], at: at)
                default: bytes[at] = punctuation[next(punctuation.count)]
                }
            }
            try Self.withFile(bytes) { path in
                let output = Commands.usageCUR(paths: [path], by: ["usage-type", "tag:team"], tolerance: nil, format: .json)
                #expect(output.status == 0 || output.status == 2)
                #expect(output.stdout.utf8.count + output.stderr.utf8.count < 40 * bytes.count + 10_000)
                if output.status == 0 {
                    #expect((try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) != nil)
                } else {
                    #expect(output.stderr.hasPrefix("tally: error: "))
                }
            }
        }
    }
}
