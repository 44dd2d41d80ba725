import Foundation
import FoundationXML
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Each output context's escaper against the same hostile strings, with the
/// expected text worked out by hand from the rules in Escaping.swift.
struct EscapingTests {
    /// The strings every table covers, in this order.
    static let hostile = [
        "a\rb",                 // CR
        "a\nb",                 // LF
        "a\r\nb",               // CRLF: one Character, two scalars
        "a\u{0}b",              // NUL
        "a\u{FFFE}b",           // a noncharacter, not allowed in XML
        "a\u{2028}b",           // LINE SEPARATOR
        "\u{1B}[31mred",        // ESC: a colour sequence
        "\u{1B}]0;t\u{7}",      // OSC: sets the terminal's title
        "::error file=x::y",    // a workflow command
        "50%",
        "a|b",
        "<b>",
        "]]>",
        "\"q\" 'q'",
        "a,b",
    ]

    /// Scalars Swift accepts in no string literal.
    static func scalars(_ values: UInt32...) -> String {
        String(String.UnicodeScalarView(values.compactMap(Unicode.Scalar.init)))
    }

    func expect(_ escape: (String) -> String, _ expected: [String], extra: [(String, String)] = [],
                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(expected.count == Self.hostile.count, sourceLocation: sourceLocation)
        for (input, output) in zip(Self.hostile, expected) + extra {
            #expect(escape(input) == output, "\(input.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test func visible() {
        expect(Escaping.visible, [
            "a\u{240D}b",
            "a\u{240A}b",
            "a\u{240D}\u{240A}b",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a\u{FFFD}b",
            "\u{241B}[31mred",
            "\u{241B}]0;t\u{2407}",
            "::error file=x::y",
            "50%",
            "a|b",
            "<b>",
            "]]>",
            "\"q\" 'q'",
            "a,b",
        ], extra: [
            ("a\tb", "a b"),
            ("\u{7F}", "\u{2421}"),
            ("\u{9B}2J", "\u{FFFD}2J"),            // C1 CSI
            ("a\u{202E}b\u{2066}", "a\u{FFFD}b\u{FFFD}"),  // bidi controls
            (Self.scalars(0xFDD0, 0x1FFFF), "\u{FFFD}\u{FFFD}"),  // noncharacters
            ("naïve — ✅", "naïve — ✅"),
        ])
        // One visible Character per scalar, so columns stay aligned, and no
        // control left.
        for input in Self.hostile + ["\u{9B}\u{85}\u{7F}\t"] {
            let output = Escaping.visible(input)
            #expect(output.count == input.unicodeScalars.count, "\(input.debugDescription)")
            #expect(!output.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    @Test func githubData() {
        expect(Escaping.githubData, [
            "a%0Db",
            "a%0Ab",
            "a%0D%0Ab",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a\u{FFFD}b",
            "\u{241B}[31mred",
            "\u{241B}]0;t\u{2407}",
            "::error file=x::y",
            "50%25",
            "a|b",
            "<b>",
            "]]>",
            "\"q\" 'q'",
            "a,b",
        ], extra: [("a\tb", "a\tb"), ("%0A", "%250A")])
    }

    @Test func githubProperty() {
        expect(Escaping.githubProperty, [
            "a%0Db",
            "a%0Ab",
            "a%0D%0Ab",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a\u{FFFD}b",
            "\u{241B}[31mred",
            "\u{241B}]0;t\u{2407}",
            "%3A%3Aerror file=x%3A%3Ay",
            "50%25",
            "a|b",
            "<b>",
            "]]>",
            "\"q\" 'q'",
            "a%2Cb",
        ])
    }

    @Test func markdownText() {
        expect(Escaping.markdownText, [
            "a b",
            "a b",
            "a  b",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a b",
            "\u{241B}\\[31mred",
            "\u{241B}\\]0;t\u{2407}",
            "::error file=x::y",
            "50%",
            "a\\|b",
            "\\<b\\>",
            "\\]\\]\\>",
            "\"q\" 'q'",
            "a,b",
        ], extra: [
            ("# h", "\\# h"),
            ("a #b", "a \\#b"),
            ("- x", "\\- x"),
            ("+ x", "\\+ x"),
            ("===", "\\==="),
            ("a-b+c=d", "a-b+c=d"),
            ("12. x", "12\\. x"),
            ("3) x", "3\\) x"),
            ("1.", "1\\."),
            ("1.5 x", "1.5 x"),
            ("a 1. x", "a 1. x"),
            (" x", "&#32;x"),
            ("\nx", "&#32;x"),
            ("> q", "\\> q"),
            ("**b** _i_ ~~s~~", "\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~"),
            ("[l](u) ![i](u)", "\\[l\\](u) !\\[i\\](u)"),
            ("`c`", "\\`c\\`"),
            ("$x$", "\\$x\\$"),
            ("a\\b\\", "a\\\\b\\\\"),
            ("&amp; &#10;", "\\&amp; \\&\\#10;"),
            ("<!-- x -->", "\\<!-- x --\\>"),
            ("a\u{85}b\u{2029}c\u{B}d\u{C}e\tf", "a b c d e f"),
        ])
    }

    @Test func csvField() {
        expect(Escaping.csvField, [
            "\"a\rb\"",
            "\"a\nb\"",
            "\"a\r\nb\"",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a\u{FFFD}b",
            "\u{241B}[31mred",
            "\u{241B}]0;t\u{2407}",
            "::error file=x::y",
            "50%",
            "a|b",
            "<b>",
            "]]>",
            "\"\"\"q\"\" 'q'\"",
            "\"a,b\"",
        ], extra: [
            ("", ""),
            ("plain", "plain"),
            (" a", "\" a\""),
            ("a ", "\"a \""),
            ("a\tb", "\"a\tb\""),
            // Formulas get a leading quote; numbers stay numbers.
            ("=1+1", "'=1+1"),
            ("+x", "'+x"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "\"'\tx\""),
            ("\r=x", "\"'\r=x\""),
            ("=HYPERLINK(\"u\",\"t\")", "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\""),
            ("-7.64", "-7.64"),
            ("+3", "+3"),
            ("-12", "-12"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("-1.", "'-1."),
            ("--1", "'--1"),
            ("-1.2.3", "'-1.2.3"),
        ])
    }

    @Test func xmlText() {
        expect(Escaping.xmlText, [
            "a&#13;b",
            "a\nb",
            "a&#13;\nb",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a\u{FFFD}b",
            "\u{241B}[31mred",
            "\u{241B}]0;t\u{2407}",
            "::error file=x::y",
            "50%",
            "a|b",
            "&lt;b&gt;",
            "]]&gt;",
            "\"q\" 'q'",
            "a,b",
        ], extra: [("a\tb", "a\tb"), ("a&b", "a&amp;b"), ("\u{FFFF}\u{7F}", "\u{FFFD}\u{2421}")])
    }

    @Test func xmlAttribute() {
        expect(Escaping.xmlAttribute, [
            "a&#13;b",
            "a&#10;b",
            "a&#13;&#10;b",
            "a\u{2400}b",
            "a\u{FFFD}b",
            "a\u{FFFD}b",
            "\u{241B}[31mred",
            "\u{241B}]0;t\u{2407}",
            "::error file=x::y",
            "50%",
            "a|b",
            "&lt;b&gt;",
            "]]&gt;",
            "&quot;q&quot; &apos;q&apos;",
            "a,b",
        ], extra: [("a\tb", "a&#9;b"), ("a&b", "a&amp;b")])
    }

    @Test func json() {
        expect(Escaping.json, [
            "\"a\\rb\"",
            "\"a\\nb\"",
            "\"a\\r\\nb\"",
            "\"a\\u0000b\"",
            "\"a\u{FFFE}b\"",
            "\"a\\u2028b\"",
            "\"\\u001b[31mred\"",
            "\"\\u001b]0;t\\u0007\"",
            "\"::error file=x::y\"",
            "\"50%\"",
            "\"a|b\"",
            "\"<b>\"",
            "\"]]>\"",
            "\"\\\"q\\\" 'q'\"",
            "\"a,b\"",
        ], extra: [("a\tb\\", "\"a\\tb\\\\\""), ("\u{1F}\u{7F}\u{2029}", "\"\\u001f\u{7F}\\u2029\"")])
    }

    @Test func workflowSafe() {
        let cases: [(String, String)] = [
            ("::error::x", ":\u{2236}error::x"),
            ("  \t::warning file=a::b", "  \t:\u{2236}warning file=a::b"),
            ("ok\n::notice::n\r::add-mask::m\r\n ::x", "ok\n:\u{2236}notice::n\r:\u{2236}add-mask::m\r\n :\u{2236}x"),
            ("\u{A0}\u{3000}::e", "\u{A0}\u{3000}:\u{2236}e"),
            ("a ::b :: c", "a ::b :: c"),
            ("x ##[error]y ###[z] #[w] ##", "x ##\u{FF3B}error]y ###\u{FF3B}z] #[w] ##"),
            (":", ":"),
            ("", ""),
            ("plain text", "plain text"),
        ]
        for (input, expected) in cases {
            #expect(Escaping.workflowSafe(input) == expected, "\(input.debugDescription)")
        }
        #expect(Escaping.json("a##[b#[c") == "\"a##\\u005b b#[c\"".replacingOccurrences(of: " ", with: ""))
    }

    /// The fuzz harness's own test of what the runner would act on.
    @Test func theHarnessSeesWhatWorkflowSafeDefuses() {
        for text in ["::error::x", "ok\n  ::warning::w", "a\r::e::f", "x ##[error]y"] {
            #expect(FuzzHarness.holdsWorkflowCommand(text), "\(text.debugDescription)")
            #expect(!FuzzHarness.holdsWorkflowCommand(Escaping.workflowSafe(text)), "\(text.debugDescription)")
        }
        #expect(!FuzzHarness.holdsWorkflowCommand("a ::b\n#[c] ##"))
    }

    /// Real parsers read back what the escapers wrote: JSON exactly; XML
    /// exactly where XML 1.0 allows the scalars.
    @Test func parsersReadTheEscapedText() throws {
        for input in Self.hostile + ["a\tb", "\u{1}\u{1F}\u{7F}\u{9F}", "&amp;"] {
            let literal = Escaping.json(input)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(decoded == [input], "\(input.debugDescription)")

            let xml = "<r a=\"\(Escaping.xmlAttribute(input))\" b='\(Escaping.xmlAttribute(input))'>\(Escaping.xmlText(input))</r>"
            let root = try #require(try XMLDocument(data: Data(xml.utf8)).rootElement(), "\(input.debugDescription)")
            let allowed = !input.unicodeScalars.contains { Escaping.standIn($0) != nil && !"\t\r\n".unicodeScalars.contains($0) }
            if allowed {
                #expect(root.attribute(forName: "a")?.stringValue == input, "\(input.debugDescription)")
                #expect(root.attribute(forName: "b")?.stringValue == input, "\(input.debugDescription)")
                #expect(root.stringValue == input, "\(input.debugDescription)")
            }
        }
    }
}
