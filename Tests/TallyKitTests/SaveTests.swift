import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// `:save` writes a script that `tally run` reproduces.
@Suite struct SaveTests {
    func repl() throws -> Repl {
        Repl(session: try Session.standard().get())
    }

    func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "tally-save-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The saved script without its header.
    func body(_ path: String) -> String {
        String(Repository.read(path).dropFirst(SavedScript.header.count))
    }

    /// True when `text` holds each fragment, in order.
    func holdsInOrder(_ text: String, _ fragments: [String]) -> Bool {
        var rest = text[...]
        for fragment in fragments {
            guard let found = rest.range(of: fragment) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }

    enum Printed {
        /// Not printed, or printed only at the prompt (a declared workload's breakdown).
        case nothing
        /// A `show`: `tally run` prints the same.
        case same
        /// An expression: the prompt printed `= VALUE`, the script shows `… = VALUE`.
        case value
        /// Printed at the prompt, but not replayed: the script keeps it as a comment.
        case commentedOut
    }

    @Test func aLongSessionRoundTrips() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/plans", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/out", withIntermediateDirectories: true)
        try """
            # shared prices
            price haiku-4.5 < input $0.8/1M tokens; source "our contract" >
            let base = 2000/day

            """.write(toFile: directory + "/plans/prices.tally", atomically: true, encoding: .utf8)
        try """
            import "prices.tally"
            workload bot < model haiku-4.5; requests base; tag team=help >
            bot in $/month

            """.write(toFile: directory + "/plans/plan.tally", atomically: true, encoding: .utf8)

        var r = try repl()
        let session: [(String, Printed)] = [
            (":load \(directory)/plans/plan.tally", .nothing),
            ("let peak = 3000/day", .nothing),
            ("workload chat <\n  model sonnet-4.5\n  requests peak; cache 60% >", .nothing),
            ("workload triage < model nova-micro; requests 40k/day; input 300 tokens; output 20 tokens; tag team=ops >", .nothing),
            ("show chat", .commentedOut),
            ("chat in $/day", .value),
            ("_ * 30", .value),
            ("let monthly = _", .nothing),
            ("show monthly", .same),
            ("let peak = 5000/day", .nothing),
            ("show peak, peak in 1/month", .same),
            ("workload chat < model haiku-4.5; requests peak; cache 20% >", .nothing),
            ("show chat", .same),
            ("show chat with < model nova-pro; cache 0% >", .same),
            ("let alt = chat with < requests 1000/day >", .nothing),
            ("alt in $/month", .value),
            ("show total", .same),
            ("show total by tag team", .same),
            ("compare chat, alt", .same),
            ("forecast total over 2 months growth 10%/month", .same),
            ("assert total < $8k/month, \"budget\"", .nothing),
            ("assert total by tag team < $8k/month, \"teams\"", .nothing),
            ("region eu-central-1", .nothing),
            ("workload eu < model nova-pro; requests 100/day >", .nothing),
            ("eu in $/month", .value),
            ("show nope", .nothing),   // an error: not saved
        ]
        var fragments: [String] = []
        var commented: [String] = []
        for (input, printed) in session {
            var reply = Repl.Reply()
            for line in input.split(separator: "\n") { reply = r.feed(String(line)) }
            #expect(reply.stderr.isEmpty || input == "show nope", "\(input): \(reply.stderr)")
            switch printed {
            case .nothing: break
            case .same: fragments.append(reply.stdout)
            case .value:
                #expect(reply.stdout.hasPrefix("= "))
                fragments.append(" = " + reply.stdout.dropFirst(2))
            case .commentedOut: commented.append(input)
            }
        }
        // The :load printed its last expression; the script shows it first.
        fragments.insert("bot in $/month = $139.92/month\n", at: 0)

        let path = directory + "/out/saved.tally"
        let saved = r.feed(":save \(path)")
        #expect(saved.stdout == "saved 25 inputs to \(path)\n")
        #expect(saved.stderr.contains("`show chat` (<input 4>:1:1)"))
        let script = body(path)
        for input in commented { #expect(script.contains("# (not replayed) \(input)\n")) }
        #expect(!script.contains("_"))
        #expect(!script.contains("nope"))
        #expect(script.contains("\nassert total by tag team < $8k/month, \"teams\"\n"), "a grouped assert is replayed, not commented out")
        #expect(!script.split(separator: "\n").contains { $0.hasPrefix("import") }, "imports are included in place")

        let run = try TallyBinary.run(["run", path])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        // A rate declared in a script cites its line: the saved file's now.
        let declaredPrice = try NSRegularExpression(pattern: "\\[(\\d)\\] \\S*(prices|saved)\\.tally:\\d+: our contract")
        func citing(_ text: String) -> String {
            declaredPrice.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "[$1] our contract")
        }
        #expect(holdsInOrder(citing(run.stdout), fragments.map(citing)), "\(run.stdout)")
        // Worked out by hand: 2,000/day is 60,833.33 requests a month of 1,000
        // input tokens at $0.80/1M ($48.67) and 300 output at $5/1M ($91.25).
        #expect(run.stdout.contains("bot in $/month = $139.92/month\n"))
        // `total` lists the workloads where they were first declared.
        #expect(holdsInOrder(run.stdout, ["total — 3 workloads", "  bot ", "  chat ", "  triage "]))

