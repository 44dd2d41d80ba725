import Foundation
import Testing
@testable import TallyLanguage
@testable import TallyQuantities
@testable import TallySyntax

/// Grammar/tally.tmLanguage.json highlights Tally in editors; these tests
/// hold it to the lexer and the parser. The words it scopes as keywords are
/// exactly the lexer's keywords and the parser's contextual words, its
/// property and unit names are the schema's and `Units`', and, run by the
/// small tokenizer in TextMate.swift over every example, the README's scripts,
/// the golden inputs and the built-in catalog, it scopes each token the lexer
/// makes as that kind of token.
@Suite struct TextMateGrammarTests {
    static let path = Repository.root + "/Grammar/tally.tmLanguage.json"

    static func json() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A group of plain words in one of the grammar's regexes, `(?:in|with)`:
    /// the scopes it gives them (its capture's name, else the rule's), and
    /// where the rule is.
    struct Words {
        let words: Set<String>
        let scopes: [String]
        let rule: String
    }

    /// Every rule of the grammar (an object with `match`, `begin` or
    /// `patterns`), with where it is.
    static func rules() throws -> [(path: String, rule: [String: Any])] {
        var found: [(path: String, rule: [String: Any])] = []
        func walk(_ value: Any, _ path: String) {
            if let array = value as? [Any] {
                for (i, item) in array.enumerated() { walk(item, "\(path)[\(i)]") }
            } else if let rule = value as? [String: Any] {
                found.append((path, rule))
                if let patterns = rule["patterns"] { walk(patterns, path + ".patterns") }
            }
        }
        let grammar = try json()
        walk(grammar["patterns"] ?? [], "patterns")
        for (key, child) in grammar["repository"] as? [String: Any] ?? [:] { walk(child, "repository.\(key)") }
        return found
    }

    static func words() throws -> [Words] {
        var found: [Words] = []
        for (path, rule) in try rules() {
            let name = (rule["name"] as? String).map { [$0] } ?? []
            for (key, capturesKey) in [("match", "captures"), ("begin", "beginCaptures"), ("end", "endCaptures")] {
                guard let regex = rule[key] as? String else { continue }
                let captures = (rule[capturesKey] ?? rule["captures"]) as? [String: Any] ?? [:]
                for group in TextMate.wordGroups(in: regex) {
                    let captured = group.capture.flatMap { (captures[String($0)] as? [String: Any])?["name"] as? String }
                    let scopes = (captured.map { [$0] } ?? name).flatMap { $0.split(separator: " ").map(String.init) }
                    found.append(Words(words: Set(group.words), scopes: scopes, rule: path))
                }
            }
        }
        return found
    }

    /// A keyword's scope: `and` is `keyword.operator.word`, `+` is no keyword, nor is a unit.
    static func isKeywordScope(_ scope: String) -> Bool {
        if scope.hasPrefix("keyword.operator.") { return scope.hasPrefix("keyword.operator.word") }
        if scope.hasPrefix("keyword.other.unit") { return false }
        return scope.hasPrefix("keyword.") || scope.hasPrefix("storage.type") || scope.hasPrefix("constant.language")
    }

    static let keywords = Set(Keyword.allCases.map(\.rawValue))
    static let contextual = Parser.contextualWords.union(Parser.statementWords)
    static let units = Set(Units.byName.keys.filter { $0.allSatisfy(\.isLetter) })
    static let properties = Set(WorkloadProperty.allCases.map(\.rawValue) + PriceProperty.allCases.map(\.rawValue)).subtracting(keywords)

    /// How a set of words differs from the one expected, and the alternation to paste.
    static func difference(_ found: Set<String>, _ expected: Set<String>, _ what: String) -> String {
        "\(what): missing \(expected.subtracting(found).sorted()), not expected \(found.subtracting(expected).sorted()); "
            + "expected (?:\(expected.sorted().joined(separator: "|"))) — edit Grammar/tally.tmLanguage.json, then copy it to Editors/vscode/syntaxes/"
    }

