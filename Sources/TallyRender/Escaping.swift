import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// Every escaper of Tally's output, one per context. Each works on Unicode
/// scalars, never on Characters: `"\r\n"` is one Character, and a rule
/// written for `"\n"` would let it through.
///
/// Scripts come from pull requests, so strings in them (assert messages,
/// `show "…"`, price names and sources, file names) are hostile: no output
/// may let them add a line, a workflow command, a Markdown heading or table
/// row, XML that does not parse, or a terminal escape sequence.
package enum Escaping {
    /// The one visible Character shown in place of a scalar that a terminal or a
    /// reader would act on or not show, or nil for a scalar shown as itself:
    /// C0 controls become Control Pictures (ESC `␛`, NUL `␀`, LF `␊`), DEL
    /// `␡`; C1 controls, bidirectional controls, U+2028, U+2029 and
    /// noncharacters become U+FFFD `�`. Each context decides TAB, CR and LF
    /// before asking.
    static func standIn(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x00...0x1F: Unicode.Scalar(0x2400 + scalar.value).map { String(Character($0)) }
        case 0x7F: "\u{2421}"
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069,
             0xFDD0...0xFDEF:
            "\u{FFFD}"
        case _ where scalar.value & 0xFFFE == 0xFFFE: "\u{FFFD}"
        default: nil
        }
    }

    /// `text` with each scalar for which `replace` gives a text replaced by it.
    static func rewrite(_ text: String, _ replace: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        rewrite(text, into: &out, replace)
        return out
    }

    static func rewrite(_ text: String, into out: inout String, _ replace: (Unicode.Scalar) -> String?) {
        for scalar in text.unicodeScalars {
            if let replacement = replace(scalar) { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
    }

    // MARK: Terminal

    /// Text for a terminal: every control shows as exactly one visible
    /// Character, so columns stay aligned and no escape sequence reaches the
    /// terminal. Tab becomes a space; other controls as `standIn` says.
    package static func visible(_ text: String) -> String {
        if text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) == true { return text }
        if !text.unicodeScalars.contains(where: { $0 == "\t" || standIn($0) != nil }) { return text }
        return rewrite(text) { $0 == "\t" ? " " : standIn($0) }
    }

    /// The Characters of `text`, counted without grapheme breaking when no
    /// scalar could join another: below U+0300 (ASCII, Latin) or punctuation
    /// U+2010–U+2027 (`–`). Anything else is counted by Characters.
    package static func width(_ text: String) -> Int {
        if case let counted?? = text.utf8.withContiguousStorageIfAvailable(simpleWidth) { return counted }
        return text.count
    }

    private static func simpleWidth(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var scalars = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0xCC {
                // ASCII, a continuation byte (not counted), or a lead byte below U+0300.
                if byte & 0xC0 != 0x80 { scalars += 1 }
            } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                      (0x90...0xA7).contains(bytes[index + 2]) {
                scalars += 1
                index += 2
            } else {
                return nil
            }
            index += 1
        }
        return scalars
    }

    // MARK: GitHub workflow commands

    /// The message of `::error …::MESSAGE`: `%`, CR and LF as GitHub's own
    /// toolkit escapes them (`%25`, `%0D`, `%0A`), so the command stays one
    /// line; other controls as `standIn` says (the log viewer obeys colour
    /// sequences).
    package static func githubData(_ text: String) -> String {
        rewrite(text) { github($0) }
    }

    /// A property of a workflow command (`file=…`, `title=…`): as data, and
    /// `:` and `,` too, which would end the property.
    package static func githubProperty(_ text: String) -> String {
        rewrite(text) { scalar in
            switch scalar {
            case ":": "%3A"
            case ",": "%2C"
            default: github(scalar)
            }
        }
    }

    static func github(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "%": "%25"
        case "\r": "%0D"
        case "\n": "%0A"
        case "\t": nil
        default: standIn(scalar)
        }
    }

    // MARK: Markdown

    /// Text for a Markdown table cell or a line of a pull-request comment
    /// (CommonMark and GitHub's extensions): it renders as the text itself and
    /// cannot end the cell or the line, nor start a heading, list, quote,
    /// table row, code, emphasis, link, math or HTML. Line breaks become a
    /// space; characters with a meaning get a backslash (`\|`, `\<`, `\*`);
    /// what only has one at the start of a line (`-`, `+`, `=`, `1. `, leading
    /// space) is escaped there; other controls as `standIn` says.
    package static func markdownText(_ text: String) -> String {
        // `12. ` or `3) ` would start an ordered list: escape its `.` or `)`.
        let digits = text.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        let marker = text.utf8.dropFirst(digits).first
        let afterMarker = text.utf8.dropFirst(digits + 1).first
        let listMarker = digits > 0 && (marker == UInt8(ascii: ".") || marker == UInt8(ascii: ")"))
            && (afterMarker == nil || afterMarker == UInt8(ascii: " ") || afterMarker == UInt8(ascii: "\t")) ? digits : -1
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "\t", " ", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}":
                out += index == 0 ? "&#32;" : " "
            case "\\", "`", "*", "_", "~", "[", "]", "<", ">", "&", "|", "$", "#":
                out += "\\" + String(scalar)
            case _ where index == listMarker || (index == 0 && (scalar == "-" || scalar == "+" || scalar == "=")):
                out += "\\" + String(scalar)
            default:
                if let replacement = standIn(scalar) { out += replacement } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    // MARK: CSV

    /// An RFC 4180 field. A text a spreadsheet would run as a formula (it
    /// starts with `=`, `+`, `-`, `@`, tab or CR and is not a number) gets a
    /// leading `'`; controls other than tab, CR and LF are as `standIn` says.
    /// It is quoted (with `"` doubled) when it holds a comma, a quote, tab, CR
    /// or LF, or space at either end.
    package static func csvField(_ text: String) -> String {
        var field = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isDecimal(text) {
            field = "'" + text
        }
        let quoted = field.unicodeScalars.contains { ",\"\t\r\n".unicodeScalars.contains($0) }
            || field.unicodeScalars.first == " " || field.unicodeScalars.last == " "
        let escaped = rewrite(field) { scalar in
            switch scalar {
            case "\"": "\"\""
            case "\t", "\r", "\n": nil
            default: standIn(scalar)
            }
        }
        return quoted ? "\"" + escaped + "\"" : escaped
    }

    /// `-7.64`, `+3`, `12`: a number, as Tally writes exact decimals.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { (0x30...0x39).contains($0) } }
    }

    // MARK: XML

    /// Character data of an XML 1.0 element (JUnit): `&`, `<` and `>` as
    /// entities (so `]]>` cannot appear), CR as `&#13;` (a parser would read
    /// it as LF); scalars XML 1.0 forbids or discourages as `standIn` says.
    package static func xmlText(_ text: String) -> String {
        rewrite(text) { scalar in
            switch scalar {
            case "\t", "\n": nil
            case "\r": "&#13;"
            default: xml(scalar)
            }
        }
    }

    /// An XML attribute value in double or single quotes: as text, and both
    /// quotes, with tab, LF and CR as character references (a parser would
    /// read them as spaces).
    package static func xmlAttribute(_ text: String) -> String {
        rewrite(text) { scalar in
            switch scalar {
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\t": "&#9;"
            case "\n": "&#10;"
            case "\r": "&#13;"
            default: xml(scalar)
            }
        }
    }

    static func xml(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        default: standIn(scalar)
        }
    }

    // MARK: JSON

    /// A JSON string literal, quotes included: `"` and `\` escaped, every
    /// scalar below U+0020 as `\n`, `\r`, `\t` or `\u00XX`, and U+2028 and
    /// U+2029 as `\u2028` and `\u2029` (line ends in JavaScript). Every other
    /// scalar is kept, so the string is exact.
    package static func json(_ text: String, into out: inout String) {
        out += "\""
        var hashes = 0
        rewrite(text, into: &out) { scalar in
            defer { hashes = scalar == "#" ? hashes + 1 : 0 }
            switch scalar {
            // `##[` is a workflow command anywhere in a log line; the value stays exact.
            case "[" where hashes >= 2: return "\\u005b"
            case "\"", "\\": return "\\" + String(scalar)
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                // Four hex digits: those of 0x1XXXX after its `1`.
                return "\\u" + String(String(0x10000 + scalar.value, radix: 16).dropFirst())
            default: return nil
            }
        }
        out += "\""
    }

    package static func json(_ text: String) -> String {
        var out = ""
        json(text, into: &out)
        return out
    }

    // MARK: CI logs

    /// Output bound for a CI log, where GitHub's runner reads a line whose
    /// first non-blank characters are `::`, or that holds `##[` anywhere, as a
    /// workflow command. Every output but `check --format github` passes
    /// through here: such a line keeps its text, with its second `:` shown as
    /// `∶` (U+2236) and the `[` of `##[` as `［` (U+FF3B). JSON never needs it
    /// (its lines start with Tally's own punctuation, and `json` writes `##[`
    /// as `##\u005b`).
    package static func workflowSafe(_ text: String) -> String {
        // Only `::` and `##[` can change: most output holds neither.
        var bytes = text
        let mayChange = bytes.withUTF8 { utf8 in
            guard utf8.count >= 2 else { return false }
            for i in 1..<utf8.count {
                let (before, byte) = (utf8[i - 1], utf8[i])
                if byte == UInt8(ascii: ":"), before == UInt8(ascii: ":") { return true }
                if byte == UInt8(ascii: "["), before == UInt8(ascii: "#"), i >= 2, utf8[i - 2] == UInt8(ascii: "#") { return true }
            }
            return false
        }
        guard mayChange else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var lineStart = true
        var colonAtStart = false
        var hashes = 0
        for scalar in text.unicodeScalars {
            var emitted = scalar
            if colonAtStart, scalar == ":" {
                emitted = "\u{2236}"
            } else if scalar == "[", hashes >= 2 {
                emitted = "\u{FF3B}"
            }
            colonAtStart = lineStart && scalar == ":"
            // A log splits lines at CR as well as LF.
            if scalar == "\n" || scalar == "\r" {
                lineStart = true
            } else if !scalar.properties.isWhitespace {
                lineStart = false
            }
            hashes = scalar == "#" ? hashes + 1 : 0
            out.unicodeScalars.append(emitted)
        }
        return out
    }
}
