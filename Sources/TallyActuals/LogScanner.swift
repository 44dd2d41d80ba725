#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a line is not a record Tally can read.
package struct MalformedLine: Error, Sendable, Equatable {
    package let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Reads the dozen fields pricing needs from one log line, byte by byte,
/// skipping everything else (the bodies above all) without building it. No
/// recursion: the known fields sit at fixed depths, and values skipped are
/// walked with an explicit stack of open brackets.
package struct LogScanner {
    /// Deeper nesting is refused as malformed.
    package static let maximumDepth = 1000
    /// A token count above this is not a real request.
    package static let maximumTokens: Int64 = 1_000_000_000_000
    /// Longest string kept (model ids, ARNs, tag values).
    package static let maximumField = 1024

    /// The record on `line`. A CloudWatch Logs export may put a timestamp and
    /// a space before the object; that prefix is skipped.
    package static func scan(_ line: UnsafeBufferPointer<UInt8>) throws(MalformedLine) -> UsageRecord {
        var cursor = Cursor(bytes: line)
        cursor.skipSpace()
        if cursor.peek != UInt8(ascii: "{") {
            // At most a short, quote-free prefix before the object.
            var probe = cursor.index
            while probe < line.count, probe - cursor.index < 64, line[probe] != UInt8(ascii: "{"), line[probe] != UInt8(ascii: "\"") { probe += 1 }
            guard probe < line.count, line[probe] == UInt8(ascii: "{"), probe > cursor.index else { throw MalformedLine("not a JSON object") }
            cursor.index = probe
        }
        var record = UsageRecord()
        var seen = (timestamp: false, model: false, input: false, output: false)
        try members(&cursor) { (key, cursor) throws(MalformedLine) in
            switch key {
            case LogField.Name.timestamp:
                guard let text = try cursor.rawString(), let instant = Instant(iso8601: text) else {
                    throw MalformedLine("timestamp is not an ISO-8601 UTC time")
                }
                record.timestamp = instant
                seen.timestamp = true
            case LogField.Name.modelId:
                guard let id = try cursor.string() else { throw MalformedLine("modelId is not a string") }
                record.modelId = id
                seen.model = true
            case LogField.Name.accountId: record.accountId = try cursor.string()
            case LogField.Name.region: record.region = try cursor.string()
            case LogField.Name.operation: record.operation = try cursor.string()
            case LogField.Name.inferenceRegion: record.inferenceRegion = try cursor.string()
            case LogField.Name.errorCode:
                record.failed = !cursor.isNull
                try cursor.skipValue()
            case LogField.Name.serviceTier: record.serviceTier = try tier(&cursor)
            case LogField.Name.identity:
                try members(&cursor) { (key, cursor) throws(MalformedLine) in
                    if key == LogField.Name.arn { record.principalARN = try cursor.string() } else { try cursor.skipValue() }
                }
            case LogField.Name.requestMetadata:
                try members(&cursor) { (key, cursor) throws(MalformedLine) in
                    guard cursor.peek == UInt8(ascii: "\"") else { return try cursor.skipValue() }
                    if let value = try cursor.string(), record.metadata.count < 64 {
                        record.metadata.removeAll { $0.key == key }
                        record.metadata.append((key, value))
                    }
                }
            case LogField.Name.input:
                try members(&cursor) { (key, cursor) throws(MalformedLine) in
                    switch key {
                    case LogField.Name.inputTokens:
                        record.inputTokens = try cursor.count(key)
                        seen.input = true
                    case LogField.Name.cacheReadTokens: record.cacheReadTokens = try cursor.count(key)
                    case LogField.Name.cacheWriteTokens: record.cacheWriteTokens = try cursor.count(key)
                    case LogField.Name.inputBody where cursor.peek == UInt8(ascii: "{"):
                        // Only the body's top-level serviceTier is read.
                        try members(&cursor) { (key, cursor) throws(MalformedLine) in
                            if key == LogField.Name.serviceTier, record.serviceTier == nil { record.serviceTier = try tier(&cursor) } else { try cursor.skipValue() }
                        }
                    default: try cursor.skipValue()
                    }
                }
            case LogField.Name.output:
                try members(&cursor) { (key, cursor) throws(MalformedLine) in
                    if key == LogField.Name.outputTokens {
                        record.outputTokens = try cursor.count(key)
                        seen.output = true
                    } else {
                        try cursor.skipValue()
                    }
                }
            default:
                try cursor.skipValue()
            }
        }
        cursor.skipSpace()
        guard cursor.atEnd else { throw MalformedLine("text after the record's closing brace") }
        guard seen.timestamp else { throw MalformedLine("no timestamp") }
        guard seen.model, !record.modelId.isEmpty else { throw MalformedLine("no modelId") }
        if !record.failed {
            guard seen.input else { throw MalformedLine("no input.inputTokenCount") }
            guard seen.output else { throw MalformedLine("no output.outputTokenCount") }
        }
        return record
    }

    /// `"flex"` or `{"type": "flex"}`.
    private static func tier(_ cursor: inout Cursor) throws(MalformedLine) -> String? {
        if cursor.peek == UInt8(ascii: "{") {
            var found: String?
            try members(&cursor) { (key, cursor) throws(MalformedLine) in
                if key == LogField.Name.tierType { found = try cursor.string() } else { try cursor.skipValue() }
            }
            return found
        }
        return try cursor.string()
    }

    /// Calls `body` with each key of the object at the cursor, positioned at
    /// its value, which `body` must consume. Anything but an object (null
    /// included) is skipped.
    private static func members(_ cursor: inout Cursor,
                                  _ body: (String, inout Cursor) throws(MalformedLine) -> Void) throws(MalformedLine) {
        cursor.skipSpace()
        guard cursor.peek == UInt8(ascii: "{") else { return try cursor.skipValue() }
        cursor.index += 1
        cursor.skipSpace()
        if cursor.peek == UInt8(ascii: "}") { cursor.index += 1; return }
        while true {
            cursor.skipSpace()
            guard !cursor.atEnd else { throw MalformedLine("the line ends inside the record") }
            guard cursor.peek == UInt8(ascii: "\""), let key = try cursor.string() else { throw MalformedLine("expected a key") }
            cursor.skipSpace()
            guard cursor.peek == UInt8(ascii: ":") else { throw MalformedLine("expected ':' after a key") }
            cursor.index += 1
            cursor.skipSpace()
            guard !cursor.atEnd else { throw MalformedLine("the line ends inside the record") }
            try body(key, &cursor)
            cursor.skipSpace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.index += 1
            case UInt8(ascii: "}"): cursor.index += 1; return
            default: throw MalformedLine("expected ',' or '}' in an object")
            }
        }
    }
}

