// Where a price list stops being JSON, found before the decoder reads it, and the depth it may reach.
import TallySyntax

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JSONValue {
    /// Arrays and objects nest at most this deep: a price list needs five or six levels.
    static let maximumDepth = 64

    /// A file's JSON: checked by one iterative pass (so deep nesting or a stray
    /// byte is reported with its line and column, never recursed into), then decoded.
    static func read(_ json: Data, file: String) throws(Diagnostic) -> JSONValue {
        if let problem = json.withUnsafeBytes({ syntaxError(in: $0) }) {
            throw Diagnostic(.io, "cannot read \(file): it is not valid JSON: line \(problem.line), column \(problem.column): "
                + problem.message, at: nil)
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw Diagnostic(.io, "cannot read \(file): it is not valid JSON", at: nil)
        }
    }

    struct SyntaxError: Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    /// The first place `bytes` are not one JSON value (RFC 8259) nested at most
    /// `maximumDepth` deep, or nil.
    static func syntaxError(in bytes: UnsafeRawBufferPointer) -> SyntaxError? {
        enum Expect { case value, valueOrClose, keyOrClose, key, colon, commaOrClose, end }
        var containers: [UInt8] = []
        var expect = Expect.value
        var i = 0
        let n = bytes.count

        func fail(_ message: String) -> SyntaxError {
            var line = 1
            var column = 1
            for b in bytes[..<min(i, n)] {
                if b == 0x0A {
                    line += 1
                    column = 1
                } else if b & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return SyntaxError(line: line, column: column, message: message)
        }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func digits() -> Bool {
            let start = i
            while i < n, isDigit(bytes[i]) { i += 1 }
            return i > start
        }
        // Each scanner leaves `i` after what it read, or at the offending byte.
        func string() -> String? {
            i += 1
            while i < n {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return nil
                }
                if b < 0x20 { return "a control character in a string" }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < n else { break }
                    let escape = bytes[i]
                    if escape == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            i += 1
                            guard i < n, isDigit(bytes[i]) || (bytes[i] | 0x20 >= UInt8(ascii: "a") && bytes[i] | 0x20 <= UInt8(ascii: "f")) else {
                                return "a \\u escape without four hex digits"
                            }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(escape) {
                        return "an unknown escape in a string"
                    }
                }
                i += 1
            }
            return "a string that does not end"
        }
        func number() -> String? {
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            if i < n, bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else if !digits() {
                return "a number without digits"
            }
            if i < n, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() else { return "a number with no digits after its point" }
            }
            if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() else { return "a number with no digits in its exponent" }
            }
            return nil
        }
        func literal(_ word: String) -> String? {
            for b in word.utf8 {
                guard i < n, bytes[i] == b else { return "unexpected text (not true, false, null, a number, a string, an array or an object)" }
                i += 1
            }
            return nil
        }
        func afterValue() -> Expect { containers.isEmpty ? .end : .commaOrClose }

        while true {
            while i < n, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            guard i < n else {
                return expect == .end ? nil : fail(containers.isEmpty && expect == .value ? "no JSON value" : "the file ends inside a value")
            }
            let b = bytes[i]
            switch expect {
            case .value, .valueOrClose:
                if b == UInt8(ascii: "]"), expect == .valueOrClose {
                    containers.removeLast()
                    i += 1
                    expect = afterValue()
                    continue
                }
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard containers.count < maximumDepth else { return fail("arrays and objects nested more than \(maximumDepth) deep") }
                    containers.append(b)
                    i += 1
                    expect = b == UInt8(ascii: "{") ? .keyOrClose : .valueOrClose
                    continue
                case UInt8(ascii: "\""):
                    if let problem = string() { return fail(problem) }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if let problem = number() { return fail(problem) }
                case UInt8(ascii: "t"): if let problem = literal("true") { return fail(problem) }
                case UInt8(ascii: "f"): if let problem = literal("false") { return fail(problem) }
                case UInt8(ascii: "n"): if let problem = literal("null") { return fail(problem) }
                default: return fail("unexpected character where a value should be")
                }
                expect = afterValue()
            case .keyOrClose, .key:
                if b == UInt8(ascii: "}"), expect == .keyOrClose {
                    containers.removeLast()
                    i += 1
                    expect = afterValue()
                } else if b == UInt8(ascii: "\"") {
                    if let problem = string() { return fail(problem) }
                    expect = .colon
                } else {
                    return fail("expected a key in double quotes")
                }
            case .colon:
                guard b == UInt8(ascii: ":") else { return fail("expected `:` after a key") }
                i += 1
                expect = .value
            case .commaOrClose:
                let object = containers.last == UInt8(ascii: "{")
                if b == UInt8(ascii: ",") {
                    i += 1
                    expect = object ? .key : .value
                } else if b == UInt8(ascii: object ? "}" : "]") {
                    containers.removeLast()
                    i += 1
                    expect = afterValue()
                } else {
                    return fail(object ? "expected `,` or `}`" : "expected `,` or `]`")
                }
            case .end:
                return fail("more text after the JSON value")
            }
        }
    }
}
