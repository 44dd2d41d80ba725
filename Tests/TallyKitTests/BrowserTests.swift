import Foundation
import Testing
@testable import TallyKit
@testable import TallyQuantities
@testable import TallySyntax

/// HTML reports in a real browser: headless Chromium (Debian's package,
/// which Scripts/test installs and then requires) loads each report from a
/// golden input; the DOM it built must hold, in its tables, the figures the
/// JSON output gives (rounded as the text does); the page must ask for
/// nothing over the network; and a screenshot is kept in
/// `.build/screenshots/` for people to look at (not compared).
@Suite(.serialized) struct BrowserTests {
    static let plan = "Tests/Fixtures/html/plan.tally"

    static func chromium() -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Where a screenshot is kept: `.build/screenshots/NAME.png`; with
    /// TALLY_UPDATE_SCREENSHOTS=1 also `Docs/screenshots/NAME.png`, the README's.
    static func screenshot(_ name: String) -> String { Repository.root + "/.build/screenshots/\(name).png" }

    static func publish(_ name: String) throws {
        guard ProcessInfo.processInfo.environment["TALLY_UPDATE_SCREENSHOTS"] == "1" else { return }
        let target = Repository.root + "/Docs/screenshots/\(name).png"
        try FileManager.default.createDirectory(atPath: Repository.root + "/Docs/screenshots", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: screenshot(name), toPath: target)
    }