/// A position in one line.
struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The closing brackets a skipped value still owes.
    var stack: [UInt8] = []

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    var atEnd: Bool { index >= bytes.count }
    var isNull: Bool { peek == UInt8(ascii: "n") }

    /// Steps over one JSON value of any depth, checking its brackets match.
    mutating func skipValue() throws(MalformedLine) {
        stack.removeAll(keepingCapacity: true)
        skipSpace()
        repeat {
            guard let byte = peek else { throw MalformedLine("the line ends inside a value") }
            switch byte {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < LogScanner.maximumDepth else { throw MalformedLine("nested deeper than \(LogScanner.maximumDepth)") }
                stack.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard stack.last == byte else { throw MalformedLine("unbalanced brackets") }
                stack.removeLast()
                index += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard !stack.isEmpty else { throw MalformedLine("expected a value") }
                index += 1
            default:
                // A number, true, false or null: letters, digits and signs.
                let start = index
                while let b = peek, Cursor.isScalarByte(b) { index += 1 }
                guard index > start else { throw MalformedLine("unexpected byte in a value") }
            }
            skipSpace()
        } while !stack.isEmpty
    }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
    }

    static func isScalarByte(_ b: UInt8) -> Bool {
        (48...57).contains(b) || (97...122).contains(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "E")
    }

    /// Past the closing quote of the string at the cursor; memchr finds each
    /// quote, and an odd run of backslashes before one escapes it.
    mutating func skipString() throws(MalformedLine) {
        guard let base = bytes.baseAddress else { throw MalformedLine("the line ends inside a string") }
        var from = index + 1
        while from < bytes.count {
            guard let hit = memchr(base + from, 0x22, bytes.count - from) else { break }
            let quote = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            var slashes = 0
            while quote - slashes - 1 > index, bytes[quote - slashes - 1] == UInt8(ascii: "\\") { slashes += 1 }
            if slashes % 2 == 0 {
                index = quote + 1
                return
            }
            from = quote + 1
        }
        throw MalformedLine("the line ends inside a string")
    }

    /// The bytes between a string's quotes, escapes not decoded; nil for null.
    mutating func quoted() throws(MalformedLine) -> UnsafeBufferPointer<UInt8>? {
        if isNull { try skipNull(); return nil }
        guard peek == UInt8(ascii: "\"") else { throw MalformedLine("expected a string") }
        let start = index + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        guard raw.count <= LogScanner.maximumField else { throw MalformedLine("a field is longer than \(LogScanner.maximumField) bytes") }
        return raw
    }

    /// A string's bytes, escapes decoded; nil for null.
    mutating func rawString() throws(MalformedLine) -> [UInt8]? {
        guard let raw = try quoted() else { return nil }
        return raw.contains(UInt8(ascii: "\\")) ? try Cursor.unescape(raw) : Array(raw)
    }

    /// A string value as valid UTF-8 text; nil for null.
    mutating func string() throws(MalformedLine) -> String? {
        guard let raw = try quoted() else { return nil }
        guard raw.contains(UInt8(ascii: "\\")) else { return try Cursor.text(raw) }
        return try Cursor.unescape(raw).withUnsafeBufferPointer { (decoded) throws(MalformedLine) in try Cursor.text(decoded) }
    }

    /// Bytes as text. ASCII, nearly every field, needs no validation (the
    /// stdlib's generic validator looked up type metadata on every call).
    static func text(_ raw: UnsafeBufferPointer<UInt8>) throws(MalformedLine) -> String {
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        guard let text = String(validating: raw, as: UTF8.self) else { throw MalformedLine("a field is not valid UTF-8") }
        return text
    }

    mutating func skipNull() throws(MalformedLine) {
        guard index + 4 <= bytes.count, bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] == UInt8(ascii: "l"),
              bytes[index + 3] == UInt8(ascii: "l") else { throw MalformedLine("unexpected byte in a value") }
        index += 4
    }

    /// A token count: a whole number from 0 to `maximumTokens`; null is 0.
    mutating func count(_ field: String) throws(MalformedLine) -> Int64 {
        if isNull { try skipNull(); return 0 }
        if peek == UInt8(ascii: "-") { throw MalformedLine("\(field) is negative") }
        var value: Int64 = 0
        let start = index
        while let b = peek, (48...57).contains(b) {
            value = value * 10 + Int64(b - 48)
            guard value <= LogScanner.maximumTokens else { throw MalformedLine("\(field) is over \(LogScanner.maximumTokens)") }
            index += 1
        }
        guard index > start, !(bytes[start] == 48 && index - start > 1) else { throw MalformedLine("\(field) is not a whole number") }
        if let b = peek, Cursor.isScalarByte(b) { throw MalformedLine("\(field) is not a whole number") }
        return value
    }

    /// JSON escapes decoded; a lone surrogate is refused.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(MalformedLine) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for b in raw[at..<(at + 4)] {
                let digit: UInt32
                switch b {
                case 48...57: digit = UInt32(b - 48)
                case 65...70: digit = UInt32(b - 55)
                case 97...102: digit = UInt32(b - 87)
                default: return nil
                }
                v = v * 16 + digit
            }
            return v
        }
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < raw.count else { throw MalformedLine("a bad escape in a string") }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { throw MalformedLine("a bad escape in a string") }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2),
                          (0xDC00..<0xE000).contains(low) else { throw MalformedLine("a bad escape in a string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw MalformedLine("a bad escape in a string") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: throw MalformedLine("a bad escape in a string")
            }
        }
        return out
    }
}
