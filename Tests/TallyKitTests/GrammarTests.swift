import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

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
        let keywords = Set(Keyword.allCases.map(\.rawValue)).union(Parser.contextualWords).union(Parser.statementWords)
        let rules = EBNF.withoutComments(Self.grammar.components(separatedBy: "(* ---- Scripts ---- *)").last ?? "")
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

    /// The `statementword` rule lists exactly the parser's statement words.
    @Test func statementWordsMatchTheParser() throws {
        let start = try #require(Self.grammar.range(of: "statementword = "))
        let rest = Self.grammar[start.upperBound...]
        let end = rest.firstIndex(of: ";") ?? rest.endIndex
        let words = Set(rest[..<end].split(separator: "\"").filter { $0.allSatisfy(\.isLetter) && !$0.isEmpty }.map(String.init))
        #expect(words == Parser.statementWords)
    }

    /// The `contextual` rule lists exactly the parser's contextual words
    /// (`data-automation` holds a hyphen).
    @Test func contextualWordsMatchTheParser() {
        guard let start = Self.grammar.range(of: "contextual  =") else {
            Issue.record("no contextual rule")
            return
        }
        let rest = Self.grammar[start.upperBound...]
        let end = rest.firstIndex(of: ";") ?? rest.endIndex
        let words = Set(rest[..<end].split(separator: "\"").filter { $0.allSatisfy { $0.isLetter || $0 == "-" } && $0.first?.isLetter == true }
            .map(String.init))
        #expect(words == Parser.contextualWords)
    }

    /// The grammar's rules are exactly the parser's table of rule functions,
    /// and every rule can be reached from `script`.
    @Test func rulesMatchTheParsersFunctions() throws {
        let syntax = try Self.syntax()
        #expect(Set(syntax.order) == Set(Parser.rules.keys))
        var reached: Set<String> = ["script"]
        var queue = ["script"]
        while let rule = queue.popLast() {
            for used in Self.rulesUsed(by: syntax.rules[rule]) where syntax.order.contains(used) && reached.insert(used).inserted {
                queue.append(used)
            }
        }
        #expect(reached == Set(syntax.order), "unreachable: \(Set(syntax.order).subtracting(reached).sorted())")
    }

    static func rulesUsed(by node: EBNF.Node?) -> [String] {
        switch node {
        case .rule(let r): [r]
        case .sequence(let nodes), .choice(let nodes): nodes.flatMap { rulesUsed(by: $0) }
        case .optional(let n), .repeated(let n): rulesUsed(by: n)
        case .except(let a, let b): rulesUsed(by: a) + rulesUsed(by: b)
        case .terminal, nil: []
        }
    }

    /// The rules from `script` on, with the lexical `contextual` they use.
    static func syntax() throws -> EBNF {
        let parts = grammar.components(separatedBy: "(* ---- Scripts ---- *)")
        var syntax = try EBNF.read(parts.last ?? "")
        let lexical = try EBNF.read(parts.first ?? "", lenient: true)
        syntax.rules["contextual"] = lexical.rules["contextual"]
        syntax.rules["keyword"] = lexical.rules["keyword"]
        return syntax
    }
}
