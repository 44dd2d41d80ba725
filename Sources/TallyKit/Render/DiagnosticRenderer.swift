/// Draws a diagnostic the way compilers do:
///
///     plan.tally:1:4: error: cannot add $ and tokens
///      1 | $5 + 3 tokens
///        | ^^ ^ ^^^^^^^^ tokens
///        | |
///        | $
///        = hint: …
public struct DiagnosticRenderer {
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        let severityCode = diagnostic.severity == .error ? "1;31" : (diagnostic.severity == .warning ? "1;33" : "1;36")
        let head = paint("\(diagnostic.severity.rawValue):", severityCode) + " " + paint(diagnostic.message, "1")
        if let span = diagnostic.span {
            out += "\(span.location): " + head + "\n"
        } else {
            out += "tally: " + head + "\n"
        }
        out += snippet(diagnostic)
        for hint in diagnostic.hints {
            out += gutterPad(diagnostic) + paint("= hint:", "1;36") + " " + hint + "\n"
        }
        return out
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    struct Mark {
        let line: Int
        let startColumn: Int
        let width: Int
        let message: String
        let primary: Bool
    }

    func marks(_ d: Diagnostic) -> [Mark] {
        var marks: [Mark] = []
        func add(_ span: Span, _ message: String, primary: Bool) {
            guard let main = d.span, span.file === main.file else { return }
            let line = span.line
            let lineText = span.file.lineText(line)
            let startColumn = span.column
            // A span running past its first line is underlined to the line's end.
            let endColumn = span.file.line(of: max(span.start, span.end - 1)) == line
                ? span.file.column(of: span.end) : lineText.count + 1
            marks.append(Mark(line: line, startColumn: startColumn, width: max(1, endColumn - startColumn), message: message, primary: primary))
        }
        if let span = d.span {
            let sameAsLabel = d.labels.first { $0.span == span }
            add(span, sameAsLabel?.message ?? "", primary: true)
        }
        for label in d.labels where label.span != d.span { add(label.span, label.message, primary: false) }
        return marks
    }

    func gutterWidth(_ d: Diagnostic) -> Int {
        String(marks(d).map(\.line).max() ?? 1).count
    }

    func gutterPad(_ d: Diagnostic) -> String {
        String(repeating: " ", count: gutterWidth(d) + 2)
    }

    func snippet(_ d: Diagnostic) -> String {
        guard let span = d.span else { return "" }
        let all = marks(d)
        let width = gutterWidth(d)
        var out = ""
        let bar = paint("|", "1;34")
        for line in Set(all.map(\.line)).sorted() {
            let lineMarks = all.filter { $0.line == line }.sorted { $0.startColumn < $1.startColumn }
            let number = String(line)
            out += " " + String(repeating: " ", count: width - number.count) + paint(number, "1;34") + " " + bar + " "
                + span.file.lineText(line).replacingTabs() + "\n"
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
            } else {
                out += pad + underline + "\n"
                out += stacked(labelled, pad: pad)
            }
        }
        return out
    }

    /// Labels that cannot sit at the end of the underline hang below it,
    /// rightmost first.
    func stacked(_ marks: [Mark], pad: String) -> String {
        guard !marks.isEmpty else { return "" }
        var out = ""
        var remaining = marks
        var connectors = ""
        for mark in remaining {
            let column = mark.startColumn - 1
            if connectors.count < column { connectors += String(repeating: " ", count: column - connectors.count) }
            connectors += "|"
        }
        out += pad + connectors + "\n"
        while let mark = remaining.popLast() {
            var line = ""
            for other in remaining {
                let column = other.startColumn - 1
                if line.count < column { line += String(repeating: " ", count: column - line.count) }
                line += "|"
            }
            let column = mark.startColumn - 1
            if line.count < column { line += String(repeating: " ", count: column - line.count) }
            out += pad + line + mark.message + "\n"
        }
        return out
    }
}

extension String {
    func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
