import Foundation
import Testing
@testable import TallyActuals
@testable import TallyKit
@testable import TallyQuantities
@testable import TallyRender

/// `tally usage --as-workloads`: percentiles from `TokenHistogram` against
/// a sorted oracle, and a generated month of logs whose measured workloads,
/// run as a script, estimate what the logs cost.
@Suite struct CalibrateTests {
    /// The nearest-rank percentile of sorted values: the oracle.
    static func exactPercentile(_ sorted: [Int64], _ p: Int) -> Int64 {
        sorted[max(1, (p * sorted.count + 99) / 100) - 1]
    }

    @Test func percentilesAreWithinTheStatedError() {
        var random = Generator(state: 14)
        for spread in [UInt64(100), 5_000, 1_000_000, 1 << 40] {
            var histogram = TokenHistogram(), halves = (TokenHistogram(), TokenHistogram())
            var values: [Int64] = []
            for i in 0..<20_000 {
                let v = Int64(random.next() % spread) + (spread > 1000 ? Int64(spread / 3) : 0)
                values.append(v)
                histogram.add(v)
                if i % 2 == 0 { halves.0.add(v) } else { halves.1.add(v) }
            }
            values.sort()
            halves.0.merge(halves.1)
            #expect(halves.0 == histogram)
            for p in [1, 10, 50, 90, 99, 100] {
                let exact = Self.exactPercentile(values, p)
                let got = histogram.percentile(p) ?? -1
                #expect(abs(Double(got - exact)) <= Double(exact) / 256, "p\(p) of spread \(spread): \(got) vs \(exact)")
            }
            // Memory: 128 buckets per power of two at most, not one per value.
            #expect(histogram.buckets.count <= 128 * (64 - spread.leadingZeroBitCount + 1))
        }
    }

    @Test func constantAndSmallValuesAreExact() {
        var h = TokenHistogram()
        for _ in 0..<1000 { h.add(1_234_567) }
        #expect(h.percentile(10) == 1_234_567 && h.percentile(90) == 1_234_567)
        var small = TokenHistogram()
        for v in [5, 3, 9, 127, 0] { small.add(Int64(v)) }
        #expect(small.percentile(10) == 0 && small.percentile(50) == 5 && small.percentile(90) == 127)
        #expect(TokenHistogram().percentile(50) == nil)
        var huge = TokenHistogram()
        huge.add(.max)
        huge.add(.max - 1)
        #expect(huge.percentile(90).map { $0 > .max / 2 } == true)
    }

    @Test func threeSignificantDigits() {
        for (value, expected) in [("2000.07", "2000"), ("411.63", "412"), ("99.95", "100"), ("1/30", "0.0333"),
                                  ("123456", "123000"), ("999.6", "1000"), ("5", "5"), ("0.5345", "0.535")] {
            #expect(CalibrationRenderer.significant(rational(value)).decimalString(fractionDigits: 10, trimTrailingZeros: true) == expected)
        }
    }

    @Test func namesAreTallyNames() {
        for (text, expected) in [("my app!", "my-app"), ("a..b", "a.b"), ("-x-", "x"), ("é", ""), ("team-a.1", "team-a.1")] {
            #expect(CalibrationRenderer.sanitized(text) == expected)
        }
        #expect(CalibrationRenderer.isName("app-chat") && !CalibrationRenderer.isName("1st") && !CalibrationRenderer.isName("with"))
        #expect(!CalibrationRenderer.isName("a-") && !CalibrationRenderer.isName("a b") && !CalibrationRenderer.isName(""))
        let values = ["region", "min", "total", "3d", "compare", "", "(none)", "low", "a b", "a-b"]
        let keys = values.map { Calibration.Key(group: [$0], model: "haiku-4.5", region: "us-east-1", endpoint: nil, tier: nil) }
        let names = CalibrationRenderer.workloadNames(keys, by: [.operation])
        #expect(names == ["w-region", "w-min", "w-total", "w-3d", "w-compare", "w", "none", "low", "a-b", "a-b-2"])
        let script = names.map { "workload \($0) < model haiku-4.5; requests 1/day >" }.joined(separator: "\n")
        #expect(!runSource(script).hasErrors)
    }

    @Test func bucketsStopAtTheLimit() throws {
        var calibration = Calibration()
        calibration.maximumBuckets = 40
        var record = UsageRecord()
        record.region = "us-east-1"
        let resolution = UsagePricer.Resolution(model: nil, reason: nil, endpoint: .global, profile: "none")
        var refused: String?
        for n in 0..<100 where refused == nil {
            record.inputTokens = Int64(n) * 1000
            record.outputTokens = Int64(n)
            refused = calibration.observe(record, group: ["a"], model: "haiku-4.5", resolution: resolution)
        }
        #expect(refused == "more than 40 distinct token counts (log buckets) to calibrate in one reader")
        #expect(calibration.buckets >= 40 && calibration.buckets < 44)
        #expect(calibration.observe(record, group: ["b"], model: "haiku-4.5", resolution: resolution, limit: 1) == "more than 1 workloads to calibrate")
        var merged = Calibration()
        merged.merge(calibration)
        merged.merge(calibration)
        #expect(merged.buckets == calibration.buckets)
    }

