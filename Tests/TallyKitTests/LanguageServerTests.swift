import Foundation
import Testing
@testable import TallyKit
@testable import TallyRender
@testable import TallySyntax

/// `tally lsp`: a scripted editor session against the server, in process
/// and over standard input and output with the protocol's framing.
@Suite struct LanguageServerTests {
    /// An editor's side of the conversation, in process.
    struct Client {
        var server: LanguageServer
        var nextID = 1

        init() throws {
            server = LanguageServer(session: try Session.standard().get())
        }

        static func object(_ message: JSON) -> [String: Any] {
            let data = Data(message.rendered().utf8)
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }

        /// Sends a request; returns its result and any notifications sent before it.
        mutating func request(_ method: String, _ params: [String: Any] = [:]) throws -> (result: Any?, notifications: [[String: Any]]) {
            let id = nextID
            nextID += 1
            let body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": id, "method": method, "params": params])
            let replies = server.handle(Array(body)).map(Client.object)
            let answer = replies.first { ($0["id"] as? Int) == id }
            #expect(answer != nil, "no answer to \(method)")
            if let error = answer?["error"] { Issue.record("\(method) failed: \(error)") }
            return (answer?["result"], replies.filter { $0["method"] != nil })
        }

        mutating func notify(_ method: String, _ params: [String: Any]) throws {
            let body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "method": method, "params": params])
            #expect(server.handle(Array(body)).isEmpty)
        }

        /// The diagnostics published once input is quiet.
        mutating func diagnostics() -> [[String: Any]] {
            let published = server.analyzePending().map(Client.object)
            return published.compactMap { ($0["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] }.last ?? []
        }
    }

    static let uri = "file://" + Repository.root + "/Tests/Fixtures/lsp-session.tally"
    static let text = """
        let peak = 3000/day
        workload chat < model sonnet-4.5; requests peak; cache 60% >
        assert chat < $600/month, "chat budget"
        show chat / requests(chat)

        """

    static func at(_ line: Int, _ character: Int) -> [String: Any] {
        ["textDocument": ["uri": uri], "position": ["line": line, "character": character]]
    }

    @Test func aScriptedEditorSession() throws {
        var client = try Client()
        let initialized = try client.request("initialize", ["processId": NSNull(), "rootUri": NSNull(), "capabilities": [:]])
        let capabilities = (initialized.result as? [String: Any])?["capabilities"] as? [String: Any]
        #expect(capabilities?["hoverProvider"] as? Bool == true && capabilities?["inlayHintProvider"] as? Bool == true)
        try client.notify("initialized", [:])

        // Open: no diagnostics for a script that runs.
        try client.notify("textDocument/didOpen", ["textDocument": ["uri": Self.uri, "languageId": "tally", "version": 1, "text": Self.text]])
        #expect(client.diagnostics().isEmpty)

        // Inline costs: the workload's monthly cost at the end of its declaration, the assertion's margin.
        let hints = try client.request("textDocument/inlayHint", ["textDocument": ["uri": Self.uri],
                                                                  "range": ["start": ["line": 0, "character": 0], "end": ["line": 9, "character": 0]]])
        let labels = (hints.result as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? []
        #expect(labels == [" = $536.55/month", " ✓ holds: $536.55/month, margin +$63.45/month"])
        let first = (hints.result as? [[String: Any]])?.first?["position"] as? [String: Int]
        #expect(first == ["line": 1, "character": 60])

        // Hover on the workload's name where it is used, and on the model.
        let hoverChat = try client.request("textDocument/hover", Self.at(2, 8))
        let chatText = ((hoverChat.result as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String ?? ""
        #expect(chatText.contains("chat — Claude Sonnet 4.5 (sonnet-4.5)") && chatText.contains("$536.55"))
        let hoverModel = try client.request("textDocument/hover", Self.at(1, 25))
        let modelText = ((hoverModel.result as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String ?? ""
        #expect(modelText.contains("sonnet-4.5") && modelText.contains("$3.00/1M"))

        // Go to the definition of `peak` from its use.
        let definition = try client.request("textDocument/definition", Self.at(1, 45))
        let range = (definition.result as? [String: Any])?["range"] as? [String: [String: Int]]
        #expect(range?["start"] == ["line": 0, "character": 4] && range?["end"] == ["line": 0, "character": 8])

        // Symbols: the let and the workload.
        let symbols = try client.request("textDocument/documentSymbol", ["textDocument": ["uri": Self.uri]])
        #expect((symbols.result as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["peak", "chat"])

        // Change: an error appears, located in UTF-16 units (the emoji counts two).
        let changed = "# café\nworkload chat < tag note=\"😀\"; model sonnet-4.5; requests peek >\n"
        try client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 2], "contentChanges": [["text": changed]]])
        let errors = client.diagnostics()
        #expect(errors.count == 1)
        #expect(errors.first?["message"] as? String == "unknown name `peek`\nhint: did you mean `peak`?" || (errors.first?["message"] as? String)?.hasPrefix("unknown name `peek`") == true)
        #expect((errors.first?["range"] as? [String: [String: Int]])?["start"] == ["line": 1, "character": 58])

        // Completion: models after `model`, with their rates; properties at a property's start.
        try client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 3],
                                                     "contentChanges": [["text": "workload w < model son"]]])
        let models = try client.request("textDocument/completion", Self.at(0, 22))
        let items = models.result as? [[String: Any]] ?? []
        #expect(items.contains { $0["label"] as? String == "sonnet-4.5" && ($0["detail"] as? String)?.contains("input $3.00/1M tokens") == true })
        #expect(models.notifications.count == 1, "a request on a changed document publishes its diagnostics first")
        try client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 4],
                                                     "contentChanges": [["text": "workload w < model sonnet-4.5; req"]]])
        let properties = try client.request("textDocument/completion", Self.at(0, 34))
        #expect((properties.result as? [[String: Any]])?.compactMap { $0["label"] as? String } == ["requests"])

        // Formatting: `tally fmt`'s layout as one edit of the whole text.
        try client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 5],
                                                     "contentChanges": [["text": "let  x=1+2\nworkload w <model nova-micro;requests 10/day>\n"]]])
        let edits = try client.request("textDocument/formatting", ["textDocument": ["uri": Self.uri], "options": ["tabSize": 2, "insertSpaces": true]])
        let edit = (edits.result as? [[String: Any]])?.first
        #expect(edit?["newText"] as? String == SourceFormatter.format("let  x=1+2\nworkload w <model nova-micro;requests 10/day>\n"))
        #expect(edit?["newText"] as? String != "let  x=1+2\nworkload w <model nova-micro;requests 10/day>\n")
        #expect((edit?["range"] as? [String: [String: Int]])?["end"] == ["line": 2, "character": 0])

        let shutdown = try client.request("shutdown")
        #expect(shutdown.result is NSNull)
        try client.notify("exit", [:])
        #expect(client.server.exitStatus == 0)
    }

    @Test func badMessagesGetErrorsNotCrashes() throws {
        var client = try Client()
        let replies = client.server.handle(Array("{not json".utf8)).map(Client.object)
        #expect((replies.first?["error"] as? [String: Any])?["code"] as? Int == -32700)
        let unknown = client.server.handle(Array(#"{"jsonrpc":"2.0","id":"a","method":"no/such"}"#.utf8)).map(Client.object)
        #expect(unknown.first?["id"] as? String == "a" && (unknown.first?["error"] as? [String: Any])?["code"] as? Int == -32601)
        // About a document never opened: null.
        #expect(try client.request("textDocument/hover", Self.at(0, 0)).result is NSNull)
        // Deep nesting is refused by the reader, never recursed into.
        let deep = String(repeating: "[", count: 100_000)
        #expect(client.server.handle(Array(deep.utf8)).count == 1)
        try client.notify("exit", [:])
        #expect(client.server.exitStatus == 1, "exit without shutdown")
    }

    @Test func fileURIsArePercentEncodedBothWays() {
        // Space 0x20, ç C3 A7, tab 0x09 (two digits, zero first).
        #expect(LanguageServer.uri(of: "/tmp/a b/ç\t.tally") == "file:///tmp/a%20b/%C3%A7%09.tally")
        #expect(LanguageServer.path(of: "file:///tmp/a%20b/%C3%A7%09.tally") == "/tmp/a b/ç\t.tally")
        #expect(LanguageServer.path(of: "file:///tmp/x%00y") == nil)
        #expect(LanguageServer.path(of: "untitled:Untitled-1") == nil)
        #expect(LanguageServer.path(of: "file:///tmp/bad%FF") == nil)
    }

    @Test func positionsCountUTF16Units() {
        let file = SourceFile(name: "t", text: "a😀b\nçd\r\nx")
        #expect(file.lspPosition(of: 5) == (0, 3))  // after the emoji: 1 + 2 units
        #expect(file.lspPosition(of: 9) == (1, 1))  // after ç (two bytes)
        #expect(file.offset(line: 0, character: 3) == 5)
        #expect(file.offset(line: 1, character: 99) == 10)  // clamped to the line's end, before CR LF
        #expect(file.offset(line: 7, character: 0) == file.bytes.count)
    }

    /// The binary over stdio, with the protocol's framing.
    @Test func theBinaryServesOverStandardInputAndOutput() throws {
        func frame(_ object: [String: Any]) throws -> Data {
            let body = try JSONSerialization.data(withJSONObject: object)
            return Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        }
        var input = Data()
        input += try frame(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [:]])
        input += try frame(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                            "params": ["textDocument": ["uri": Self.uri, "languageId": "tally", "version": 1, "text": "show nope\n"]]])
        input += try frame(["jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": ["textDocument": ["uri": Self.uri]]])
        input += try frame(["jsonrpc": "2.0", "id": 3, "method": "shutdown"])
        input += try frame(["jsonrpc": "2.0", "method": "exit"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TallyBinary.binary)
        process.arguments = ["lsp"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let bodies = output.components(separatedBy: "Content-Length: ").dropFirst()
        #expect(bodies.count == 4, "\(output)")
        #expect(bodies.contains { $0.contains("\"capabilities\"") })
        // The didOpen's diagnostics are published before the request about it is answered.
        #expect(output.range(of: "unknown name `nope`")?.lowerBound ?? output.endIndex < output.range(of: "\"id\": 2")?.lowerBound ?? output.startIndex)
    }

    @Test func aBrokenFrameEndsTheServerWithAReason() throws {
        let run = try runProgramWithInput(TallyBinary.binary, ["lsp"], input: "Content-Length: lots\r\n\r\n{}")
        #expect(run.status == 1 && run.stderr.contains("tally lsp: a Content-Length that is not a count"))
        let huge = try runProgramWithInput(TallyBinary.binary, ["lsp"], input: "Content-Length: 999999999999\r\n\r\n")
        #expect(huge.status == 1 && huge.stderr.contains("larger than"))
    }

    func runProgramWithInput(_ executable: String, _ arguments: [String], input: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, err)
    }
}
