// `tally lsp`: the Language Server Protocol over one session per document.
// The server is a value fed message bodies; it answers with messages to
// send. `LanguageServerLoop` moves them over stdio and debounces analysis.
import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

package struct LanguageServer {
    /// One open document, as the client last sent it, and what Tally made of it.
    struct Document {
        let uri: String
        /// The file's path for a `file:` URI: imports and logs resolve from its directory.
        let path: String?
        var version: Int
        var text: String
        var analysis: Analysis?
    }

    /// A document run through the parser and evaluator, as `tally run` would.
    struct Analysis {
        let file: SourceFile
        let statements: [Statement]
        let outcome: Outcome
        /// The session after the run: every name the document declared.
        let session: Session
    }

    let base: Session
    var documents: [String: Document] = [:]
    /// Documents changed since they were last analysed, in the order changed.
    private(set) var pending: [String] = []
    private(set) var shutdownRequested = false
    /// Notifications to send before the next answer.
    private var outbox: [JSON] = []
    /// Set by `exit`: the status to exit with.
    package private(set) var exitStatus: Int32?

    package init(session: Session) {
        base = session
    }

    package var hasPendingAnalysis: Bool { !pending.isEmpty }

    // MARK: Messages

    /// Handles one message body; returns what to send now, in order.
    package mutating func handle(_ body: [UInt8]) -> [JSON] {
        let message: JSONValue
        do {
            message = try JSONValue.read(Data(body), file: "the message")
        } catch {
            return [LanguageServer.error(id: .null, code: -32700, "parse error: \(error.message)")]
        }
        guard case .object(let fields) = message, case .string(let method)? = fields["method"] else {
            // A response to a request of ours (none are sent) or junk: ignored unless it has an id.
            if case .object(let fields) = message, let id = fields["id"], fields["result"] == nil, fields["error"] == nil {
                return [LanguageServer.error(id: LanguageServer.id(id), code: -32600, "invalid request: no method")]
            }
            return []
        }
        let params = fields["params"] ?? .null
        guard let rawID = fields["id"] else {
            notify(method, params)
            return []
        }
        let id = LanguageServer.id(rawID)
        if shutdownRequested, method != "exit" {
            return [LanguageServer.error(id: id, code: -32600, "the server is shutting down")]
        }
        let answer = request(method, params)
        // Diagnostics of a document a request had analysed go out before its answer.
        var out = outbox
        outbox = []
        switch answer {
        case .success(let result): out.append(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]))
        case .failure(let failure): out.append(LanguageServer.error(id: id, code: failure.code, failure.message))
        }
        return out
    }

    struct Failure: Error {
        let code: Int
        let message: String
    }

    mutating func request(_ method: String, _ params: JSONValue) -> Result<JSON, Failure> {
        switch method {
        case "initialize": return .success(LanguageServer.capabilities)
        case "shutdown":
            shutdownRequested = true
            return .success(.null)
        case "textDocument/completion": return withDocument(params) { $0.completion(at: LanguageServer.position(params)) }
        case "textDocument/hover": return withDocument(params) { $0.hover(at: LanguageServer.position(params)) }
        case "textDocument/inlayHint": return withDocument(params) { $0.inlayHints() }
        case "textDocument/codeLens": return withDocument(params) { $0.codeLenses() }
        case "textDocument/definition": return withDocument(params) { $0.definition(at: LanguageServer.position(params)) }
        case "textDocument/documentSymbol": return withDocument(params) { $0.symbols() }
        case "textDocument/formatting": return withDocument(params) { $0.formatting() }
        default: return .failure(Failure(code: -32601, message: "method not found: \(method)"))
        }
    }

    /// Runs `answer` on the document the request names, analysed first if it changed.
    mutating func withDocument(_ params: JSONValue, _ answer: (Document) -> JSON) -> Result<JSON, Failure> {
        guard case .string(let uri)? = params["textDocument"]?["uri"] else {
            return .failure(Failure(code: -32602, message: "invalid params: no textDocument.uri"))
        }
        guard documents[uri] != nil else { return .success(.null) }
        if pending.contains(uri) {
            pending.removeAll { $0 == uri }
            analyze(uri)
            if let document = documents[uri] { outbox.append(document.publishedDiagnostics) }
        }
        analyze(uri)
        guard let document = documents[uri] else { return .success(.null) }
        return .success(answer(document))
    }

    mutating func notify(_ method: String, _ params: JSONValue) {
        switch method {
        case "exit": exitStatus = shutdownRequested ? 0 : 1
        case "textDocument/didOpen":
            guard let item = params["textDocument"], case .string(let uri)? = item["uri"], case .string(let text)? = item["text"] else { return }
            documents[uri] = Document(uri: uri, path: LanguageServer.path(of: uri), version: item["version"]?.int ?? 0, text: text)
            schedule(uri)
        case "textDocument/didChange":
            guard case .string(let uri)? = params["textDocument"]?["uri"], documents[uri] != nil,
                  case .array(let changes)? = params["contentChanges"] else { return }
            // Full sync: the last change holds the whole text.
            for change in changes {
                if case .string(let text)? = change["text"], change["range"] == nil { documents[uri]?.text = text }
            }
            if let version = params["textDocument"]?["version"]?.int { documents[uri]?.version = version }
            documents[uri]?.analysis = nil
            schedule(uri)
        case "textDocument/didClose":
            guard case .string(let uri)? = params["textDocument"]?["uri"] else { return }
            documents[uri] = nil
            pending.removeAll { $0 == uri }
        default: break
        }
    }

    mutating func schedule(_ uri: String) {
        pending.removeAll { $0 == uri }
        pending.append(uri)
    }

    /// Analyses every changed document and returns their diagnostics.
    package mutating func analyzePending() -> [JSON] {
        var out: [JSON] = []
        while !pending.isEmpty {
            let uri = pending.removeFirst()
            analyze(uri)
            if let document = documents[uri] { out.append(document.publishedDiagnostics) }
        }
        return out
    }

    /// Runs the document through Tally unless its analysis is current.
    mutating func analyze(_ uri: String) {
        guard var document = documents[uri], document.analysis == nil else { return }
        let file = SourceFile(name: document.path ?? "<untitled>", text: document.text)
        var session = base
        let outcome = session.run(file)
        document.analysis = Analysis(file: file, statements: Parser.parse(file).statements, outcome: outcome, session: session)
        documents[uri] = document
    }

    // MARK: Wire helpers

    static let capabilities: JSON = .object([
        ("capabilities", .object([
            ("positionEncoding", .string("utf-16")),
            ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .number("1"))])),
            ("completionProvider", .object([("triggerCharacters", .array([" ", "\"", "<", ";"].map { .string($0) }))])),
            ("hoverProvider", .bool(true)),
            ("inlayHintProvider", .bool(true)),
            ("codeLensProvider", .object([("resolveProvider", .bool(false))])),
            ("definitionProvider", .bool(true)),
            ("documentSymbolProvider", .bool(true)),
            ("documentFormattingProvider", .bool(true)),
        ])),
        ("serverInfo", .object([("name", .string("tally"))])),
    ])

    static func error(id: JSON, code: Int, _ message: String) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("id", id),
                 ("error", .object([("code", .number(String(code))), ("message", .string(message))]))])
    }

    /// A request's id as sent: a string, or an integer.
    static func id(_ value: JSONValue) -> JSON {
        switch value {
        case .string(let s): .string(s)
        case .number(let n) where n == n.rounded() && abs(n) < 1e15: .number(String(Int64(n)))
        default: .null
        }
    }

    static func position(_ params: JSONValue) -> (line: Int, character: Int) {
        (params["position"]?["line"]?.int ?? 0, params["position"]?["character"]?.int ?? 0)
    }

    /// The path of a `file:` URI, percent-decoded; nil for any other scheme.
    static func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var bytes: [UInt8] = []
        let raw = Array(uri.utf8.dropFirst(7))
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "%"), i + 2 < raw.count, let byte = UInt8(String(decoding: raw[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        guard let path = String(validating: bytes, as: UTF8.self), path.hasPrefix("/"), !path.contains("\0") else { return nil }
        return path
    }

    /// The `file:` URI of a path, percent-encoding what a URI may not hold.
    static func uri(of path: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/".utf8)
        var out = "file://"
        for byte in path.utf8 {
            if safe.contains(byte) { out += String(UnicodeScalar(byte)) } else { out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true) }
        }
        return out
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields[key]
    }

    var int: Int? {
        guard case .number(let n) = self, n == n.rounded(), abs(n) < 1e15 else { return nil }
        return Int(n)
    }
}
