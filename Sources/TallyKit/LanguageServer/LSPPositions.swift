// Positions as the Language Server Protocol counts them: a zero-based line
// and a character offset in UTF-16 code units within it.
import TallySyntax
import TallyRender

extension SourceFile {
    /// The zero-based line and UTF-16 column of a byte offset (clamped to the text).
    func lspPosition(of offset: Int) -> (line: Int, character: Int) {
        let offset = Swift.max(0, Swift.min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let lineStart = lineStarts[low]
        var units = 0
        var i = lineStart
        while i < offset {
            let byte = bytes[i]
            // A scalar of four UTF-8 bytes is two UTF-16 units; continuation bytes add none.
            if byte & 0xC0 != 0x80 { units += byte >= 0xF0 ? 2 : 1 }
            i += 1
        }
        return (low, units)
    }

    /// The byte offset of a zero-based line and UTF-16 column: the line's end
    /// when the column is past it, the text's end past the last line.
    func offset(line: Int, character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        var i = lineStarts[line]
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        var units = 0
        while i < end, units < character {
            let byte = bytes[i]
            if byte == 10 || byte == 13 { break }
            units += byte >= 0xF0 ? 2 : 1
            i += 1
            while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
        }
        return i
    }

    /// `{"line": …, "character": …}`
    func lspPositionJSON(_ offset: Int) -> JSON {
        let p = lspPosition(of: offset)
        return .object([("line", .number(String(p.line))), ("character", .number(String(p.character)))])
    }

    /// `{"start": …, "end": …}` for a byte range.
    func lspRange(_ start: Int, _ end: Int) -> JSON {
        .object([("start", lspPositionJSON(start)), ("end", lspPositionJSON(Swift.max(start, end)))])
    }
}
