import TallyQuantities

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One text Tally read: a script, an expression from the command line, or an
/// input typed at the prompt.
package final class SourceFile: Sendable {
    /// The path as given, or a label such as `<eval>` or `<stdin>`.
    package let name: String
    package let text: String
    package let bytes: [UInt8]
    /// Byte offset of the start of each line.
    package let lineStarts: [Int]
    /// Then a column is a byte count.
    let isASCII: Bool
    /// The last column counted past the start of its line, at a place that
    /// is surely between two characters: diagnostics ask in source order, so
    /// counting on from there keeps a long line from being counted again
    /// for each of them.
    private let lastColumn = Mutex<(offset: Int, column: Int)?>(nil)

    package init(name: String, text: String) {
        self.name = name
        self.text = text
        let bytes = Array(text.utf8)
        self.bytes = bytes
        self.lineStarts = SourceFile.lineStarts(bytes)
        self.isASCII = SourceFile.isASCII(bytes)
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                if raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                offset += 8
            }
            while offset < raw.count {
                if raw[offset] >= 0x80 { return false }
                offset += 1
            }
            return true
        }
    }

    /// The offset of each line's first byte: 0, then one past each line end.
    /// LF, CRLF and CR alone all end a line.
    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            if memchr(base, Int32(UInt8(ascii: "\r")), buffer.count) != nil {
                var offset = 0
                while offset < buffer.count {
                    let byte = buffer[offset]
                    offset += 1
                    if byte == UInt8(ascii: "\n")
                        || (byte == UInt8(ascii: "\r") && (offset == buffer.count || buffer[offset] != UInt8(ascii: "\n"))) {
                        starts.append(offset)
                    }
                }
                return
            }
            var offset = 0
            while offset < buffer.count,
                  let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) {
                offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(offset)
            }
        }
        return starts
    }

    package var lineCount: Int { lineStarts.count }

    /// 1-based line number of a byte offset.
    package func line(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// Byte offsets of a 1-based line's text, without its line end.
    package func lineRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return bytes.count..<bytes.count }
        let start = lineStarts[line - 1]
        guard line < lineStarts.count else { return start..<bytes.count }
        var end = lineStarts[line] - 1
        if end > start, bytes[end] == UInt8(ascii: "\n"), bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<end
    }

    /// 1-based column, counted in characters, of a byte offset.
    package func column(of offset: Int) -> Int {
        let start = lineStarts[line(of: offset) - 1]
        let end = min(max(offset, start), bytes.count)
        if isASCII { return end - start + 1 }
        var (from, column) = (start, 1)
        if let last = lastColumn.withLock({ $0 }), last.offset > start, last.offset <= end {
            (from, column) = last
        }
        column += String(decoding: bytes[from..<end], as: UTF8.self).count
        // Two ASCII bytes other than CR LF always have a character boundary
        // between them, and no line holds CR LF.
        if end > start, end < bytes.count, bytes[end] < 0x80, bytes[end - 1] < 0x80 {
            lastColumn.withLock { $0 = (end, column) }
        }
        return column
    }

    /// The text of a 1-based line, without its line end.
    package func lineText(_ line: Int) -> String {
        String(lineSlice(line))
    }

    /// The same, sharing the file's storage: a line may be megabytes long.
    package func lineSlice(_ line: Int) -> Substring {
        let range = lineRange(line)
        let utf8 = text.utf8
        return text[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
    }

    package func text(of span: Span) -> String {
        let start = min(span.start, bytes.count)
        let end = min(max(span.end, start), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// A byte range in a source file.
package struct Span: Sendable, Hashable {
    package let file: SourceFile
    package let start: Int
    package let end: Int

    package init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = end
    }

    package var line: Int { file.line(of: start) }
    package var column: Int { file.column(of: start) }
    package var text: String { file.text(of: self) }

    /// `file:line:col`, as diagnostics and assertion reports print it.
    package var location: String { "\(file.name):\(line):\(column)" }

    package func through(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    package static func == (lhs: Span, rhs: Span) -> Bool {
        lhs.file === rhs.file && lhs.start == rhs.start && lhs.end == rhs.end
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(file))
        hasher.combine(start)
        hasher.combine(end)
    }
}