    // MARK: Logs

    static func directory() throws -> String {
        let dir = NSTemporaryDirectory() + "tally-calibrate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func record(_ time: String, model: String, input: Int, read: Int = 0, write: Int = 0, output: Int,
                       tags: String = "", error: Bool = false) -> String {
        "{\"timestamp\":\"\(time)\",\"accountId\":\"123456789012\",\"region\":\"us-east-1\",\"operation\":\"Converse\","
            + "\"modelId\":\"\(model)\",\"input\":{\"inputBodyJson\":{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hello\"}]}]},"
            + "\"inputTokenCount\":\(input),\"cacheReadInputTokenCount\":\(read),\"cacheWriteInputTokenCount\":\(write)},"
            + "\"output\":{\"outputTokenCount\":\(output)}" + (error ? ",\"errorCode\":\"ThrottlingException\"" : "")
            + ",\"requestMetadata\":{\(tags)}}\n"
    }

    static func usage(_ paths: [String], by: [String], from: String? = nil, to: String? = nil, workloads: Bool = true,
                      script: String? = nil) -> CommandOutput {
        var request = UsageRequest()
        request.paths = paths
        request.by = by
        (request.from, request.to) = (from, to)
        request.asWorkloads = workloads
        request.format = workloads ? .text : .json
        request.script = script
        return Commands.usage(request)
    }

    static func time(day: Int, second: Int) -> String {
        String(format: "2026-11-%02dT%02d:%02d:%02dZ", day, second / 3600, second / 60 % 60, second % 60)
    }

    /// 2,000 requests a day for 30 days: 1,200 `chat` (Sonnet 4.5, global:
    /// prompts 1,000 ± 5%, 60% ± 5% read from the cache, 300 ± 10% out) and
    /// 800 `search` (Haiku 4.5, `us.`: 3,000 ± 5%, 10% ± 2% written to the
    /// cache, 150 ± 10% out); a failed call a day and five unknown models.
    static func steadyMonth(in dir: String) throws {
        var random = Generator(state: 2026)
        func jitter(_ center: Int, _ percent: Int) -> Int {
            let spread = center * percent / 100
            return center - spread + random.below(2 * spread + 1)
        }
        for day in 1...30 {
            var text = ""
            for i in 0..<2000 {
                let t = time(day: day, second: i * 43)
                if i % 5 < 3 {
                    let prompt = jitter(1000, 5), read = prompt * jitter(600, 8) / 1000
                    text += record(t, model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", input: prompt - read, read: read,
                                   output: jitter(300, 10), tags: "\"app\":\"chat\"")
                } else {
                    let prompt = jitter(3000, 5), write = prompt * jitter(100, 20) / 1000
                    text += record(t, model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", input: prompt - write, write: write,
                                   output: jitter(150, 10), tags: "\"app\":\"search\"")
                }
            }
            text += record(time(day: day, second: 86_399), model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", input: 10, output: 1,
                           tags: "\"app\":\"search\"", error: true)
            if day <= 5 { text += record(time(day: day, second: 100), model: "acme.mystery-v1:0", input: 10, output: 1) }
            try text.write(toFile: dir + "/day-\(day).jsonl", atomically: true, encoding: .utf8)
        }
    }

