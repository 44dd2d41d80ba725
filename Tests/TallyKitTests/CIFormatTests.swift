import Foundation
import FoundationXML
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// `tally check`, `eval` and `diff` as a CI pipeline reads them: every
/// machine format parsed by a real parser, every exit status exercised.
@Suite(.serialized) struct CIFormatTests {
    static let passFail = Repository.fixtures + "/check/pass-fail.tally"
    static let allPass = Repository.fixtures + "/check/all-pass.tally"
    static let broken = Repository.fixtures + "/errors/dimension.tally"

    @Test func checkJSONFollowsSchemaOne() throws {
        let r = try TallyBinary.run(["check", "--format", "json", Self.passFail, Self.allPass])
        #expect(r.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["schema"] as? Int == 1)
        #expect(report["status"] as? Int == 1)
        let summary = report["summary"] as? [String: Int]
        #expect(summary == ["assertions": 4, "passed": 3, "failed": 1, "errors": 0])
        let assertions = try #require(report["assertions"] as? [[String: Any]])
        let daily = try #require(assertions.first { $0["message"] as? String == "daily cap" })
        #expect(daily["passed"] as? Bool == false)
        #expect(daily["line"] as? Int == 4)
        #expect(daily["operator"] as? String == "<")
        #expect((daily["actual"] as? [String: String]) == ["value": "17.64", "unit": "$/day"])
        #expect((daily["bound"] as? [String: String]) == ["value": "10", "unit": "$/day"])
        // $10 − $17.64 = −$7.64, −76.4% of the bound.
        #expect((daily["margin"] as? [String: String]) == ["value": "-7.64", "unit": "$/day"])
        #expect(daily["margin_percent"] as? String == "-76.4")
        #expect((report["diagnostics"] as? [Any])?.isEmpty == true)
    }

