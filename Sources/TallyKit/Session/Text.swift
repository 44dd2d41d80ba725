import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

extension StringProtocol {
    /// The text without spaces and tabs at either end.
    func trimmingWhitespace() -> String { trimming { $0 == " " || $0 == "\t" } }

    /// The text without line breaks at either end.
    func trimmingNewlines() -> String { trimming(\.isNewline) }

    /// The text without white space or line breaks at either end.
    func trimmingWhitespaceAndNewlines() -> String { trimming(\.isWhitespace) }

    func trimming(_ drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }
}
