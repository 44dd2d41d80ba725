/// A reader of ISO 14977 EBNF, enough for Grammar/tally.ebnf, and an Earley
/// recognizer of its rules over tokens: the test's own account of the grammar,
/// independent of the parser it checks.
struct EBNF {
    indirect enum Node {
        case terminal(String)
        case rule(String)
        case sequence([Node])
        case choice([Node])
        case optional(Node)
        case repeated(Node)
        /// `NAME - contextual`: a token class less some words.
        case except(Node, Node)
    }

    var rules: [String: Node] = [:]
    /// Rule names in the order they are defined.
    var order: [String] = []

    /// Upper-case names are token classes the lexer produces, not rules.
    static func isTokenClass(_ name: String) -> Bool { name.first?.isUppercase == true }

    enum Piece: Equatable { case name(String), string(String), symbol(Character), other }

    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads every definition in `text`; with `lenient`, definitions it cannot
    /// read (the lexical ones with `…`) are skipped.
    static func read(_ text: String, lenient: Bool = false) throws(ReadError) -> EBNF {
        var grammar = EBNF()
        let pieces = lex(withoutComments(text))
        var i = 0
        while i < pieces.count {
            guard case .name(let name) = pieces[i], i + 1 < pieces.count, pieces[i + 1] == .symbol("=") else {
                if lenient { i += 1; continue }
                throw ReadError(description: "expected a definition at piece \(i): \(pieces[i])")
            }
            guard let end = pieces[i...].firstIndex(of: .symbol(";")) else { throw ReadError(description: "\(name) has no `;`") }
            var reader = Reader(pieces: Array(pieces[(i + 2)..<end]))
            do throws(ReadError) {
                let node = try reader.choice()
                guard reader.atEnd else { throw ReadError(description: "\(name): unread \(reader.pieces[reader.index...])") }
                if grammar.rules[name] != nil { throw ReadError(description: "\(name) defined twice") }
                grammar.rules[name] = node
                grammar.order.append(name)
            } catch {
                if !lenient { throw error }
            }
            i = end + 1
        }
        return grammar
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

    static func lex(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                pieces.append(.name(String(chars[i..<j])))
                i = j
            } else if c == "\"" || c == "'" {
                var j = i + 1
                while j < chars.count, chars[j] != c { j += 1 }
                pieces.append(.string(String(chars[(i + 1)..<min(j, chars.count)])))
                i = j + 1
            } else if "=;|,[]{}()-".contains(c) {
                pieces.append(.symbol(c))
                i += 1
            } else {
                pieces.append(.other)
                i += 1
            }
        }
        return pieces
    }

    struct Reader {
        let pieces: [Piece]
        var index = 0
        var atEnd: Bool { index == pieces.count }

        mutating func take(_ c: Character) -> Bool {
            guard index < pieces.count, pieces[index] == .symbol(c) else { return false }
            index += 1
            return true
        }

        mutating func choice() throws(ReadError) -> Node {
            var alternatives = [try sequence()]
            while take("|") { alternatives.append(try sequence()) }
            return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
        }

        mutating func sequence() throws(ReadError) -> Node {
            var items = [try term()]
            while take(",") { items.append(try term()) }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        mutating func term() throws(ReadError) -> Node {
            let base = try factor()
            return take("-") ? .except(base, try factor()) : base
        }

        mutating func factor() throws(ReadError) -> Node {
            guard index < pieces.count else { throw ReadError(description: "unexpected end of rule") }
            let piece = pieces[index]
            index += 1
            switch piece {
            case .string(let s): return .terminal(s)
            case .name(let n): return .rule(n)
            case .symbol("["): return .optional(try closed(by: "]"))
            case .symbol("{"): return .repeated(try closed(by: "}"))
            case .symbol("("): return try closed(by: ")")
            default: throw ReadError(description: "unexpected \(piece)")
            }
        }

        mutating func closed(by c: Character) throws(ReadError) -> Node {
            let inner = try choice()
            guard take(c) else { throw ReadError(description: "expected \(c)") }
            return inner
        }
    }

    /// The words a rule of plain alternatives (`contextual`, `keyword`) lists.
    func words(of name: String) -> Set<String> {
        func collect(_ node: Node) -> Set<String> {
            switch node {
            case .terminal(let s): [s]
            case .choice(let nodes): nodes.reduce(into: Set<String>()) { $0.formUnion(collect($1)) }
            case .rule(let r): words(of: r)
            default: []
            }
        }
        return rules[name].map(collect) ?? []
    }
}

/// A token of a sentence: a keyword, punctuation or contextual word stands for
/// itself; a NAME, NUMBER, STRING … for its class.
struct GrammarToken: Hashable {
    let text: String
    /// "NAME", "KEYWORD", "PUNCT", "NUMBER", "PERCENT", "MONEY", "DOLLAR", "STRING" or "NEWLINE".
    let tokenClass: String
}

/// An Earley recognizer over a grammar's rules, the EBNF first turned into
/// plain productions.
struct Recognizer {
    enum Matcher: Hashable {
        case text(String)
        case tokenClass(String, excluding: Set<String>)

