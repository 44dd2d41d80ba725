// Writing Tally source: string literals the lexer reads back, and text for a `#` comment.

/// Text that Tally writes as source (`catalog import`, the prompt's `:save`).
package enum SourceText {
    /// A Tally string literal: `"` and `\` escaped, a line end and a tab as
    /// `\n` and `\t`, any other control as a space.
    package static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(isControl(scalar) ? " " : scalar)
            }
        }
        return out + "\""
    }

    /// Text for a `#` comment: one line.
    package static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    /// C0 controls, DEL, and the two Unicode line and paragraph separators.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
