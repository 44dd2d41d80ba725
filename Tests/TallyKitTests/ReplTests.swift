import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

@Suite struct InputShapeTests {
    @Test func unfinishedInputsContinue() {
        #expect(InputShape.needsMore("workload chat <"))
        #expect(InputShape.needsMore("agentcore bot <"))
        #expect(InputShape.needsMore("data-automation claims <"))
        #expect(InputShape.needsMore("workload chat < model sonnet-4.5"))
        #expect(InputShape.needsMore("let x = (1 +"))
        #expect(InputShape.needsMore("let x = 1 +"))
        #expect(InputShape.needsMore("show chat with <"))
        #expect(InputShape.needsMore("let y = 2 *"))
        #expect(!InputShape.needsMore("workload chat < model sonnet-4.5 >"))
        #expect(!InputShape.needsMore("chat < $600/month"))
        #expect(!InputShape.needsMore("let x = (1 + 2)"))
        #expect(!InputShape.needsMore("show chat # trailing < comment"))
    }

    @Test func oneLineKeepsTheMeaning() {
        let text = """
            workload chat <
              model sonnet-4.5   # the model
              requests 3000/day
              cache 60%
            >
            """
        #expect(InputShape.oneLine(text) == "workload chat < model sonnet-4.5 ; requests 3000/day ; cache 60% >")
        #expect(InputShape.oneLine("let x = (1 +\n  2)") == "let x = (1 + 2)")
        #expect(InputShape.oneLine("let a = 1\nlet b = a *\n 2") == "let a = 1 ; let b = a * 2")
        #expect(InputShape.oneLine("show $3/1M tokens") == "show $3/1M tokens")
    }

    @Test func oneLineEvaluatesLikeTheOriginal() throws {
        let text = "let peak = 3000/day\nworkload chat <\n  model sonnet-4.5\n  requests peak   # a let\n  cache 60%\n>\nshow chat in $/month, (chat +\n chat) in $/day"
        let a = runSource(text)
        let b = runSource(InputShape.oneLine(text))
        #expect(a.diagnostics.isEmpty && b.diagnostics.isEmpty)
        #expect(TextRenderer().render(a.shown) == TextRenderer().render(b.shown))
    }
}

@Suite(.serialized) struct HistoryFileTests {
    func temporaryPath() -> String {
        NSTemporaryDirectory() + "tally-history-\(UUID().uuidString)/state/history"
    }

    @Test func defaultPathFollowsTheEnvironment() {
        #expect(HistoryFile.defaultPath(environment: ["TALLY_HISTORY": "/x/h", "XDG_STATE_HOME": "/s", "HOME": "/home/u"]) == "/x/h")
        #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]) == "/s/tally/history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/tally/history")
        #expect(HistoryFile.defaultPath(environment: [:]) == nil)
    }

    @Test func appendCreatesAPrivateFileAndKeepsOrder() throws {
        let path = temporaryPath()
        let history = HistoryFile(path: path)
        try history.append("let a = 1")
        try history.append("show a")
        #expect(history.load() == ["let a = 1", "show a"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: Path.directory(of: path))
        #expect((directory[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func loadTrimsToTheLimit() throws {
        let path = temporaryPath()
        let history = HistoryFile(path: path, limit: 3)
        for i in 1...5 { try history.append("show \(i)") }
        #expect(history.load() == ["show 3", "show 4", "show 5"])
        #expect(Repository.read(path) == "show 3\nshow 4\nshow 5\n")
    }

    @Test func leadingSpaceAndBlankInputsAreNotRecorded() {
        #expect(HistoryFile.records("show 1"))
        #expect(!HistoryFile.records(" show 1"))
        #expect(!HistoryFile.records("   "))
    }
}

@Suite struct CompletionTests {
    let session = (try? Session.standard().get()) ?? Session(catalog: Catalog())

    func complete(_ line: String, pending: [String] = [], in session: Session? = nil) -> Completion {
        Completion.complete(line: line, cursor: line.count, pending: pending, session: session ?? self.session)
    }

    @Test func kindsAfterKindInAPriceBlockOnly() {
        #expect(complete("price m < kind ").candidates == ModelKind.allCases.map(\.rawValue).sorted())
        #expect(!complete("workload w < kind ").candidates.contains("embedding"))
    }

    @Test func modelNamesAfterModel() {
        let c = complete("workload chat < model sonn")
        #expect(c.replacing == 4)
        #expect(c.candidates.contains("sonnet-4.5") && c.candidates.contains("sonnet-3.7"))
        // The seed's reference model is the one Tab completes to.
        #expect(c.preferred == "sonnet-4.5")
        // Once the shared part is typed, every match is listed instead.
        #expect(complete("workload chat < model sonnet-").preferred == nil)
        #expect(complete("workload chat < model nova-mi").candidates == ["nova-micro"])
    }