        func matches(_ token: GrammarToken) -> Bool {
            switch self {
            case .text(let t): token.text == t && token.tokenClass != "STRING"
            case .tokenClass(let c, let excluded): token.tokenClass == c && !excluded.contains(token.text)
            }
        }
    }

    enum Symbol: Hashable { case rule(Int), token(Matcher) }

    struct Production {
        let lhs: Int
        let rhs: [Symbol]
    }

    var productions: [Production] = []
    var byRule: [[Int]] = []
    var nullable: [Bool] = []
    var ruleIndex: [String: Int] = [:]
    var start = 0

    init(_ grammar: EBNF, start: String) {
        for name in grammar.order { ruleIndex[name] = newRule() }
        for name in grammar.order {
            guard let lhs = ruleIndex[name], let node = grammar.rules[name] else { continue }
            add(lhs, node, grammar)
        }
        // The start production: S' → start.
        let top = byRule.count
        byRule.append([])
        self.start = top
        productions.append(Production(lhs: top, rhs: [.rule(ruleIndex[start] ?? top)]))
        byRule[top].append(productions.count - 1)
        computeNullable()
    }

    mutating func newRule() -> Int {
        byRule.append([])
        return byRule.count - 1
    }

    mutating func add(_ lhs: Int, _ node: EBNF.Node, _ grammar: EBNF) {
        if case .choice(let alternatives) = node {
            for a in alternatives { add(lhs, a, grammar) }
        } else {
            let rhs = symbols(node, grammar)
            productions.append(Production(lhs: lhs, rhs: rhs))
            byRule[lhs].append(productions.count - 1)
        }
    }

    mutating func symbols(_ node: EBNF.Node, _ grammar: EBNF) -> [Symbol] {
        switch node {
        case .terminal(let t): return [.token(.text(t))]
        case .rule(let r):
            if EBNF.isTokenClass(r) { return [.token(.tokenClass(r, excluding: []))] }
            // A rule the syntactic part uses but does not define (such as
            // `contextual`) stands for its words.
            if let i = ruleIndex[r] { return [.rule(i)] }
            let fresh = newRule()
            for w in grammar.words(of: r) { add(fresh, .terminal(w), grammar) }
            return [.rule(fresh)]
        case .sequence(let items): return items.flatMap { symbols($0, grammar) }
        case .choice:
            let fresh = newRule()
            add(fresh, node, grammar)
            return [.rule(fresh)]
        case .optional(let inner):
            let fresh = newRule()
            add(fresh, .sequence([]), grammar)
            add(fresh, inner, grammar)
            return [.rule(fresh)]
        case .repeated(let inner):
            let fresh = newRule()
            add(fresh, .sequence([]), grammar)
            productions.append(Production(lhs: fresh, rhs: symbols(inner, grammar) + [.rule(fresh)]))
            byRule[fresh].append(productions.count - 1)
            return [.rule(fresh)]
        case .except(.rule(let c), let less):
            return [.token(.tokenClass(c, excluding: grammar.words(of: Self.ruleName(less))))]
        case .except:
            preconditionFailure("only `CLASS - rule` exceptions are read")
        }
    }

    static func ruleName(_ node: EBNF.Node) -> String {
        if case .rule(let r) = node { return r }
        return ""
    }

    mutating func computeNullable() {
        nullable = Array(repeating: false, count: byRule.count)
        var changed = true
        while changed {
            changed = false
            for p in productions where !nullable[p.lhs] {
                if p.rhs.allSatisfy({ if case .rule(let r) = $0 { nullable[r] } else { false } }) {
                    nullable[p.lhs] = true
                    changed = true
                }
            }
        }
    }

    struct Item: Hashable {
        let production: Int
        let dot: Int
        let origin: Int
    }

    func accepts(_ tokens: [GrammarToken]) -> Bool {
        var sets = Array(repeating: [Item](), count: tokens.count + 1)
        var seen = Array(repeating: Set<Item>(), count: tokens.count + 1)
        func add(_ item: Item, _ k: Int) {
            if seen[k].insert(item).inserted { sets[k].append(item) }
        }
        for p in byRule[start] { add(Item(production: p, dot: 0, origin: 0), 0) }
        for k in 0...tokens.count {
            var i = 0
            while i < sets[k].count {
                let item = sets[k][i]
                i += 1
                let rhs = productions[item.production].rhs
                if item.dot == rhs.count {
                    let lhs = productions[item.production].lhs
                    for waiting in sets[item.origin] {
                        let wr = productions[waiting.production].rhs
                        if waiting.dot < wr.count, wr[waiting.dot] == .rule(lhs) {
                            add(Item(production: waiting.production, dot: waiting.dot + 1, origin: waiting.origin), k)
                        }
                    }
                    continue
                }
                switch rhs[item.dot] {
                case .rule(let r):
                    for p in byRule[r] { add(Item(production: p, dot: 0, origin: k), k) }
                    if nullable[r] { add(Item(production: item.production, dot: item.dot + 1, origin: item.origin), k) }
                case .token(let m):
                    if k < tokens.count, m.matches(tokens[k]) {
                        add(Item(production: item.production, dot: item.dot + 1, origin: item.origin), k + 1)
                    }
                }
            }
        }
        return sets[tokens.count].contains { $0.origin == 0 && productions[$0.production].lhs == start && $0.dot == 1 }
    }
}