    @Test func isAGrammarVSCodeReads() throws {
        let grammar = try Self.json()
        #expect(grammar["scopeName"] as? String == "source.tally")
        #expect(grammar["name"] as? String == "Tally")
        #expect(grammar["fileTypes"] as? [String] == ["tally"])
        #expect((grammar["patterns"] as? [Any])?.isEmpty == false)
        #expect((grammar["repository"] as? [String: Any])?.isEmpty == false)
        _ = try TextMate(json: grammar)  // every regex compiles, every include resolves
        for (path, rule) in try Self.rules() {
            for key in ["match", "begin", "end"] {
                guard let regex = rule[key] as? String else { continue }
                // Escapes Oniguruma reads otherwise than ICU (\h is a hex digit there), or
                // that vscode-textmate treats specially (\G); and named groups.
                for escape in ["\\G", "\\h", "\\H", "\\K", "\\A", "\\z", "\\Z"] {
                    #expect(!regex.contains(escape), "\(path).\(key) uses \(escape), which the engines read differently")
                }
                #expect(regex.range(of: #"\(\?<[A-Za-z]"#, options: .regularExpression) == nil, "\(path).\(key) names a group")
            }
        }
    }

    @Test func itsKeywordPatternsHoldExactlyTheLexersKeywords() throws {
        let found = try Self.words().filter { $0.rule.hasPrefix("repository.keywords.") }
        #expect(!found.isEmpty)
        let words = found.reduce(into: Set<String>()) { $0.formUnion($1.words) }
        #expect(words == Self.keywords, "\(Self.difference(words, Self.keywords, "repository.keywords"))")
        for group in found {
            #expect(group.scopes.contains(where: Self.isKeywordScope), "\(group.rule) scopes \(group.words.sorted()) as \(group.scopes)")
        }
    }

    @Test func theWordsItScopesAsKeywordsAreTheLexersAndTheParsers() throws {
        let scoped = try Self.words().filter { $0.scopes.contains(where: Self.isKeywordScope) }
        let words = scoped.reduce(into: Set<String>()) { $0.formUnion($1.words) }
        let expected = Self.keywords.union(Self.contextual)
        #expect(words == expected, "\(Self.difference(words, expected, "words scoped as keywords"))")
        let declarations = scoped.filter { $0.scopes.contains("storage.type.declaration.tally") }
        let declared = declarations.reduce(into: Set<String>()) { $0.formUnion($1.words) }
        let kinds = Set(DeclarationKind.allCases.map(\.rawValue))
        #expect(declared == kinds, "\(Self.difference(declared, kinds, "declaration words"))")
    }

    @Test func itsPropertyAndUnitNamesAreTheSchemasAndUnits() throws {
        let all = try Self.words()
        let properties = all.filter { $0.scopes.contains { $0.hasPrefix("support.type.property-name") } }
        let units = all.filter { $0.scopes.contains { $0.hasPrefix("keyword.other.unit") } }
        #expect(!properties.isEmpty && units.count >= 2)
        for group in properties {
            #expect(group.words == Self.properties, "\(group.rule): \(Self.difference(group.words, Self.properties, "property names"))")
        }
        for group in units {
            #expect(group.words == Self.units, "\(group.rule): \(Self.difference(group.words, Self.units, "unit names"))")
        }
    }

    /// The scopes of the `nth` token spelt `word` in `source`, one list per character.
    static func scopes(of word: String, _ nth: Int = 1, in source: String) throws -> [[String]] {
        let file = SourceFile(name: "probe.tally", text: source)
        let scopes = try TextMate(json: json()).scopes(of: source, base: "source.tally")
        let map = Self.utf16Offsets(source)
        let matches = Lexer.tokenize(file).tokens.filter { file.text(of: $0.span) == word }
        guard matches.count >= nth else { throw TextMate.Problem(description: "no token `\(word)` in \(source)") }
        let span = matches[nth - 1].span
        return (map[span.start]..<map[span.end]).map { scopes[$0] }
    }

    /// For each byte offset of `text` (and its end), the UTF-16 offset.
    static func utf16Offsets(_ text: String) -> [Int] {
        var map: [Int] = []
        map.reserveCapacity(text.utf8.count + 1)
        var utf16 = 0
        for scalar in text.unicodeScalars {
            map += [Int](repeating: utf16, count: String(scalar).utf8.count)
            utf16 += scalar.utf16.count
        }
        return map + [utf16]
    }