    @Test func measuredWorkloadsEstimateWhatTheLogsCost() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.steadyMonth(in: dir)
        let actual = Self.usage([dir], by: ["tag:app"], from: "2026-11-01", to: "2026-11-30", workloads: false)
        #expect(actual.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(actual.stdout.utf8)) as? [String: Any])
        let totalUSD = rational(try #require(object["total_usd"] as? String))
        // 30 days of spend over a 730-hour month.
        let monthly = try #require(totalUSD.multiplied(by: rational("730/720")))

        let measured = Self.usage([dir], by: ["tag:app"], from: "2026-11-01", to: "2026-11-30")
        #expect(measured.status == 0, "\(measured.stderr)")
        let script = measured.stdout
        #expect(script.contains("from 60,000 priced records, 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z (30 days)"))
        #expect(script.contains("# left out: 5 unpriced, 30 failed, 0 malformed, 0 outside the period"))
        #expect(script.contains("#   unpriced: acme.mystery-v1:0 in us-east-1, 5 records (unknown model)"))
        #expect(script.contains("workload app-chat <\n  model sonnet-4.5; region us-east-1; endpoint global\n  requests 1200/day\n"))
        #expect(script.contains("workload app-search <\n  model haiku-4.5; region us-east-1; endpoint regional\n  requests 800/day\n"))
        #expect(script.contains("  tag app=chat\n") && script.contains("  tag app=search\n"))
        #expect(script.contains("; cache 5") && script.contains("; cache 0% write "))

        let file = dir + "/measured.tally"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let estimate = Commands.eval(files: [file], expression: "(low(total) + high(total)) / 2", format: .json)
        #expect(estimate.status == 0, "\(estimate.stderr)")
        let value = try #require(JSONSerialization.jsonObject(with: Data(estimate.stdout.utf8)) as? [String: Any])
        #expect(value["unit"] as? String == "$/month")
        let midpoint = rational(try #require(value["value"] as? String))
        let error = try #require(midpoint.subtracting(monthly)?.magnitude.divided(by: monthly))
        #expect(error < rational("0.02"), "estimate \(midpoint) against the logs' \(monthly) a month")
    }

    /// The usage fixture (one record a workload: tiers, endpoints, a profile),
    /// and calibrate/app.jsonl, whose exact nearest-rank percentiles (worked
    /// in Python over the file) are: chat prompts 935..1381, output 249..442,
    /// cache read 52.93%..70.99%; search (Haiku) prompts 2814..3240, output
    /// 111..191, cache write 5.97%..12%. The histogram gives 934 and 2808
    /// for two of them: within 0.4%.
    @Test(arguments: [("usage", "expected-workloads.txt"), ("calibrate", "calibrate/expected.txt")])
    func goldenOutput(_ fixture: String, _ expected: String) throws {
        let output = fixture == "usage"
            ? Self.usage([UsageTests.logs], by: ["tag:team"], script: UsageTests.script)
            : Self.usage([UsageTests.directory + "/calibrate/app.jsonl"], by: ["tag:app"])
        let actual = "exit: \(output.status)\n--- stdout\n\(output.stdout)--- stderr\n\(output.stderr)"
            .replacingOccurrences(of: Repository.fixtures + "/", with: "")
        try matchGolden(actual, at: UsageTests.directory + "/" + expected)
    }

    /// The flag through the built binary, and its script through `tally eval -f`.
    @Test func theCommandLine() throws {
        let golden = Repository.read(UsageTests.directory + "/calibrate/expected.txt")
        let script = golden.components(separatedBy: "--- stdout\n").last?.components(separatedBy: "--- stderr\n").first ?? ""
        let written = try TallyBinary.run(["usage", "Tests/Fixtures/usage/calibrate/app.jsonl", "--as-workloads", "--by", "tag:app"])
        #expect(written.status == 0 && written.stdout == script && written.stderr.isEmpty)
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try written.stdout.write(toFile: dir + "/plan.tally", atomically: true, encoding: .utf8)
        let total = try TallyBinary.run(["eval", "-f", "plan.tally", "total in $/month"], directory: dir)
        #expect(total.status == 0 && total.stdout == "$1.37–$2.26/month\n", "\(total.stderr)")
        // The README's figures: the middle of the range, and the logs' $0.3834037 over 561,240 seconds per 730 hours.
        let middle = try TallyBinary.run(["eval", "-f", "plan.tally", "(low(total) + high(total)) / 2"], directory: dir)
        #expect(middle.stdout == "$1.81/month\n")
        let actual = try TallyBinary.run(["usage", "Tests/Fixtures/usage/calibrate/app.jsonl", "--format", "json"])
        #expect(actual.stdout.contains("\"total_usd\": \"0.3834037\"") && actual.stdout.contains("\"last\": \"2026-11-07T20:00:00Z\""))
        #expect(rational("0.3834037").multiplied(by: rational("2628000/561240"))?.rounded(fractionDigits: 2) == rational("1.80"))
        let json = try TallyBinary.run(["usage", "Tests/Fixtures/usage/calibrate/app.jsonl", "--as-workloads", "--format", "json"])
        #expect(json.status == 2 && json.stdout.isEmpty && json.stderr.contains("--as-workloads writes a Tally script"))
    }

    /// A `--script` that declares workloads of the same names lends its prices, not its names.
    @Test func aScriptWithWorkloadsOfTheSameNames() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "workload app-chat < model sonnet-4.5; requests 1/day >\nprice sonnet-4.5 < input $6/1M tokens >\n"
            .write(toFile: dir + "/plan.tally", atomically: true, encoding: .utf8)
        let output = Self.usage([UsageTests.directory + "/calibrate/app.jsonl"], by: ["tag:app"], script: dir + "/plan.tally")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("workload app-chat <") && output.stdout.contains("# priced with the declarations of "))
    }

    @Test func theReadmeShowsTheGoldenScript() {
        let golden = Repository.read(UsageTests.directory + "/calibrate/expected.txt")
        let script = golden.components(separatedBy: "--- stdout\n").last?.components(separatedBy: "--- stderr\n").first ?? ""
        #expect(script.hasSuffix(">\n") && DocumentationTests.readmeBlocks().contains(String(script.dropLast())))
    }

    @Test func hostileGroupNamesAndModelIds() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let haiku = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
        var text = ""
        let values = ["my app!", "1st", "total", "requests", "with", "a \\\"b\\\"", "x\\ny", "é", "", "my-app"]
        for (i, value) in values.enumerated() {
            text += Self.record(Self.time(day: 1, second: i * 60), model: haiku, input: 100 + i, output: 10,
                                tags: "\"app\":\"\(value)\",\"team name\":\"t\"")
        }
        text += Self.record(Self.time(day: 2, second: 0), model: "acme.\\\"q\\\"\\nmodel", input: 10, output: 1)
        text += Self.record(Self.time(day: 2, second: 60), model: haiku, input: 10, output: 1)
        try text.write(toFile: dir + "/hostile.jsonl", atomically: true, encoding: .utf8)

        let output = Self.usage([dir], by: ["tag:app"])
        #expect(output.status == 0, "\(output.stderr)")
        let script = output.stdout
        // The quoted model id on one comment line.
        #expect(script.contains("#   unpriced: acme.\"q\" model in us-east-1, 1 record (unknown model)\n"))
        let outcome = runSource(script)
        #expect(!outcome.hasErrors, "\(outcome.diagnostics)")
        let names = script.split(separator: "\n").filter { $0.hasPrefix("workload ") }.map { $0.split(separator: " ")[1] }
        #expect(names.count == values.count + 1 && Set(names).count == names.count)
        #expect(names.sorted() == ["app", "app-1st", "app-2", "app-a-b", "app-my-app", "app-my-app-2", "app-none", "app-requests", "app-total",
                                   "app-with", "app-x-y"])
        #expect(script.contains("  tag app=\"with\"\n") && script.contains("  tag app=\"1st\"\n") && script.contains("  tag app=total\n"))
        let team = Self.usage([dir], by: ["tag:team name"])
        #expect(team.stdout.contains("workload team-name-t <") && team.stdout.contains("  # tag team name is not a Tally name: left out\n"))
        #expect(!runSource(team.stdout).hasErrors)
        // A tag value that is not a name is a string, and reads back as it was.
        let file = dir + "/measured.tally"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let quoted = Commands.eval(files: [file], expression: "app-a-b", format: .json)
        let object = try #require(JSONSerialization.jsonObject(with: Data(quoted.stdout.utf8)) as? [String: Any])
        #expect(object["tags"] as? [String: String] == ["app": "a \"b\""])
        let newline = Commands.eval(files: [file], expression: "app-x-y", format: .json)
        let tags = try #require(JSONSerialization.jsonObject(with: Data(newline.stdout.utf8)) as? [String: Any])["tags"]
        #expect(tags as? [String: String] == ["app": "x\ny"])
    }

    @Test func noRecordsAndNoTime() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = Self.record("2026-11-01T00:00:00Z", model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", input: 10, output: 1)
        try one.write(toFile: dir + "/one.jsonl", atomically: true, encoding: .utf8)

        let none = Self.usage([dir], by: [], from: "2026-12-01", to: "2026-12-31")
        #expect(none.status == 0)
        #expect(none.stdout.contains("from 0 priced records, 2026-12-01T00:00:00Z to 2027-01-01T00:00:00Z (31 days)"))
        #expect(none.stdout.contains("# left out: 0 unpriced, 0 failed, 0 malformed, 1 outside the period"))
        #expect(none.stdout.hasSuffix("# no priced records: nothing to calibrate\n"))
        #expect(none.stderr == "usage: no priced records to measure: no workloads written\n")
        #expect(!runSource(none.stdout).hasErrors)

        let instant = Self.usage([dir], by: [])
        #expect(instant.status == 2 && instant.stdout.isEmpty)
        #expect(instant.stderr.contains("the records cover no time (one instant): give --from and --to"))
        let missing = Self.usage([dir, dir + "/missing.jsonl"], by: [], from: "2026-11-01", to: "2026-11-01")
        #expect(missing.status == 2 && missing.stdout.isEmpty && missing.stderr.contains("missing.jsonl"))
        let day = Self.usage([dir], by: [], from: "2026-11-01", to: "2026-11-01")
        #expect(day.status == 0 && day.stdout.contains("requests 1/day\n"))

        var request = UsageRequest()
        request.paths = [dir]
        request.asWorkloads = true
        request.format = .json
        let refused = Commands.usage(request)
        #expect(refused.status == 2 && refused.stderr.contains("--as-workloads writes a Tally script"))
    }
}