    @Test func propertyNamesInsideBlocks() {
        #expect(complete("workload chat < model nova-pro; req").candidates == ["requests"])
        #expect(complete("workload chat < ca").candidates == ["cache"])
        #expect(complete("", pending: ["workload chat <", "  model nova-pro"]).candidates.contains("requests"))
        #expect(complete("knowledge-base kb < retriev").candidates == ["retrievals"])
        #expect(complete("price m < cache-w").candidates == ["cache-write", "cache-write-1h"])
        #expect(complete("workload w < model nova-pro; mode ba").candidates == ["batch"])
        #expect(complete("workload w < model nova-pro; guardrails con").candidates == ["content"])
        #expect(complete("agentcore bot < sess").candidates == ["session", "sessions"])
        #expect(complete("agentcore bot < compute co").candidates == ["code-interpreter"])
        #expect(complete("agentcore bot < records 10k; strategy se").candidates == ["self-managed"])
        #expect(complete("", pending: ["agentcore bot <", "  sessions 10k/day"]).candidates.contains("vcpu"))
        #expect(complete("data-automation d < docu").candidates == ["documents"])
        #expect(complete("data-automation d < documents 1k/day; output cu").candidates == ["custom"])
        // A workload's `output` takes tokens, not an output kind.
        #expect(!complete("workload w < model nova-pro; output cu").candidates.contains("custom"))
    }

    @Test func keywordsAndDeclaredNames() throws {
        var s = session
        _ = s.run(SourceFile(name: "t", text: "let peak = 3000/day"))
        #expect(complete("pe", in: s).candidates == ["peak"])
        #expect(complete("work").candidates == ["workload"])
        #expect(complete("show tot").candidates == ["total"])
    }

    @Test func metaCommandsAndPaths() throws {
        #expect(complete(":mo").candidates == [":models"])
        #expect(complete(":help pri").candidates == ["prices"])
        let directory = NSTemporaryDirectory() + "tally-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/plans", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/plan-a.tally", contents: Data())
        let c = complete(":load \(directory)/pla")
        #expect(c.candidates == ["plan-a.tally", "plans/"])
        #expect(c.replacing == 3)
    }
}

@Suite struct ReplTests {
    func repl() throws -> Repl {
        Repl(session: try Session.standard().get())
    }

    @Test func multiLineInputAndItsHistoryEntry() throws {
        var r = try repl()
        #expect(r.feed("workload chat <").stdout.isEmpty)
        #expect(r.prompt == Repl.continuationPrompt)
        let reply = r.feed("  model sonnet-4.5; requests 3000/day; cache 60% >")
        #expect(reply.stdout.contains("$536.55"))
        #expect(reply.historyEntry == "workload chat < model sonnet-4.5; requests 3000/day; cache 60% >")
        #expect(r.prompt == Repl.prompt)
    }

    @Test func interruptDropsThePendingInput() throws {
        var r = try repl()
        _ = r.feed("let x = (1 +")
        r.interrupt()
        #expect(r.pending.isEmpty)
        #expect(r.feed("1 + 1").stdout == "= 2\n")
    }

    @Test func failingInputLeavesEarlierNamesAndIsNotSaved() throws {
        var r = try repl()
        _ = r.feed("let a = 5")
        let failed = r.feed("let a = nope")
        #expect(failed.stderr.contains("unknown name `nope`"))
        #expect(r.feed("a").stdout == "= 5\n")
        #expect(r.transcript == ["let a = 5", "a"])
    }

    @Test func aLetRedeclaredAsAWorkloadCountsInTheTotal() throws {
        var r = try repl()
        _ = r.feed("let chat = 5")
        _ = r.feed("workload chat < model sonnet-4.5; requests 3000/day; cache 60% >")
        #expect(r.feed("total in $/month").stdout == "= $536.55/month\n")
        _ = r.feed("let chat = 6")
        #expect(r.feed("total in $/month").stdout == "= $0.00/month\n")
    }

    @Test func underscoreIsTheLastResult() throws {
        var r = try repl()
        _ = r.feed("3000/day in 1/month")
        #expect(r.feed("_ * 2").stdout == "= 182,500/month\n")
    }

