// `tally fmt`: one layout for every script, from the lexer's tokens alone, so
// a script with errors is laid out too. It never adds or removes a line break
// and keeps every token's text, so line numbers and meaning stay as they were.

/// Lays out a script: the spaces within each line, the indentation at its
/// start, and the column of its trailing comment. Idempotent.
package enum SourceFormatter {
    /// Lines with wider code keep their trailing comment two spaces after it
    /// and align with no other line.
    static let widestAlignedCode = 100
    /// A comment run is never aligned further right than this column.
    static let furthestComment = 120

    package static func format(_ text: String) -> String {
        let file = SourceFile(name: "<fmt>", text: text)
        let tokens = Lexer.tokens(file)
        let layout = SourceLayout(tokens)
        var lines = split(file, tokens)
        for index in lines.indices {
            let level = index < layout.levels.count ? layout.levels[index] : 0
            lines[index].render(file: file, tokens: tokens, roles: layout.roles, level: level)
        }
        align(&lines)
        return String(decoding: assemble(lines, file: file, tokens: tokens), as: UTF8.self)
    }

    /// One line of the source, and then of the result.
    struct Line {
        /// Its tokens' indices, its line end not among them.
        var tokens: Range<Int>
        /// Its bytes, its line end not among them.
        var bytes: Range<Int>
        var ending: Range<Int>?
        /// Code from its first token (or unexpected character) to its last.
        var code: Range<Int>?
        var comment: Range<Int>?
        /// Characters the lexer skipped (an unexpected character, a number
        /// too large): the line's code is kept as written.
        var hasSkippedText = false

        var indent = 0
        var rendered: [UInt8] = []
        /// Characters before the comment in the source, and in the result.
        var sourceCommentColumn = 0
        var width = 0
        var commentColumn: Int?
    }

    static func split(_ file: SourceFile, _ tokens: [Token]) -> [Line] {
        var lines: [Line] = []
        var first = 0
        var start = 0
        for (index, token) in tokens.enumerated() where token.kind == .newline || token.kind == .end {
            var line = Line(tokens: first..<index, bytes: start..<token.span.start,
                            ending: token.kind == .newline ? token.span.start..<token.span.end : nil)
            line.scanGaps(file.bytes, tokens)
            lines.append(line)
            first = index + 1
            start = token.span.end
        }
        return lines
    }

    /// Aligns the trailing comments of each run of consecutive lines that have
    /// them: at the run's rightmost comment column in the source, moved right
    /// so that two spaces at least follow the widest code. A comment alone on
    /// its line, in the same column as the comment above it, continues it.
    static func align(_ lines: inout [Line]) {
        var index = 0
        while index < lines.count {
            guard lines[index].alignable else {
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count,
                  lines[end].alignable
                    || (lines[end].code == nil && lines[end].comment != nil
                        && lines[end].sourceCommentColumn == lines[end - 1].sourceCommentColumn) {
                end += 1
            }
            let run = lines[index..<end]
            let widest = run.map(\.width).max() ?? 0
            let furthest = min(run.map(\.sourceCommentColumn).max() ?? 0, furthestComment)
            let column = max(widest + 2, furthest)
            for line in index..<end { lines[line].commentColumn = column }
            index = end
        }
    }

    static func assemble(_ lines: [Line], file: SourceFile, tokens: [Token]) -> [UInt8] {
        let bytes = file.bytes
        guard let last = lines.lastIndex(where: { $0.code != nil || $0.comment != nil }) else { return [] }
        let defaultEnding = tokens.first(where: { $0.kind == .newline }).map { Array(bytes[$0.span.start..<$0.span.end]) } ?? [UInt8(ascii: "\n")]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        let space = UInt8(ascii: " ")
        for line in lines[...last] {
            if line.code != nil {
                out.append(contentsOf: repeatElement(space, count: line.indent))
                out += line.rendered
            }
            if let comment = line.comment {
                let padding = line.code == nil ? line.commentColumn ?? line.indent : max(2, (line.commentColumn ?? 0) - line.width)
                out.append(contentsOf: repeatElement(space, count: padding))
                out += trimmed(bytes[comment])
            }
            if let ending = line.ending { out += bytes[ending] } else { out += defaultEnding }
        }
        return out
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return bytes[bytes.startIndex..<end]
    }

    /// Characters (Unicode scalars) in UTF-8 bytes.
    static func width<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }
}

extension SourceFormatter.Line {
    var alignable: Bool { code != nil && comment != nil && width <= SourceFormatter.widestAlignedCode }

    /// Finds the comment and any skipped characters between the tokens.
    mutating func scanGaps(_ bytes: [UInt8], _ tokens: [Token]) {
        var codeStart: Int?
        var codeEnd = self.bytes.lowerBound
        var position = self.bytes.lowerBound
        var next = self.tokens.lowerBound
        while position < self.bytes.upperBound {
            if next < self.tokens.upperBound, tokens[next].span.start == position {
                codeStart = codeStart ?? position
                position = tokens[next].span.end
                codeEnd = position
                next += 1
                continue
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                comment = position..<self.bytes.upperBound
                break
            } else {
                hasSkippedText = true
                codeStart = codeStart ?? position
                position += 1
                codeEnd = position
            }
        }
        if let codeStart { code = codeStart..<codeEnd }
        if let comment { sourceCommentColumn = SourceFormatter.width(bytes[self.bytes.lowerBound..<comment.lowerBound]) }
    }
}

extension SourceFormatter {
    /// Whether two texts hold the same tokens, each with the same text on the
    /// same line: what formatting must keep (line ends aside).
    package static func sameTokens(_ a: String, _ b: String) -> Bool {
        let (fileA, fileB) = (SourceFile(name: "a", text: a), SourceFile(name: "b", text: b))
        let tokensA = Lexer.tokens(fileA).filter { $0.kind != .newline }
        let tokensB = Lexer.tokens(fileB).filter { $0.kind != .newline }
        guard tokensA.count == tokensB.count else { return false }
        for (x, y) in zip(tokensA, tokensB) where x.kind != .end {
            guard fileA.bytes[x.span.start..<x.span.end].elementsEqual(fileB.bytes[y.span.start..<y.span.end]),
                  fileA.line(of: x.span.start) == fileB.line(of: y.span.start) else { return false }
        }
        return true
    }
}
