import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// Draws a diagnostic the way compilers do:
///
///     plan.tally:1:4: error: cannot add $ and tokens
///      1 | $5 + 3 tokens
///        | ^^ ^ ^^^^^^^^ tokens
///        | |
///        | $
///        = hint: …
///
/// A source line longer than `window` columns is cut to the part around the
/// caret, with `…` where it was cut, so output stays small whatever the line.
package struct DiagnosticRenderer {
    package var color: Bool

    /// Columns of a source line shown at most (the `…` marks included).
    static let window = 100
    /// Bytes of a source line shown at most: a character may be many scalars.
    static let windowBytes = 800

    package init(color: Bool = false) {
        self.color = color
    }

    func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    package func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        let severityCode = diagnostic.severity == .error ? "1;31" : (diagnostic.severity == .warning ? "1;33" : "1;36")
        // Messages quote the script and name its files: shown visibly.
        let head = paint("\(diagnostic.severity.rawValue):", severityCode) + " " + paint(Escaping.visible(diagnostic.message), "1")
        if let span = diagnostic.span {
            out += Escaping.visible(span.location) + ": " + head + "\n"
        } else {
            out += "tally: " + head + "\n"
        }
        // The line standing for diagnostics past the cap has nothing to show.
        guard diagnostic.omitted == nil else { return out }
        let all = marks(diagnostic)
        let width = String(all.map(\.line).max() ?? 1).count
        if let span = diagnostic.span { out += snippet(span.file, all, gutter: width) }
        for hint in diagnostic.hints {
            out += String(repeating: " ", count: width + 2) + paint("= hint:", "1;36") + " " + Escaping.visible(hint) + "\n"
        }
        return out
    }

    package func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    struct Mark {
        let line: Int
        /// Byte offset in the file.
        let start: Int
        /// 1-based, in characters.
        var startColumn: Int
        var width: Int
        let message: String
        let primary: Bool
    }

    func marks(_ d: Diagnostic) -> [Mark] {
        var marks: [Mark] = []
        func add(_ span: Span, _ message: String, primary: Bool) {
            guard let main = d.span, span.file === main.file else { return }
            let line = span.line
            let startColumn = span.column
            // A span running past its first line is underlined to the line's end.
            let endColumn = span.file.line(of: max(span.start, span.end - 1)) == line
                ? span.file.column(of: span.end) : span.file.column(of: span.file.lineRange(line).upperBound)
            marks.append(Mark(line: line, start: span.start, startColumn: startColumn, width: max(1, endColumn - startColumn), message: Escaping.visible(message), primary: primary))
        }
        if let span = d.span {
            let sameAsLabel = d.labels.first { $0.span == span }
            add(span, sameAsLabel?.message ?? "", primary: true)
        }
        for label in d.labels where label.span != d.span { add(label.span, label.message, primary: false) }
        return marks
    }

    /// The part of a line that is shown: `text` (with any `…`) starts at the
    /// line's 0-based column `first`, drawn at column `shift`; `end` is the
    /// column after the last one shown, or nil when the line is shown to its end.
    struct Excerpt {
        var text: String
        var first: Int
        var shift: Int
        var end: Int?
    }

    /// The excerpt of `line` around the character at `focus` (an index into
    /// `line`), which is at 0-based column `column`.
    static func excerpt(_ line: Substring, around focus: String.Index, column: Int) -> Excerpt {
        var index = line.startIndex
        var bytes = 0
        var count = 0
        // Walks one character on, unless that passes `limit` characters or
        // the byte budget.
        func step(to limit: Int) -> Bool {
            guard count < limit, index < line.endIndex else { return false }
            let next = line.index(after: index)
            let size = line.utf8.distance(from: index, to: next)
            guard bytes + size <= windowBytes else { return false }
            bytes += size
            index = next
            count += 1
            return true
        }
        while step(to: window) {}
        if index == line.endIndex {
            return Excerpt(text: Escaping.visible(String(line)), first: 0, shift: 0, end: nil)
        }
        // Too long: when the caret is past the first three quarters, start a
        // third of the window before it (found walking back from it, so a
        // long line is not read from its start).
        var first = 0
        index = line.startIndex
        if column >= window * 3 / 4 {
            index = focus
            first = column
            while first > column - window / 3, index > line.startIndex {
                line.formIndex(before: &index)
                first -= 1
            }
        }
        let start = index
        bytes = 0
        count = 0
        while step(to: window - (first > 0 ? 2 : 1)) {}
        let cut = index < line.endIndex
        let text = (first > 0 ? "…" : "") + Escaping.visible(String(line[start..<index])) + (cut ? "…" : "")
        return Excerpt(text: text, first: first, shift: first > 0 ? 1 : 0, end: cut ? first + count : nil)
    }

    func snippet(_ file: SourceFile, _ all: [Mark], gutter width: Int) -> String {
        var out = ""
        let bar = paint("|", "1;34")
        for line in Set(all.map(\.line)).sorted() {
            let onLine = all.filter { $0.line == line }
            let focus = onLine.first(where: \.primary) ?? onLine[0]
            let text = file.lineSlice(line)
            let focusIndex = text.utf8.index(text.startIndex, offsetBy: min(focus.start - file.lineRange(line).lowerBound, text.utf8.count))
            let excerpt = DiagnosticRenderer.excerpt(text, around: focusIndex, column: focus.startColumn - 1)
            // Marks moved to where they are drawn, clipped to the excerpt;
            // a label off it is listed below instead.
            var lineMarks: [Mark] = []
            var offExcerpt: [Mark] = []
            let limit = excerpt.end ?? Int.max
            for mark in onLine {
                let start = mark.startColumn - 1
                let end = start + mark.width
                guard start < limit, end > excerpt.first else {
                    offExcerpt.append(mark)
                    continue
                }
                let visibleStart = max(start, excerpt.first)
                var moved = mark
                moved.startColumn = visibleStart - excerpt.first + excerpt.shift + 1
                moved.width = min(end, limit) - visibleStart
                lineMarks.append(moved)
            }
            lineMarks.sort { $0.startColumn < $1.startColumn }
            let number = String(line)
            out += " " + String(repeating: " ", count: width - number.count) + paint(number, "1;34") + " " + bar + " "
                + excerpt.text + "\n"
            let pad = " " + String(repeating: " ", count: width) + " " + bar + " "
            var underline = ""
            var visible = 0
            for mark in lineMarks {
                let column = mark.startColumn - 1
                if visible < column {
                    underline += String(repeating: " ", count: column - visible)
                    visible = column
                }
                let width = max(1, mark.width - max(0, visible - column))
                let glyph = mark.primary ? "^" : "-"
                underline += paint(String(repeating: glyph, count: width), mark.primary ? "1;31" : "1;34")
                visible += width
            }
            let labelled = lineMarks.filter { !$0.message.isEmpty }
            if let last = labelled.last, last.startColumn == lineMarks.last?.startColumn {
                out += pad + underline + " " + last.message + "\n"
                let rest = labelled.dropLast()
                out += stacked(Array(rest), pad: pad)
            } else if !lineMarks.isEmpty {
                out += pad + underline + "\n"
                out += stacked(labelled, pad: pad)
            }
            for mark in offExcerpt where !mark.message.isEmpty {
                out += pad + "column \(mark.startColumn): " + mark.message + "\n"
            }
        }
        return out
    }

    /// Labels that cannot sit at the end of the underline hang below it,
    /// rightmost first.
    func stacked(_ marks: [Mark], pad: String) -> String {
        guard !marks.isEmpty else { return "" }
        // A `|` below the start of each mark not yet labelled.
        func connectors(_ marks: ArraySlice<Mark>) -> String {
            marks.reduce("") { line, mark in padded(line, to: mark.startColumn - 1) + "|" }
        }
        var out = pad + connectors(marks[...]) + "\n"
        var remaining = marks[...]
        while let mark = remaining.popLast() {
            out += pad + padded(connectors(remaining), to: mark.startColumn - 1) + mark.message + "\n"
        }
        return out
    }

    func padded(_ line: String, to column: Int) -> String {
        line.count < column ? line + String(repeating: " ", count: column - line.count) : line
    }
}