    @Test func metaCommands() throws {
        var r = try repl()
        _ = r.feed("workload chat < model sonnet-4.5; requests 3000/day; cache 60% >")
        _ = r.feed("let peak = 5000/day")
        let list = r.feed(":list").stdout
        #expect(list.contains("chat") && list.contains("$536.55/month") && list.contains("peak"))
        let info = r.feed(":info chat").stdout
        #expect(info.contains("declared at <input 1>:1:10"))
        #expect(info.contains("bedrock.tally:"))
        #expect(r.feed(":info nova-micro").stdout.contains("$0.035"))
        #expect(r.feed(":models opus-4.5").stdout.contains("opus-4.5"))
        #expect(r.feed(":help").stdout.contains(":save FILE"))
        #expect(r.feed(":lst").stderr.contains("did you mean :list?"))
        #expect(r.feed(":quit").quit)
        _ = r.feed(":reset")
        #expect(r.feed(":list").stdout == "nothing declared yet\n")
    }

    @Test func saveWritesAScriptThatRunsToTheSameResult() throws {
        var r = try repl()
        _ = r.feed("let peak = 3000/day")
        _ = r.feed("workload chat <")
        _ = r.feed("  model sonnet-4.5; requests peak; cache 60% >")
        _ = r.feed("show nope")
        let shown = r.feed("chat in $/month").stdout
        let path = NSTemporaryDirectory() + "tally-save-\(UUID().uuidString).tally"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(r.feed(":save \(path)").stdout == "saved 3 inputs to \(path)\n")
        let output = Commands.eval(files: [path], expression: "chat in $/month")
        #expect(output.status == 0)
        #expect("= " + output.stdout == shown)
        #expect(!Repository.read(path).contains("nope"))
    }
}

@Suite struct ConcurrentHistoryTests {
    /// Two prompts appending at once, one of them trimming: every entry of
    /// both lands, whole, on its own line.
    @Test func twoWritersLoseNothing() async throws {
        let path = NSTemporaryDirectory() + "tally-history-\(UUID().uuidString)/history"
        let writers = 2
        let each = 400
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    let history = HistoryFile(path: path, limit: 10_000)
                    for i in 0..<each {
                        try? history.append("show \(w) + \(i) # writer \(w)")
                        if i % 50 == 0 { _ = history.load() }
                    }
                }
            }
        }
        let lines = Repository.read(path).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == writers * each)
        for w in 0..<writers {
            #expect(lines.filter { $0.hasSuffix("# writer \(w)") }.count == each)
        }
        #expect(lines.allSatisfy { $0.hasPrefix("show ") })
    }

    @Test func trimmingKeepsTheNewest() throws {
        let path = NSTemporaryDirectory() + "tally-history-\(UUID().uuidString)/history"
        let history = HistoryFile(path: path, limit: 5)
        for i in 0..<20 { try history.append("show \(i)") }
        #expect(history.load() == (15..<20).map { "show \($0)" })
    }
}

/// `total` at the prompt comes from sums kept as workloads are declared
/// (`PlanLedger`): after any sequence of declarations, redeclarations (a
/// workload becoming a one-off cost and back, a name rebound by `let`) it
/// says what adding up the plan afresh says.
@Suite struct PlanLedgerTests {
    @Test func keptSumsEqualASumFromScratch() throws {
        var repl = Repl(session: try Session.standard().get())
        var generator = Generator(state: 16)
        var accepted = 0
        for step in 0..<300 {
            let name = "w\(generator.below(12))"
            let input: String
            switch generator.below(6) {
            case 0: input = "cost \(name) < $\(generator.below(5_000) + 1).\(generator.below(100)); month \(generator.below(3) + 1) >"
            case 1: input = "let \(name) = \(generator.below(9))"
            case 2: input = "cost \(name) < $\(generator.below(900) + 1)/month >"
            default:
                let model = ["nova-lite", "sonnet-4.5", "llama-3.3-70b", "haiku-4.5"][generator.below(4)]
                let low = generator.below(9_000) + 1
                let requests = generator.below(2) == 0 ? "\(low)/day" : "\(low)..\(low + generator.below(500) + 1)/day"
                input = "workload \(name) < model \(model); requests \(requests); input \(generator.below(4_000) + 1) tokens >"
            }
            if repl.feed(input).stderr.isEmpty { accepted += 1 }
            let environment = repl.session.environment
            let kept = try environment.ledger.total()
            let fresh = try PlanTotal(environment.workloads.map(\.1))
            #expect(kept.total == fresh.total, "step \(step): \(input)")
            #expect(kept.upperTotal == fresh.upperTotal, "step \(step)")
            #expect(kept.costRate == fresh.costRate, "step \(step)")
            #expect(kept.breakdowns.map(\.name) == fresh.breakdowns.map(\.name), "step \(step)")
            #expect(kept.oneOffs.map(\.name) == fresh.oneOffs.map(\.name), "step \(step)")
        }
        #expect(accepted == 300)
        #expect(repl.feed("total").stdout.contains("total"))
    }
}
