import TallyQuantities
import TallySyntax
import TallyPricing

import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Every name, alias and Bedrock id → the index of its model in `order`.
    let names: NameTable
    /// Each model's blocks, in catalog order, by the model's index in `order`.
    let chunks: [[Chunk]]
    /// Model names in catalog order.
    let order: [String]
    /// The text the chunks are ranges of, made when the first model is read.
    private let makeFile: @Sendable () -> SourceFile
    private struct State {
        var file: SourceFile?
        /// Each model read, or nil when its blocks did not make one: read once either way.
        var cache: [String: ModelPrice?] = [:]
        var diagnostics: [Diagnostic] = []

        /// The catalog's text as a source file, made the first time it is needed.
        mutating func source(_ make: () -> SourceFile) -> SourceFile {
            if let file { return file }
            let made = make()
            file = made
            return made
        }
    }
    private let state = Mutex(State())
    /// Problems found while reading a model; the catalog's tests keep it empty.
    var diagnostics: [Diagnostic] { state.withLock { $0.diagnostics } }

    /// nil when the text is not laid out as the catalog is (statements at the
    /// start of a line, properties indented): then it is read whole.
    package convenience init?(file: SourceFile) {
        guard let index = file.bytes.withUnsafeBufferPointer(CatalogSource.scan) else { return nil }
        self.init(index: index, file: { file })
    }

    /// An index of `bytes`, which `file` must give back as a SourceFile of the
    /// same bytes; `bytes` are read only here.
    package convenience init?(bytes: UnsafeBufferPointer<UInt8>, file: @escaping @Sendable () -> SourceFile) {
        guard let index = CatalogSource.scan(bytes) else { return nil }
        self.init(index: index, file: file)
    }

    private init(index: (NameTable, [[Chunk]], [String]), file: @escaping @Sendable () -> SourceFile) {
        (names, chunks, order) = index
        makeFile = file
    }

    /// One pass over the bytes, line by line: `region` and `price` lines
    /// start statements; an indented `alias` or `id` names the block's model.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (NameTable, [[Chunk]], [String])? {
        let (space, tab, quote, comma) = (UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: ","))
        let newline = UInt8(ascii: "\n")
        func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
        }
        func startsWith(_ prefix: StaticString, at index: Int, end: Int) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard end - index >= count else { return false }
            let p = prefix.utf8Start
            for k in 0..<count where bytes[index + k] != p[k] { return false }
            return true
        }
        var names = NameTable(capacity: 2048)
        var chunks: [[Chunk]] = []
        var order: [String] = []
        var region: String?
        /// The model the current block belongs to, and where the block started.
        var current: (owner: Int, start: Int, region: String?)?
        func close(at end: Int) {
            if let block = current { chunks[block.owner].append(Chunk(range: block.start..<end, region: block.region)) }
            current = nil
        }
        func declare(_ name: String, owner: Int) {
            if names.find(name) == nil { names.insert(name, owner) }
        }
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = bytes.count
            if let base = bytes.baseAddress, let found = memchr(base + lineStart, Int32(newline), bytes.count - lineStart) {
                lineEnd = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            }
            defer { lineStart = lineEnd + 1 }
            let first = lineStart < lineEnd ? bytes[lineStart] : newline
            switch first {
            case space, tab:
                // An indented property: note the names it declares.
                guard let block = current else { continue }
                var i = lineStart
                while i < lineEnd, bytes[i] == space || bytes[i] == tab { i += 1 }
                if startsWith("alias ", at: i, end: lineEnd) {
                    // A Bedrock id as an alias is quoted: `alias "anthropic.claude-opus-4-5-v1"`.
                    i += 6
                    while i < lineEnd {
                        while i < lineEnd, bytes[i] == comma || bytes[i] == space || bytes[i] == quote { i += 1 }
                        let start = i
                        while i < lineEnd, bytes[i] != comma, bytes[i] != space, bytes[i] != quote { i += 1 }
                        if start < i { declare(text(start, i), owner: block.owner) }
                    }
                } else if startsWith("id \"", at: i, end: lineEnd) {
                    var close = i + 4
                    while close < lineEnd, bytes[close] != quote { close += 1 }
                    declare(text(i + 4, close), owner: block.owner)
                }
            case UInt8(ascii: "#"), newline, UInt8(ascii: "\r"), UInt8(ascii: ">"):
                break
            default:
                // `region NAME` or `price NAME <`: two words.
                func isSeparator(_ b: UInt8) -> Bool { b == space || b == UInt8(ascii: "<") || b == tab || b == UInt8(ascii: "\r") }
                var i = lineStart
                while i < lineEnd, !isSeparator(bytes[i]) { i += 1 }
                let keywordEnd = i
                while i < lineEnd, isSeparator(bytes[i]) { i += 1 }
                let nameStart = i
                while i < lineEnd, !isSeparator(bytes[i]) { i += 1 }
                guard nameStart < i else { return nil }
                close(at: lineStart)
                let keyword = text(lineStart, keywordEnd)
                let name = text(nameStart, i)
                switch keyword {
                case "region":
                    region = name
                case "price":
                    if name.hasPrefix("\"") { return nil }
                    let owner: Int
                    if let known = names.find(name) {
                        owner = known
                    } else {
                        owner = order.count
                        order.append(name)
                        chunks.append([])
                        names.insert(name, owner)
                    }
                    current = (owner, lineStart, region)
                default:
                    return nil
                }
            }
        }
        close(at: bytes.count)
        return (names, chunks, order)
    }

    /// Every name, alias and Bedrock id → the model's name.
    package func owner(of name: String) -> String? {
        names.find(name).map { order[$0] }
    }

    package var allNames: [String] { names.keys }

    /// The models whose blocks' text contains `needle`, ASCII letters in
    /// either case: every name, display name, id, provider, alias and
    /// declared kind is written in a model's blocks as it reads. nil — read
    /// them all — when that does not hold: a needle that is not ASCII or is
    /// part of a kind's name (a model of the default kind does not write it).
    /// A block with an escape (`\`) or a byte past ASCII (which may lower-case
    /// to ASCII) is a candidate whatever it holds.
    package func candidates(mentioning needle: String) -> Set<String>? {
        let pattern = Array(needle.lowercased().utf8)
        guard pattern.allSatisfy({ $0 < 0x80 }),
              !ModelKind.allCases.contains(where: { $0.rawValue.contains(needle.lowercased()) }) else { return nil }
        let file = state.withLock { $0.source(makeFile) }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        return file.bytes.withUnsafeBufferPointer { bytes in
            func mentions(_ range: Range<Int>) -> Bool {
                guard let first = pattern.first else { return true }
                var i = range.lowerBound
                while i < range.upperBound {
                    let byte = bytes[i]
                    if byte >= 0x80 || byte == UInt8(ascii: "\\") { return true }
                    if lower(byte) == first, i + pattern.count <= range.upperBound {
                        var k = 1
                        while k < pattern.count, lower(bytes[i + k]) == pattern[k] { k += 1 }
                        if k == pattern.count { return true }
                    }
                    i += 1
                }
                return false
            }
            var found: Set<String> = []
            for (index, blocks) in chunks.enumerated() where blocks.contains(where: { mentions($0.range) }) {
                found.insert(order[index])
            }
            return found
        }
    }

    /// The model a name, alias or id stands for, read on first use.
    package func model(named name: String) -> ModelPrice? {
        guard let index = names.find(name) else { return nil }
        let owner = order[index]
        return state.withLock { state in
            if let cached = state.cache[owner] { return cached }
            let file = state.source(makeFile)
            var evaluator = Evaluator(environment: Environment(catalog: Catalog()))
            evaluator.isBuiltinCatalog = true
            for chunk in chunks[index] {
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

/// Names → small integers, in an open-addressed table hashed with FNV-1a:
/// the catalog's 1,300 names are indexed at every start, where the standard
/// dictionary's seeded SipHash cost more than the scan that found them.
struct NameTable {
    private(set) var keys: [String] = []
    private var values: [Int] = []
    /// Index into `keys` + 1, or 0 for an empty slot; a power of two long.
    private var slots: [Int32]

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
    }

    static func hash(_ name: String) -> Int {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }

    func find(_ name: String) -> Int? {
        let mask = slots.count - 1
        var slot = NameTable.hash(name) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if keys[index] == name { return values[index] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds a name not in the table yet.
    mutating func insert(_ name: String, _ value: Int) {
        if (keys.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = NameTable.hash(name) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        keys.append(name)
        values.append(value)
        slots[slot] = Int32(keys.count)
    }

    private mutating func grow() {
        var bigger = NameTable(capacity: slots.count)
        for (key, value) in zip(keys, values) { bigger.insert(key, value) }
        self = bigger
    }
}
