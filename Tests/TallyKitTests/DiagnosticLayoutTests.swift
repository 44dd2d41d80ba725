import Testing
@testable import TallyRender

@Suite struct DiagnosticLayoutTests {
    func mark(_ column: Int, _ message: String) -> DiagnosticRenderer.Mark {
        DiagnosticRenderer.Mark(line: 1, start: column - 1, startColumn: column, width: 1, message: message, primary: false)
    }

    /// Labels hang rightmost first, each below a `|` from its column, with a
    /// `|` kept for every label still to come.
    @Test func stackedLabelsHangRightmostFirst() {
        let rendered = DiagnosticRenderer().stacked([mark(3, "a"), mark(7, "b"), mark(12, "c")], pad: "   | ")
        #expect(rendered == """
               |   |   |    |
               |   |   |    c
               |   |   b
               |   a

            """)
        #expect(DiagnosticRenderer().stacked([], pad: "   | ") == "")
        #expect(DiagnosticRenderer().stacked([mark(1, "x")], pad: "| ") == "| |\n| x\n")
    }
}