    /// Chromium's DOM after loading `html`, its log, and a screenshot at `png`.
    static func load(_ html: String, screenshot png: String) throws -> (dom: String, log: String)? {
        // Self-contained: nothing to fetch, no script.
        for reference in ["http://", "https://", "src=", "href=", "@import", "<script", "url(http", "file:"] {
            #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains(reference), "\(reference)")
        }
        #expect(html.hasPrefix("<!doctype html>") && html.hasSuffix("</html>\n"))
        guard let chromium = chromium() else {
            #expect(ProcessInfo.processInfo.environment["TALLY_CHROMIUM_REQUIRED"] == nil, "chromium is not on PATH")
            return nil
        }
        let directory = try scratchDirectory("browser")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = directory + "/report.html"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-background-networking",
                     "--no-first-run", "--enable-logging=stderr", "--v=0", "--user-data-dir=\(directory)/profile",
                     "--host-resolver-rules=MAP * ~NOTFOUND"]
        let dom = try runProgram(chromium, flags + ["--dump-dom", "file://" + page], environment: ["HOME": directory])
        try FileManager.default.createDirectory(atPath: Path.directory(of: png), withIntermediateDirectories: true)
        let shot = try runProgram(chromium, flags + ["--window-size=1000,1800", "--screenshot=\(png)", "file://" + page], environment: ["HOME": directory])
        #expect(shot.status == 0 && FileManager.default.fileExists(atPath: png), "\(shot.stderr)")
        let log = dom.stderr + shot.stderr
        #expect(!log.contains("CONSOLE") && !log.contains("ERR_NAME_NOT_RESOLVED") && !log.contains("ERR_FILE_NOT_FOUND"), "\(log)")
        return (String(decoding: dom.stdout, as: UTF8.self), log)
    }

    /// Every `<td>` of the DOM's tables, in order.
    static func cells(_ dom: String) -> [String] {
        var out: [String] = []
        var rest = dom[...]
        while let open = rest.range(of: "<td"), let close = rest[open.upperBound...].range(of: ">"),
              let end = rest[close.upperBound...].range(of: "</td>") {
            out.append(String(rest[close.upperBound..<end.lowerBound])
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">"))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// A JSON exact decimal as the text and HTML show money.
    static func money(_ exact: Any?) -> String? {
        guard let text = exact as? String, let value = Rational(decimalLiteral: Substring(text)) else { return nil }
        return Format.money(value)
    }

    @Test func theRunReportInABrowserHoldsTheJSONFigures() throws {
        let html = try TallyBinary.run(["run", "--format", "html", Self.plan])
        #expect(html.status == 0 && html.stderr.isEmpty)
        #expect(try TallyBinary.run(["run", "--format", "html", Self.plan]).stdout == html.stdout, "the same bytes each run")
        guard let (dom, log) = try Self.load(html.stdout, screenshot: Self.screenshot("run")) else { return }
        #expect(!log.contains("CONSOLE"), "\(log)")
        #expect(!log.contains("ERR_NAME_NOT_RESOLVED"), "a request went out: \(log)")
        let cells = Self.cells(dom)

        let json = try TallyBinary.run(["run", "--format", "json", Self.plan])
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        var checked = 0
        for item in items {
            guard let result = item["result"] as? [String: Any] else { continue }
            // A breakdown's lines, the total's workloads, the comparison's rows, the forecast's
            // months and the tag groups: each figure is a cell.
            for key in ["lines", "workloads", "compare", "months", "groups"] {
                for entry in result[key] as? [[String: Any]] ?? [] {
                    for field in ["usd", "usd_per_month"] {
                        guard let shown = Self.money(entry[field]) else { continue }
                        #expect(cells.contains(shown), "\(key).\(field) \(shown) is not in a table")
                        checked += 1
                    }
                }
            }
            if let total = Self.money(result["usd_per_month"] ?? result["usd_total"]) {
                #expect(cells.contains(total) || cells.contains { $0.hasPrefix(total) }, "total \(total)")
                checked += 1
            }
        }
        #expect(checked >= 15, "figures compared: \(checked)")
    }

    @Test func theCheckReportInABrowserNamesEveryVerdict() throws {
        let html = try TallyBinary.run(["check", "--format", "html", "Tests/Fixtures/check/tag-budgets.tally"])
        #expect(html.status == 1)
        guard let (dom, log) = try Self.load(html.stdout, screenshot: Self.screenshot("check")) else { return }
        #expect(!log.contains("CONSOLE"), "\(log)")
        let cells = Self.cells(dom)
        // Verdicts in words, not colour alone.
        #expect(cells.filter { $0 == "FAIL" }.count == 2 && cells.filter { $0 == "pass" }.count == 3, "\(cells)")
        let json = try TallyBinary.run(["check", "--format", "json", "Tests/Fixtures/check/tag-budgets.tally"])
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        for assertion in report?["assertions"] as? [[String: Any]] ?? [] {
            let actual = Self.money((assertion["actual"] as? [String: Any])?["value"]).map { $0 + "/month" }
            #expect(actual.map { cells.contains($0) } == true, "\(actual ?? "?") is not in the table")
        }
    }

    @Test func theDiffReportInABrowserHoldsTheJSONFigures() throws {
        let directory = try scratchDirectory("browser-diff")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = Repository.read(Repository.root + "/Examples/support.tally")
        try plan.write(toFile: directory + "/before.tally", atomically: true, encoding: .utf8)
        try plan.replacingOccurrences(of: "let peak = 3000/day", with: "let peak = 3600/day")
            .replacingOccurrences(of: "model opus-4.5", with: "model sonnet-4.5")
            .write(toFile: directory + "/after.tally", atomically: true, encoding: .utf8)
        let html = try TallyBinary.run(["diff", "--format", "html", "before.tally", "after.tally"], directory: directory)
        #expect(html.status == 0 && html.stderr.isEmpty, "\(html.stderr)")
        guard let (dom, log) = try Self.load(html.stdout, screenshot: Self.screenshot("diff")) else { return }
        #expect(!log.contains("CONSOLE"), "\(log)")
        let cells = Self.cells(dom)
        let json = try TallyBinary.run(["diff", "--format", "json", "before.tally", "after.tally"], directory: directory)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        var checked = 0
        for file in report?["files"] as? [[String: Any]] ?? [] {
            for workload in file["workloads"] as? [[String: Any]] ?? [] {
                for field in ["usd_per_month_before", "usd_per_month_after"] {
                    guard let shown = Self.money(workload[field]) else { continue }
                    #expect(cells.contains(shown), "\(field) \(shown) is not in the table")
                    checked += 1
                }
            }
        }
        #expect(checked == 8, "figures compared: \(checked)")
    }

    @Test func theReconcileReportInABrowserHoldsTheJSONFigures() throws {
        let arguments = ["reconcile", "Tests/Fixtures/reconcile/plan.tally", "Tests/Fixtures/reconcile/logs", "--from", "2026-11-03", "--to", "2026-11-04"]
        let html = try TallyBinary.run(arguments + ["--format", "html"])
        #expect(html.status == 0 && html.stderr.isEmpty, "\(html.stderr)")
        guard let (dom, log) = try Self.load(html.stdout, screenshot: Self.screenshot("reconcile")) else { return }
        try Self.publish("reconcile")
        #expect(!log.contains("CONSOLE"), "\(log)")
        let cells = Self.cells(dom)
        let json = try TallyBinary.run(arguments + ["--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        var checked = 0
        for workload in report?["workloads"] as? [[String: Any]] ?? [] where workload["usd_actual"] is String {
            for field in ["usd_planned", "usd_actual"] {
                guard let shown = Self.money(workload[field]) else { continue }
                #expect(cells.contains(shown), "\(field) \(shown) is not in the table")
                checked += 1
            }
        }
        for field in ["usd_planned", "usd_actual"] {
            guard let shown = Self.money(report?[field]) else { continue }
            #expect(cells.contains(shown), "total \(field) \(shown)")
            checked += 1
        }
        #expect(checked >= 6, "figures compared: \(checked)")
    }

    @Test func theForecastPictureForTheReadme() throws {
        let html = try TallyBinary.run(["run", "--format", "html", "Tests/Fixtures/html/forecast.tally"])
        #expect(html.status == 0)
        guard let (dom, _) = try Self.load(html.stdout, screenshot: Self.screenshot("forecast")) else { return }
        try Self.publish("forecast")
        let json = try TallyBinary.run(["run", "--format", "json", "Tests/Fixtures/html/forecast.tally"])
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let months = (items.first?["result"] as? [String: Any])?["months"] as? [[String: Any]] ?? []
        #expect(months.count == 12)
        let cells = Self.cells(dom)
        for month in months { #expect(Self.money(month["usd"]).map { cells.contains($0) } == true) }
        // The README shows the pictures this test makes.
        let readme = Repository.read(Repository.root + "/README.md")
        for name in ["forecast", "reconcile"] {
            #expect(readme.contains("](Docs/screenshots/\(name).png)"), "the README shows \(name).png")
            #expect(FileManager.default.fileExists(atPath: Repository.root + "/Docs/screenshots/\(name).png"))
        }
    }

    @Test func theUsageReportByDayInABrowserHoldsTheJSONFigures() throws {
        let arguments = ["usage", "Tests/Fixtures/usage/logs", "--script", "Tests/Fixtures/usage/profiles.tally", "--by", "day"]
        let html = try TallyBinary.run(arguments + ["--format", "html"])
        #expect(html.status == 0)
        #expect(html.stdout.contains("<polyline"), "by day is a line through the days")
        guard let (dom, log) = try Self.load(html.stdout, screenshot: Self.screenshot("usage")) else { return }
        #expect(!log.contains("CONSOLE"), "\(log)")
        // Every dollar figure in the tables, as a number.
        let shown = Set(Self.cells(dom).compactMap { cell -> Rational? in
            guard cell.hasPrefix("$") else { return Rational(decimalLiteral: Substring(cell)) }
            return Rational(decimalLiteral: Substring(cell.dropFirst().replacingOccurrences(of: ",", with: "")))
        }.map(\.description))
        let json = try TallyBinary.run(arguments + ["--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let groups = report?["groups"] as? [[String: Any]] ?? []
        #expect(groups.count == 3)
        for group in groups {
            let usd = (group["usd"] as? String).flatMap { Rational(decimalLiteral: Substring($0)) }
            #expect(usd.map { shown.contains($0.description) } == true, "\(group["usd"] ?? "?") is not in a table")
        }
    }
}