    @Test func checkJUnitIsValidXML() throws {
        let r = try TallyBinary.run(["check", "--format", "junit", Self.passFail, Self.broken])
        #expect(r.status == 2)
        let document = try XMLDocument(data: Data(r.stdout.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(root.attribute(forName: "errors")?.stringValue == "10")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 2)
        let cases = suites.flatMap { $0.elements(forName: "testcase") }
        #expect(cases.count == 12)
        let failure = cases.compactMap { $0.elements(forName: "failure").first }
        #expect(failure.count == 1)
        #expect(failure.first?.attribute(forName: "message")?.stringValue == "assertion failed: daily cap")
        #expect(cases.flatMap { $0.elements(forName: "error") }.count == 10)
        #expect(cases.first?.attribute(forName: "line")?.stringValue == "3")
    }

    @Test func checkGitHubAnnotations() throws {
        let r = try TallyBinary.run(["check", "--format", "github", Self.passFail])
        #expect(r.status == 1)
        let pattern = try NSRegularExpression(pattern: #"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[^,:]+::\S.*$"#)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 1)
        for line in lines {
            #expect(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil, "\(line)")
        }
        #expect(lines.first?.hasPrefix("::error file=\(Self.passFail),line=4,col=1,title=assertion failed::daily cap") == true)
        // Percent signs are escaped as GitHub requires.
        #expect(lines.first?.contains("%25") == true)
        let verbose = try TallyBinary.run(["check", "--format", "github", "--verbose", Self.passFail])
        #expect(verbose.stdout.split(separator: "\n").filter { $0.hasPrefix("::notice ") }.count == 1)
    }

    @Test func checkMarkdownAndText() throws {
        let md = try TallyBinary.run(["check", "--format", "markdown", Self.passFail])
        #expect(md.stdout.hasPrefix("### Tally check: 1 of 2 assertions failed\n"))
        // Text from the script is escaped for Markdown: `\$`, `\<`.
        #expect(md.stdout.contains("| ❌ | daily cap (\(Escaping.markdownText(Self.passFail)):4) | \\$17.64/day | \\< \\$10.00/day | −\\$7.64/day (−76.4%) |"))
        let text = try TallyBinary.run(["check", Self.passFail])
        #expect(text.stdout.contains("FAIL  \(Self.passFail):4"))
        #expect(text.stdout.contains("margin −$7.64/day (−76.4%)"))
    }

    @Test func checkExitStatuses() throws {
        #expect(try TallyBinary.run(["check", Self.allPass]).status == 0)
        #expect(try TallyBinary.run(["check", Self.passFail]).status == 1)
        #expect(try TallyBinary.run(["check", Self.broken]).status == 2)
        #expect(try TallyBinary.run(["check", "--format", "yaml", Self.allPass]).status == 2)
        #expect(try TallyBinary.run(["check", "no-such.tally"]).status == 2)
        #expect(try TallyBinary.run(["check", "--format", "json", "no-such.tally"]).status == 2)
    }

    @Test func outputIsTheSameBytesEveryTime() throws {
        for format in ["text", "json", "junit", "github", "markdown"] {
            let a = try TallyBinary.run(["check", "--format", format, Self.passFail, Self.allPass])
            let b = try TallyBinary.run(["check", "--format", format, Self.passFail, Self.allPass])
            #expect(a.stdout == b.stdout, "\(format)")
            #expect(!a.stdout.contains("\u{1B}["), "\(format)")
        }
    }

    @Test func evalSetOverridesALet() throws {
        let plan = Repository.examples + "/support.tally"
        let base = try TallyBinary.run(["eval", "-f", plan, "requests(chat)"])
        #expect(base.stdout == "91,250 requests/month\n")
        let swept = try TallyBinary.run(["eval", "-f", plan, "--set", "peak=5000/day", "requests(chat)"])
        // 5,000/day × 730 / 24 = 152,083.33 a month
        #expect(swept.stdout == "152,083.33 requests/month\n")
        let gate = try TallyBinary.run(["eval", "-f", plan, "--set", "peak=1M/day", "total < $8k/month"])
        #expect(gate.stdout == "false\n")
        #expect(gate.status == 1)
        #expect(try TallyBinary.run(["eval", "-f", plan, "total < $8k/month"]).status == 0)
        #expect(try TallyBinary.run(["eval", "--set", "peak", "1"]).status == 2)
        #expect(try TallyBinary.run(["eval", "--set", "peak=5 +", "1"]).status == 2)
        #expect(try TallyBinary.run(["eval", "--set", "x=4", "x * 2"]).stdout == "8\n")
    }

    func writeTemporary(_ text: String, name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func diffOfTwoScripts() throws {
        let directory = NSTemporaryDirectory() + "tally-diff-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = try writeTemporary("""
            workload chat < model sonnet-4.5; requests 3000/day; cache 60% >
            workload gone < model nova-micro; requests 1000/day >
            """, name: "old.tally", in: directory)
        let new = try writeTemporary("""
            workload chat < model sonnet-4.5; requests 3600/day; cache 60% >
            workload fresh < model nova-lite; requests 1000/day >
            """, name: "new.tally", in: directory)
        // chat: 3,600/day is 109,500 a month × $0.00588 = $643.86, +$107.31 (+20.0%) on $536.55
        let text = try TallyBinary.run(["diff", old, new])
        #expect(text.status == 0)
        #expect(text.stdout.contains("chat"))
        #expect(text.stdout.contains("$536.55"))
        #expect(text.stdout.contains("$643.86"))
        #expect(text.stdout.contains("+$107.31 (+20.0%)"))
        #expect(text.stdout.contains("requests 91,250/month → 109,500/month"))
        let json = try TallyBinary.run(["diff", "--format", "json", old, new])
        let diff = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(diff["schema"] as? Int == 1)
        let workloads = try #require(((diff["files"] as? [[String: Any]])?.first)?["workloads"] as? [[String: Any]])
        #expect(workloads.map { $0["name"] as? String ?? "" } == ["chat", "fresh", "gone"])
        #expect(workloads.map { $0["status"] as? String ?? "" } == ["changed", "added", "removed"])
        #expect(workloads.first?["usd_per_month_after"] as? String == "643.86")
        let md = try TallyBinary.run(["diff", "--format", "markdown", old, new])
        #expect(md.stdout.hasPrefix("### Tally cost diff\n"))
        #expect(md.stdout.contains("| chat | $536.55 | $643.86 | +$107.31 (+20.0%) | requests 91,250/month → 109,500/month |"))

        // The increase, chat +$107.31 plus fresh, less gone, against the limits:
        #expect(try TallyBinary.run(["diff", "--fail-above", "50%", old, new]).status == 0)
        #expect(try TallyBinary.run(["diff", "--fail-above", "10%", old, new]).status == 1)
        #expect(try TallyBinary.run(["diff", "--fail-above", "$500/month", old, new]).status == 0)
        #expect(try TallyBinary.run(["diff", "--fail-above", "$50/month", old, new]).status == 1)
        #expect(try TallyBinary.run(["diff", "--fail-above", "5 tokens", old, new]).status == 2)
        #expect(try TallyBinary.run(["diff", old]).status == 2)
        #expect(try TallyBinary.run(["diff", old, directory + "/missing.tally"]).status == 2)
        #expect(try TallyBinary.run(["diff", "--format", "csv", old, new]).status == 2)
    }

    func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Tally Tests", "-c", "user.email=tests@tally.invalid"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "git \(arguments)")
    }

    func tally(_ arguments: [String], in directory: String) throws -> TallyBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TallyBinary.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return TallyBinary.Result(stdout: stdout, stderr: stderr, status: process.terminationStatus)
    }

    @Test func diffAgainstAGitRevision() throws {
        let repo = NSTemporaryDirectory() + "tally-git-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: repo + "/plans", withIntermediateDirectories: true)
        try git(["init", "-q"], in: repo)
        _ = try writeTemporary("price team-model < input $2/1M tokens; output $4/1M tokens >\n", name: "plans/rates.tally", in: repo)
        _ = try writeTemporary("""
            import "rates.tally"
            workload chat < model sonnet-4.5; requests 3000/day; cache 60% >
            workload team < model team-model; requests 1000/month; input 1000 tokens; output 500 tokens >
            """, name: "plans/plan.tally", in: repo)
        try git(["add", "."], in: repo)
        try git(["commit", "-q", "-m", "first"], in: repo)
        // The second commit doubles the team model's rates; the working tree moves chat to Haiku.
        _ = try writeTemporary("price team-model < input $4/1M tokens; output $8/1M tokens >\n", name: "plans/rates.tally", in: repo)
        try git(["commit", "-q", "-am", "second"], in: repo)
        _ = try writeTemporary("""
            import "rates.tally"
            workload chat < model haiku-4.5; requests 3000/day; cache 60% >
            workload team < model team-model; requests 1000/month; input 1000 tokens; output 500 tokens >
            """, name: "plans/plan.tally", in: repo)

        // Against HEAD~1 the imported rates are read at that revision too:
        // team before: 1,000 × (1,000 × $2 + 500 × $4) / 1M = $4.00; after: × 2 = $8.00
        // chat before $536.55; after on Haiku: 91,250 × (400 × $1 + 600 × $0.10 + 300 × $5) / 1M = $178.85
        let r = try tally(["diff", "--git", "HEAD~1", "--format", "json", "plans/plan.tally"], in: repo)
        #expect(r.status == 0, "\(r.stderr)")
        let diff = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let file = try #require((diff["files"] as? [[String: Any]])?.first)
        #expect(file["before"] as? String == "HEAD~1")
        let workloads = try #require(file["workloads"] as? [[String: Any]])
        let chat = try #require(workloads.first { $0["name"] as? String == "chat" })
        #expect(chat["usd_per_month_before"] as? String == "536.55")
        #expect(chat["usd_per_month_after"] as? String == "178.85")
        #expect((chat["changes"] as? [[String: String]])?.first == ["field": "model", "before": "sonnet-4.5", "after": "haiku-4.5"])
        let team = try #require(workloads.first { $0["name"] as? String == "team" })
        #expect(team["usd_per_month_before"] as? String == "4")
        #expect(team["usd_per_month_after"] as? String == "8")

        // A file new since the revision: every workload is added.
        _ = try writeTemporary("workload extra < model nova-micro; requests 1000/day >\n", name: "plans/new.tally", in: repo)
        let added = try tally(["diff", "--git", "HEAD", "plans/new.tally"], in: repo)
        #expect(added.status == 0)
        #expect(added.stdout.contains("new"))
        let markdown = try tally(["diff", "--git", "HEAD", "--format", "markdown", "plans/plan.tally"], in: repo)
        #expect(markdown.stdout.contains("| chat | $536.55 | $178.85 | −$357.70 (−66.7%) | model sonnet-4.5 → haiku-4.5 |"))
        #expect(try tally(["diff", "--git", "no-such-rev", "plans/plan.tally"], in: repo).status == 2)
    }

    @Test func runCSVAndMarkdown() throws {
        let r = try TallyBinary.run(["run", "--format", "csv", Repository.fixtures + "/pricing/chat.tally"])
        let rows = r.stdout.split(separator: "\n")
        #expect(rows.first == "file,line,expression,workload,item,quantity,unit,rate,rate_unit,usd_per_month")
        #expect(rows.contains { $0.hasSuffix(",chat,chat,cache read,54750000,tokens,0.3,$/1M tokens,16.425") })
        #expect(rows.count == 1 + 4 + 3)
        let md = try TallyBinary.run(["run", "--format", "markdown", Repository.fixtures + "/pricing/chat.tally"])
        #expect(md.stdout.contains("| output | 27,375,000 tokens | $15.00/1M tokens | $410.63 |"))
    }

    @Test func ciExamplesUseTheReadmeCommands() {
        let github = Repository.read(Repository.examples + "/ci/github-actions.yml")
        let gitlab = Repository.read(Repository.examples + "/ci/gitlab-ci.yml")
        for text in [github, gitlab] {
            #expect(text.contains("Scripts/tally check --format"))
            #expect(text.contains("Scripts/tally diff --git"))
            #expect(text.contains("--format markdown"))
        }
    }
}