    /// A word in context: `scope` is a prefix one of its scopes has on every
    /// character, or, after `!`, one none has.
    static let probes: [(source: String, word: String, nth: Int, scope: String)] = [
        ("cost vector-db < $700/month; tag team=search >", "cost", 1, "storage.type.declaration"),
        ("cost vector-db < $700/month; tag team=search >", "vector-db", 1, "entity.name.type"),
        ("cost vector-db < $700/month; tag team=search >", "$700", 1, "constant.numeric.money"),
        ("cost vector-db < $700/month; tag team=search >", "month", 1, "keyword.other.unit"),
        ("cost vector-db < $700/month; tag team=search >", "tag", 1, "support.type.property-name"),
        ("cost vector-db < $700/month; tag team=search >", "team", 1, "variable.parameter"),
        ("let cost = usage + guardrail", "cost", 1, "entity.name.variable"),
        ("let cost = usage + guardrail", "usage", 1, "!storage.type"),
        ("let cost = usage + guardrail", "guardrail", 1, "!keyword"),
        ("month 744 hours", "month", 1, "keyword.other.month"),
        ("month 744 hours", "hours", 1, "keyword.other.unit"),
        ("month calendar", "calendar", 1, "keyword.other"),
        ("let m = month", "month", 1, "!keyword"),
        ("show total by tag team", "by", 1, "keyword.other"),
        ("show total by tag team", "tag", 1, "keyword.other"),
        ("let by = tag", "tag", 1, "!keyword"),
        ("forecast total over 12 months growth 8%/month", "over", 1, "keyword.other"),
        ("forecast total over 12 months growth 8%/month", "growth", 1, "keyword.other"),
        ("forecast total over 12 months growth 8%/month", "months", 1, "keyword.other.unit"),
        ("forecast total over 12 months growth 8%/month", "8%", 1, "constant.numeric.percent"),
        ("let x = over + growth + across + calendar", "over", 1, "!keyword"),
        ("let x = over + growth + across + calendar", "across", 1, "!keyword"),
        ("let x = over + growth + across + calendar", "calendar", 1, "!keyword"),
        ("compare chat across model nova-pro, haiku-4.5", "across", 1, "keyword.other"),
        ("compare chat across model nova-pro, haiku-4.5", "haiku-4.5", 1, "variable.other"),
        ("profile \"arn:aws:bedrock\" < model sonnet-4.5 >", "profile", 1, "storage.type"),
        ("profile \"arn:aws:bedrock\" < model sonnet-4.5 >", "model", 1, "support.type.property-name"),
        ("let profile = 3", "profile", 1, "!storage"),
        ("assert total < $8k/month", "<", 1, "keyword.operator.comparison"),
        ("show chat with < model haiku-4.5 >", "<", 1, "punctuation.section.block.begin"),
        ("show chat with < model haiku-4.5 >", "model", 1, "support.type.property-name"),
        ("workload a <\n  requests (peak > 3)\n  model x\n>", ">", 1, "keyword.operator.comparison"),
        ("workload a <\n  requests (peak > 3)\n  model x\n>", "model", 1, "support.type.property-name"),
        ("workload a <\n  requests (peak > 3)\n  model x\n>", ">", 2, "punctuation.section.block.end"),
        ("workload a <\n  model x\nshow a", "show", 1, "keyword.control"),
        ("workload a <\n  model x\nshow a", "show", 1, "!meta.block"),
        ("workload a < region us-east-1 >", "region", 1, "keyword.other"),
        ("price \"x.y:0\" < input $3/1M tokens; provisioned-1-month $9/hour >", "\"x.y:0\"", 1, "entity.name.type"),
        ("price \"x.y:0\" < input $3/1M tokens; provisioned-1-month $9/hour >", "1M", 1, "constant.numeric"),
        ("price \"x.y:0\" < input $3/1M tokens; provisioned-1-month $9/hour >", "provisioned-1-month", 1, "variable.other.property"),
        ("let in-house = 1-month + sonnet-4.5", "in-house", 1, "!keyword"),
        ("let x = in-house + 1-month", "1-month", 1, "!constant.numeric"),
        ("show \"a\\\"b\\n\"", "\"a\\\"b\\n\"", 1, "string.quoted.double"),
        ("show 3_000 + 1.5M + 40k + $0.035 + 2k..5k", "2k", 1, "constant.numeric"),
        ("show chat in $/day", "$", 1, "keyword.other.unit.dollar"),
        ("show chat in $/day", "day", 1, "keyword.other.unit"),
    ]

