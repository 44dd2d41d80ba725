import TallyQuantities
import TallySyntax
import TallyPricing

import Synchronization

/// The built-in catalog, read a model at a time. Starting Tally scans the
/// catalog's text once for where each `price` block is and which names it
/// declares; a model's blocks are lexed, parsed and evaluated the first time
/// something asks for it. Pricing one workload touches a handful of blocks
/// instead of the whole catalog.
package final class CatalogSource: CatalogShelf, @unchecked Sendable {
    struct Chunk {
        let range: Range<Int>
        /// The region set by the last `region` line before the block.
        let region: String?
    }

    let file: SourceFile
    /// Every name, alias and Bedrock id → the model's name.
    package let canonical: [String: String]
    /// Each model's blocks, in catalog order.
    let chunks: [String: [Chunk]]
    /// Model names in catalog order.
    let order: [String]
    private struct State {
        /// Each model read, or nil when its blocks did not make one: read once either way.
        var cache: [String: ModelPrice?] = [:]
        var diagnostics: [Diagnostic] = []
    }
    private let state = Mutex(State())
    /// Problems found while reading a model; the catalog's tests keep it empty.
    var diagnostics: [Diagnostic] { state.withLock { $0.diagnostics } }

    /// nil when the text is not laid out as the catalog is (statements at the
    /// start of a line, properties indented): then it is read whole.
    package init?(file: SourceFile) {
        self.file = file
        let bytes = file.bytes
        var statements: [(start: Int, region: String?, name: String?)] = []
        var declaredNames: [[String]] = []
        var region: String?
        let alias = Array("alias ".utf8)
        let id = Array("id \"".utf8)
        /// The words of bytes[from..<to], split where `isSeparator` holds.
        func words(_ from: Int, _ to: Int, limit: Int = .max, isSeparator: (UInt8) -> Bool) -> [String] {
            var result: [String] = []
            var i = from
            while i < to, result.count < limit {
                while i < to, isSeparator(bytes[i]) { i += 1 }
                let start = i
                while i < to, !isSeparator(bytes[i]) { i += 1 }
                if start < i { result.append(String(decoding: bytes[start..<i], as: UTF8.self)) }
            }
            return result
        }
        func startsWith(_ prefix: [UInt8], at index: Int, end: Int) -> Bool {
            guard end - index >= prefix.count else { return false }
            for k in 0..<prefix.count where bytes[index + k] != prefix[k] { return false }
            return true
        }
        let lineStarts = file.lineStarts
        for (line, lineStart) in lineStarts.enumerated() where lineStart < bytes.count {
            let lineEnd = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
            let first = lineStart < lineEnd ? bytes[lineStart] : UInt8(ascii: "\n")
            switch first {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                // An indented property: note the names it declares.
                var i = lineStart
                while i < lineEnd, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
                if !declaredNames.isEmpty, startsWith(alias, at: i, end: lineEnd) {
                    // A Bedrock id as an alias is quoted: `alias "anthropic.claude-opus-4-5-v1"`.
                    declaredNames[declaredNames.count - 1] += words(i + alias.count, lineEnd) {
                        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\"")
                    }
                } else if !declaredNames.isEmpty, startsWith(id, at: i, end: lineEnd) {
                    var close = i + id.count
                    while close < lineEnd, bytes[close] != UInt8(ascii: "\"") { close += 1 }
                    declaredNames[declaredNames.count - 1].append(String(decoding: bytes[(i + id.count)..<close], as: UTF8.self))
                }
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ">"):
                break
            default:
                let parts = words(lineStart, lineEnd, limit: 2) {
                    $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r")
                }
                guard parts.count == 2 else { return nil }
                switch parts[0] {
                case "region":
                    region = parts[1]
                    statements.append((lineStart, nil, nil))
                    declaredNames.append([])
                case "price":
                    let name = parts[1]
                    if name.hasPrefix("\"") { return nil }
                    statements.append((lineStart, region, name))
                    declaredNames.append([name])
                default:
                    return nil
                }
            }
        }
        // Each statement runs to the next one.
        var names: [String: String] = [:]
        names.reserveCapacity(declaredNames.reduce(0) { $0 + $1.count })
        var chunks: [String: [Chunk]] = [:]
        chunks.reserveCapacity(statements.count)
        var order: [String] = []
        for (index, statement) in statements.enumerated() {
            guard let name = statement.name else { continue }
            let end = index + 1 < statements.count ? statements[index + 1].start : bytes.count
            let owner = names[name] ?? name
            for n in declaredNames[index] where names[n] == nil { names[n] = owner }
            if chunks[owner] == nil { order.append(owner) }
            chunks[owner, default: []].append(Chunk(range: statement.start..<end, region: statement.region))
        }
        self.canonical = names
        self.chunks = chunks
        self.order = order
    }

    /// The model a name, alias or id stands for, read on first use.
    package func model(named name: String) -> ModelPrice? {
        guard let owner = canonical[name] else { return nil }
        return state.withLock { state in
            if let cached = state.cache[owner] { return cached }
            var evaluator = Evaluator(environment: Environment(catalog: Catalog()))
            evaluator.isBuiltinCatalog = true
            for chunk in chunks[owner] ?? [] {
                let (statements, syntax) = Parser.parse(file, range: chunk.range)
                state.diagnostics += syntax
                evaluator.environment.region = chunk.region
                evaluator.run(statements)
            }
            state.diagnostics += evaluator.diagnostics
            let model = evaluator.environment.catalog.model(named: owner)
            state.cache[owner] = .some(model)
            return model
        }
    }

    /// Every model, read now if not before.
    package var allModels: [ModelPrice] {
        order.compactMap { model(named: $0) }
    }
}