        let check = try TallyBinary.run(["check", path])
        #expect(check.status == 0)
        #expect(check.stdout.contains("budget"))
    }

    @Test func anEarlierLetThatIsStillUsedKeepsAFreshName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["let peak = 3000/day", "workload chat < model sonnet-4.5; requests peak; cache 60% >", "show peak",
                      "let peak = 5000/day", "show peak", "let unused = 1", "let unused = 2"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let path = directory + "/saved.tally"
        #expect(r.feed(":save \(path)").stderr.isEmpty)
        #expect(body(path) == """
            let peak-1 = 3000/day
            workload chat < model sonnet-4.5; requests peak-1; cache 60% >
            show peak-1
            let peak = 5000/day
            show peak
            let unused = 2

            """)
        let run = try TallyBinary.run(["run", path])
        #expect(run.status == 0)
        #expect(run.stdout == "peak-1 = 3,000/day\npeak = 5,000/day\n")
        let eval = try TallyBinary.run(["eval", "-f", path, "chat in $/month"])
        #expect(eval.stdout == "$536.55/month\n")
    }

    @Test func aRenamedLetIsNotAPropertyOfTheSameName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["let cache = 60%", "let tag = 1", "workload chat < model sonnet-4.5; requests 3000/day; cache cache; tag tag=tag >",
                      "let cache = 70%", "let tag = 2", "show chat with < cache cache >"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let path = directory + "/saved.tally"
        #expect(r.feed(":save \(path)").stderr.isEmpty)
        #expect(body(path) == """
            let cache-1 = 60%
            workload chat < model sonnet-4.5; requests 3000/day; cache cache-1; tag tag=tag >
            let cache = 70%
            let tag = 2
            show chat with < cache cache >

            """)
        #expect(try TallyBinary.run(["run", path]).status == 0)
    }

    /// `output custom` in a data-automation block names an output, not a let called `custom`.
    @Test func anOutputKindIsNotALet() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["let custom = 1", "data-automation d < documents 1k/month; output custom >", "let custom = 2", "show d in $/month"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let path = directory + "/saved.tally"
        #expect(r.feed(":save \(path)").stderr.isEmpty)
        #expect(body(path).contains("data-automation d < documents 1k/month; output custom >\n"))
        let run = try TallyBinary.run(["run", path])
        #expect(run.status == 0)
        // 1,000 pages × $0.040
        #expect(run.stdout.hasSuffix("d in $/month = $40.00/month\n"))
    }

    @Test func underscoreBecomesALetOfAFreshName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["let result-1 = 7", "workload chat < model sonnet-4.5; requests 3000/day; cache 60% >",
                      "chat with < cache 0% >", "_ in $/day", "_ * 2"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let path = directory + "/saved.tally"
        _ = r.feed(":save \(path)")
        #expect(body(path) == """
            let result-1 = 7
            workload chat < model sonnet-4.5; requests 3000/day; cache 60% >
            let result-2 = chat with < cache 0% >
            show result-2
            let result-3 = result-2 in $/day
            show result-3
            show result-3 * 2

            """)
        let run = try TallyBinary.run(["run", path])
        #expect(run.status == 0)
        // Without the cache: 91,250 requests × (1,000 × $3 + 300 × $15)/1M = $684.38 a month, $22.50 a day.
        // The saved script names the variant it binds.
        #expect(run.stdout.contains("result-2 — Claude Sonnet 4.5"))
        #expect(run.stdout.hasSuffix("result-3 = $22.50/day\nresult-3 * 2 = $45.00/day\n"))
    }

    @Test func aRedeclaredWorkloadStaysWhereTotalListsIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["workload a < model nova-micro; requests 1000/day >", "workload b < model nova-lite; requests 1000/day >",
                      "let n = 2000/day", "workload a < model nova-micro; requests n >"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let shown = r.feed("show total").stdout
        let path = directory + "/saved.tally"
        #expect(r.feed(":save \(path)").stderr.isEmpty)
        // `a` goes where it was first declared, with the `let` it uses.
        #expect(body(path) == """
            let n = 2000/day
            workload a < model nova-micro; requests n >
            workload b < model nova-lite; requests 1000/day >
            show total

            """)
        let run = try TallyBinary.run(["run", path])
        #expect(run.status == 0)
        #expect(run.stdout == shown)
        #expect(holdsInOrder(run.stdout, ["  a ", "  b "]))
    }

    @Test func whatCannotBeReplayedIsLeftAsAComment() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["workload a < model nova-micro; requests 1000/day >", "workload b < model nova-lite; requests 1000/day >",
                      "let n = requests(b) / 2", "workload a < model nova-micro; requests n >", "show total", "total in $/month"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let path = directory + "/saved.tally"
        let saved = r.feed(":save \(path)")
        // `n` needs `b`, declared after `a` first was: `a` stays at its own
        // place, so `total` would list it after `b` and is not shown; its sum is.
        #expect(body(path) == """
            workload b < model nova-lite; requests 1000/day >
            let n = requests(b) / 2
            workload a < model nova-micro; requests n >
            # (not replayed) show total
            show total in $/month

            """)
        #expect(saved.stderr.contains("`show total` (<input 5>:1:1)"))
        let run = try TallyBinary.run(["run", path])
        #expect(run.status == 0)
        // 30,416.67 requests a month of Nova Lite: 1,000 input tokens at $0.06/1M
        // ($1.825) and 300 output at $0.24/1M ($2.19); half as many of Nova Micro at
        // $0.035/1M ($0.532) and $0.14/1M ($0.639): $5.186 in all.
        #expect(run.stdout == "total in $/month = $5.19/month\n")
    }

    @Test func aStaleLetIsWrittenAsItsValue() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var r = try repl()
        for input in ["workload chat < model sonnet-4.5; requests 3000/day; cache 60% >", "let daily = chat in $/day",
                      "workload chat < model haiku-4.5; requests 3000/day >"] {
            #expect(r.feed(input).stderr.isEmpty)
        }
        let path = directory + "/saved.tally"
        #expect(r.feed(":save \(path)").stderr.isEmpty)
        // $536.55/month of the first `chat` is $17.64/day: 536.55 × 12 / 365 = 17.6400 exactly.
        #expect(body(path).contains("let daily = 17.64 * $ / day\n"))
        let eval = try TallyBinary.run(["eval", "-f", path, "daily"])
        #expect(eval.stdout == "$17.64/day\n")
    }

    /// Every example and fixture that loads without error saves to a script
    /// that runs the same, with nothing left out.
    @Test func everyLoadedFileSavesToAScriptThatRunsTheSame() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = Repository.files(under: "Examples", extension: "tally") + Repository.files(under: "Tests/Fixtures", extension: "tally")
        var saved = 0
        for (n, file) in files.enumerated() {
            // A `usage` reads logs relative to its script: saved elsewhere, the
            // saver keeps it as a comment and says so.
            if Repository.read(file).split(separator: "\n").contains(where: { $0.hasPrefix("usage ") }) { continue }
            var r = try repl()
            let loaded = r.feed(":load \(Repository.root)/\(file)")
            guard !loaded.stderr.contains("error") else { continue }
            let path = directory + "/saved-\(n).tally"
            let reply = r.feed(":save \(path)")
            #expect(reply.stdout == "saved 1 input to \(path)\n", "\(file)")
            #expect(reply.stderr.isEmpty, "\(file): \(reply.stderr)")
            var original = try Session.standard().get()
            let before = original.run(SourceFile(name: Repository.root + "/" + file, text: Repository.read(file)))
            var again = try Session.standard().get()
            let after = again.run(SourceFile(name: path, text: Repository.read(path)))
            #expect(after.exitStatus == before.exitStatus, "\(file)")
            #expect(after.diagnostics.filter { $0.severity == .error }.isEmpty, "\(file)")
            // The same items, in order, and the value the load printed last.
            #expect(after.shown.count == before.shown.count + (before.lastValue == nil ? 0 : 1), "\(file)")
            var rest = after.shown[...]
            var inOrder = true
            for item in before.shown {
                guard let at = rest.firstIndex(where: { SavedScript.same($0, item) }) else {
                    inOrder = false
                    break
                }
                rest = rest[(at + 1)...]
            }
            #expect(inOrder, "\(file)")
            saved += 1
        }
        #expect(saved >= 20)
    }

    @Test func quantitiesAreWrittenExactly() throws {
        let cases = ["$536.55/month", "3000/day", "1/3 * 1 tokens", "$8k/month in $/day", "2k..5k/day", "-$2.5 * 1/3",
                     "-(40%..60%)", "12 months", "$0.024/GB/month", "$3/1M tokens", "1200 tokens / 1 requests",
                     "$1 * $1", "1000000000000000000000000000000 * 1/7", "1/100000000000000000000000000000 * $1/week",
                     "true", "1 > 2", "\"a \\\"quoted\\\" line\\nand a tab\\t\""]
        for text in cases {
            let value = try evaluate(text).get()
            let literal = try #require(SavedScript.literal(value), "\(text)")
            let again = try evaluate(literal).get()
            #expect(SavedScript.same(value, again), "\(text) → \(literal)")
            if case .quantity(let q) = value, case .quantity(let r) = again {
                #expect(q.timeUnit?.singular == r.timeUnit?.singular, "\(text) → \(literal)")
                #expect(TextRenderer().render(value) == TextRenderer().render(again), "\(text) → \(literal)")
            }
        }
        let workload = try evaluate("chat", after: "workload chat < model nova-micro; requests 1/day >").get()
        #expect(SavedScript.literal(workload) == nil)
    }
}
