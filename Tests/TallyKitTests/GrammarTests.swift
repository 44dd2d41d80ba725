import Foundation
import Testing
@testable import TallyKit

/// Grammar/tally.ebnf is the grammar people read; these tests fail when it and
/// the parser drift apart.
@Suite struct GrammarTests {
    static let grammar = Repository.read(Repository.root + "/Grammar/tally.ebnf")

    /// The words listed in the `keyword` rule.
    static func grammarKeywords() -> Set<String> {
        guard let start = grammar.range(of: "keyword     =") else { return [] }
        let rest = grammar[start.upperBound...]
        guard let end = rest.firstIndex(of: ";") else { return [] }
        var words = Set<String>()
        for part in rest[..<end].split(separator: "\"") where part.allSatisfy({ $0.isLetter || $0 == "-" }) && part.contains(where: \.isLetter) {
            words.insert(String(part))
        }
        return words
    }

    @Test func keywordsMatchTheLexer() {
        #expect(!Self.grammarKeywords().isEmpty)
        #expect(Self.grammarKeywords() == Set(Keyword.allCases.map(\.rawValue)))
    }

    /// Every quoted terminal in the grammar's rules is a keyword or an operator
    /// the lexer produces, and every keyword is used by some rule.
    @Test func terminalsAreTokens() {
        let operators: Set<String> = ["(", ")", "<", "<=", ">", ">=", "==", "!=", "+", "-", "*", "/", ",", ";", "=", "$", "%", ".", "..", "#", "_", "\\", "\""]
        let keywords = Set(Keyword.allCases.map(\.rawValue)).union(Parser.contextualWords)
        let rules = Self.withoutComments(Self.grammar.components(separatedBy: "(* ---- Scripts ---- *)").last ?? "")
        var terminals = Set<String>()
        for (i, part) in rules.split(separator: "\"", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
            terminals.insert(String(part))
        }
        for t in terminals {
            #expect(operators.contains(t) || keywords.contains(t), "grammar terminal \"\(t)\" is not a token")
        }
        for k in keywords {
            #expect(terminals.contains(k), "keyword \(k) is used by no rule")
        }
    }

    static func withoutComments(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "(*") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "*)") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The `contextual` rule lists exactly the parser's contextual words.
    @Test func contextualWordsMatchTheParser() {
        guard let start = Self.grammar.range(of: "contextual  =") else {
            Issue.record("no contextual rule")
            return
        }
        let rest = Self.grammar[start.upperBound...]
        let end = rest.firstIndex(of: ";") ?? rest.endIndex
        let words = Set(rest[..<end].split(separator: "\"").filter { $0.allSatisfy(\.isLetter) && !$0.isEmpty }.map(String.init))
        #expect(words == Parser.contextualWords)
    }

    /// Each rule the parser implements is defined in the grammar.
    @Test(arguments: ["script", "statement", "let", "workload", "price", "show", "assert", "import", "region", "catalog",
                      "compare", "advise", "forecast", "literal",
                      "properties", "property", "argument", "expression", "or", "and", "not", "comparison",
                      "conversion", "sum", "product", "unary", "postfix", "primary"])
    func ruleIsDefined(_ rule: String) {
        let pattern = "\n" + rule + String(repeating: " ", count: max(1, 12 - rule.count)) + "="
        #expect(Self.grammar.contains(pattern), "rule \(rule)")
    }
}
