import Foundation
import Testing

/// Examples/aws/ reproduces AWS's published pricing examples: each file must
/// pass `tally check` with at least one assertion, cite where its figures come
/// from, and fail when one of AWS's figures is off by a cent.
@Suite struct AWSExamplesTests {
    static let directory = Repository.examples + "/aws"
    static let files = Repository.files(under: directory, extension: "tally")

    @Test func theExamplesAreThere() {
        let names = Self.files.map { String($0.split(separator: "/").last ?? "") }
        #expect(names.contains("custom-model-import.tally"))
        #expect(names.contains("provisioned-31-day-month.tally"))
    }

    @Test(arguments: files)
    func everyAssertionHolds(_ path: String) throws {
        let r = try TallyBinary.run(["check", path])
        #expect(r.status == 0, "\(path): \(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("FAIL"))
        let asserts = Repository.read(path).split(separator: "\n").filter { $0.hasPrefix("assert ") }.count
        #expect(asserts >= 1)
        #expect(r.stdout.hasSuffix("all \(asserts) assertions hold\n"), "\(r.stdout)")
    }

    @Test(arguments: files)
    func eachCitesAWS(_ path: String) {
        let header = Repository.read(path).split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
        #expect(header.contains("https://aws.amazon.com/bedrock/pricing/"), "\(path)")
    }

    /// Moving any figure an assertion compares with by one cent breaks it, so
    /// the examples hold to the cent and not merely roughly.
    @Test(arguments: files)
    func aCentOffFails(_ path: String) throws {
        let lines = Repository.read(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var changed = 0
        for (index, line) in lines.enumerated() where line.hasPrefix("assert ") {
            guard let figure = line.range(of: #"== \$[0-9]+(\.[0-9]+)?"#, options: .regularExpression),
                  let amount = Decimal(string: String(line[figure].dropFirst(4))) else { continue }
            var edited = lines
            edited[index] = line.replacingCharacters(in: figure, with: "== $\(amount + Decimal(1) / 100)")
            let copy = NSTemporaryDirectory() + "tally-aws-\(UUID().uuidString).tally"
            try edited.joined(separator: "\n").write(toFile: copy, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let r = try TallyBinary.run(["check", copy])
            #expect(r.status == 1, "\(path):\(index + 1): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("FAIL  \(copy):\(index + 1)"), "\(r.stdout)")
            changed += 1
        }
        #expect(changed >= 1)
    }
}