    @Test func probesScopeWordsAsTheParserReadsThem() throws {
        for probe in Self.probes {
            let scopes = try Self.scopes(of: probe.word, probe.nth, in: probe.source)
            let absent = probe.scope.hasPrefix("!")
            let prefix = absent ? String(probe.scope.dropFirst()) : probe.scope
            for character in scopes {
                let has = character.contains { $0.hasPrefix(prefix) }
                #expect(has != absent, "`\(probe.word)` in `\(probe.source)` is \(character.joined(separator: " ")): expected \(probe.scope)")
            }
        }
    }

    /// What the corpus test scopes: the examples, the README's scripts, the
    /// golden inputs that parse cleanly, and the built-in catalog.
    static func corpus() -> [(name: String, text: String)] {
        func read(_ paths: [String]) -> [(name: String, text: String)] {
            paths.map { (String($0.dropFirst(Repository.root.count + 1)), Repository.read($0)) }
        }
        var texts = read(Repository.files(under: Repository.examples, extension: "tally"))
        texts += DocumentationTests.readmeBlocks().enumerated().map { ("README.md, tally block \($0 + 1)", $1) }
        texts += read(Repository.files(under: Repository.fixtures, extension: "tally")).filter {
            Parser.parse(SourceFile(name: $0.name, text: $0.text)).diagnostics.isEmpty
        }
        texts += read([Repository.root + "/Sources/TallyKit/Catalog/bedrock.tally"])
        return texts
    }

    /// Where the grammar scopes a token otherwise than the lexer reads it.
    static func problems(in name: String, _ text: String, _ textMate: TextMate) throws -> [String] {
        let file = SourceFile(name: name, text: text)
        let scopes = try textMate.scopes(of: text, base: "source.tally")
        let map = utf16Offsets(text)
        let bytes = Array(text.utf8)
        var problems: [String] = []
        func check(_ start: Int, _ end: Int, _ what: String, uniform: Bool = false, _ ok: ([String]) -> Bool) {
            let range = map[start]..<map[end]
            let first = range.first.map { scopes[$0] } ?? []
            guard let bad = range.first(where: { !ok(scopes[$0]) || (uniform && scopes[$0] != first) }) else { return }
            let spelt = String(decoding: bytes[start..<end], as: UTF8.self)
            problems.append("\(name):\(file.line(of: start)): \(what) `\(spelt.prefix(60))` is scoped \(scopes[bad].joined(separator: " "))")
        }
        func has(_ prefix: String) -> ([String]) -> Bool { { $0.contains { $0.hasPrefix(prefix) } } }
        var previousEnd = 0
        for token in Lexer.tokenize(file).tokens {
            let (start, end) = (token.span.start, token.span.end)
            if let hash = bytes[previousEnd..<start].firstIndex(of: UInt8(ascii: "#")) {
                check(hash, start, "a comment", has("comment.line.number-sign"))
            }
            previousEnd = end
            switch token.kind {
            case .keyword: check(start, end, "a keyword") { $0.contains(where: isKeywordScope) }
            case .string: check(start, end, "a string", has("string.quoted.double"))
            case .number, .percent, .money: check(start, end, "a number", has("constant.numeric"))
            case .dollar: check(start, end, "the unit $", has("keyword.other.unit.dollar"))
            case .name(let word):
                check(start, end, "a name", uniform: true) { scopes in
                    !scopes.contains { ["constant.numeric", "string", "comment", "invalid"].contains(where: $0.hasPrefix) }
                        && (contextual.contains(word) || !scopes.contains(where: isKeywordScope))
                        && (units.contains(word) || !has("keyword.other.unit")(scopes))
                }
            case .newline, .end: break
            default: check(start, end, "an operator") { has("keyword.operator")($0) || has("punctuation")($0) }
            }
        }
        return problems
    }

    @Test func itScopesEveryTokenOfTheExamplesAsTheLexerReadsIt() throws {
        let textMate = try TextMate(json: Self.json())
        let corpus = Self.corpus()
        #expect(corpus.count > 20)
        var problems: [String] = []
        for (name, text) in corpus { problems += try Self.problems(in: name, text, textMate) }
        #expect(problems.isEmpty, "\(problems.count) tokens scoped wrongly:\n\(problems.prefix(40).joined(separator: "\n"))")
    }
}
