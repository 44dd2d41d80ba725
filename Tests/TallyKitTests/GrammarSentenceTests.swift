import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// Sentences derived at random from Grammar/tally.ebnf must parse, with each
/// operator grouping the operands the grammar gives it; one-token mutations of
/// them must parse exactly when the test's own recognizer of the grammar
/// accepts them.
@Suite struct GrammarSentenceTests {
    static let sentences = 1200
    static let mutantsPerSentence = 3

    @Test func parserAgreesWithTheGrammar() throws {
        let syntax = try GrammarTests.syntax()
        let recognizer = Recognizer(syntax, start: "script")
        var generator = SentenceGenerator(grammar: syntax, seed: 12)
        var report = Mismatches()
        var derived = 0, mutantsAccepted = 0, mutantsRejected = 0
        for n in 0..<Self.sentences {
            guard let sentence = generator.sentence(of: n % 4 == 0 ? "script" : "statement", depthLimit: 12 + n % 10, maximumLength: 40) else { continue }
            derived += 1
            if !recognizer.accepts(sentence.tokens) {
                report.add("the recognizer refuses a derived sentence", sentence.tokens)
                continue
            }
            let source = Source(sentence.tokens)
            let parsed = Parser.parse(SourceFile(name: "g", text: source.text))
            if let d = parsed.diagnostics.first {
                if !Self.isUnitAfterNumber(sentence.tokens) {
                    report.add("the parser refuses a sentence of the grammar (\(d.message))", sentence.tokens)
                }
            } else if !Self.juxtaposesMinus(sentence) {
                let expected = source.spans(of: sentence.operators)
                let actual = Source.operators(in: parsed.statements, tokenStarts: source.starts)
                if expected != actual {
                    report.add("operators group differently (grammar \(expected.sorted { $0.key < $1.key }), parser \(actual.sorted { $0.key < $1.key }))", sentence.tokens)
                }
            }
            generator.learn(sentence.tokens)
            for _ in 0..<Self.mutantsPerSentence {
                guard let mutant = generator.mutate(sentence.tokens) else { continue }
                let inGrammar = recognizer.accepts(mutant)
                let parses = Parser.parse(SourceFile(name: "m", text: Source(mutant).text)).diagnostics.isEmpty
                if inGrammar != parses, !(inGrammar && Self.isUnitAfterNumber(mutant)) {
                    report.add(inGrammar ? "the parser refuses a sentence of the grammar" : "the parser accepts what the grammar refuses", mutant)
                }
                if inGrammar { mutantsAccepted += 1 } else { mutantsRejected += 1 }
            }
        }
        #expect(report.count == 0, "\(report.count) disagreements:\n\(report.examples.joined(separator: "\n"))")
        // Enough of each kind that a drift cannot hide.
        #expect(derived > Self.sentences * 3 / 4)
        #expect(mutantsRejected > 1000)
        #expect(mutantsAccepted > 300)
    }

    /// Arguments follow each other without a comma, so in `input 3 - 1` the
    /// grammar also derives two arguments, `3` and `-1`; the parser reads one.
    static func juxtaposesMinus(_ sentence: (tokens: [GrammarToken], operators: [Int: ClosedRange<Int>])) -> Bool {
        let operandEnds: Set<String> = ["NAME", "NUMBER", "PERCENT", "MONEY", "DOLLAR", "STRING"]
        return sentence.operators.contains { op, operands in
            guard op > 0, operands.lowerBound == op, sentence.tokens[op].text == "-" else { return false }
            let before = sentence.tokens[op - 1]
            return operandEnds.contains(before.tokenClass) || [")", ">", "true", "false"].contains(before.text)
        }
    }

    /// A name right after a number on the same line is the number's unit (the
    /// grammar's `unit` note): where the grammar also derives the name as the
    /// start of the next argument (`region a = 3000 1-month ( )`), the parser
    /// reads a unit. Such a refusal is excused only when writing the comma the
    /// argument list allows there makes the parser accept it.
    static func isUnitAfterNumber(_ tokens: [GrammarToken]) -> Bool {
        var separated: [GrammarToken] = []
        var found = false
        for token in tokens {
            if token.tokenClass == "NAME", separated.last?.tokenClass == "NUMBER" {
                separated.append(SentenceGenerator.token(","))
                found = true
            }
            separated.append(token)
        }
        return found && Parser.parse(SourceFile(name: "u", text: Source(separated).text)).diagnostics.isEmpty
    }

    /// The recognizer itself tells sentences from non-sentences.
    @Test func recognizerFollowsTheGrammar() throws {
        let recognizer = Recognizer(try GrammarTests.syntax(), start: "script")
        func tokens(_ words: [String]) -> [GrammarToken] { words.map(SentenceGenerator.token) }
        #expect(recognizer.accepts(tokens(["show", "NUMBER", "NAME", "..", "NUMBER"])) == false)
        #expect(recognizer.accepts(tokens(["show", "NUMBER", "..", "NUMBER", "NAME"])))
        #expect(recognizer.accepts(tokens(["show", "NAME", "<", "NAME", "<", "NAME"])) == false)
        #expect(recognizer.accepts(tokens(["show", "NAME", "<", "NAME", "and", "NAME", "<", "NAME"])))
        #expect(recognizer.accepts(tokens(["show", "MONEY", "NAME"])) == false)
        #expect(recognizer.accepts(tokens(["forecast", "NAME", "over", "NUMBER", "growth", "PERCENT"])))
        #expect(recognizer.accepts(tokens(["let", "NAME", "="])) == false)
    }

    struct Mismatches {
        var count = 0
        var examples: [String] = []

        mutating func add(_ what: String, _ tokens: [GrammarToken]) {
            count += 1
            if examples.count < 8 { examples.append("\(what): \(Source(tokens).text.debugDescription)") }
        }
    }
}

/// A sentence as source text, with where each token starts.
struct Source {
    var text = ""
    var starts: [Int] = []
    var ends: [Int] = []

    init(_ tokens: [GrammarToken]) {
        for t in tokens {
            if !text.isEmpty && t.tokenClass != "NEWLINE" { text += " " }
            starts.append(text.utf8.count)
            text += t.text
            ends.append(text.utf8.count)
        }
    }

    /// Token indices of operators and their operands, as byte ranges.
    func spans(of operators: [Int: ClosedRange<Int>]) -> [Int: Range<Int>] {
        var spans: [Int: Range<Int>] = [:]
        for (op, operands) in operators { spans[starts[op]] = starts[operands.lowerBound]..<ends[operands.upperBound] }
        return spans
    }

    /// Each operator in the parser's trees, by where it starts, with the span
    /// from its first operand's start to its last operand's end.
    static func operators(in statements: [Statement], tokenStarts: [Int]) -> [Int: Range<Int>] {
        var map: [Int: Range<Int>] = [:]
        func visit(_ properties: [Property]) {
            for p in properties {
                for a in p.arguments {
                    switch a {
                    case .expression(let e), .assignment(_, _, let e): visit(e)
                    }
                }
            }
        }
        func visit(_ e: Expr) {
            switch e.kind {
            case .binary(_, let l, let r, let op):
                map[op.start] = l.span.start..<r.span.end
                visit(l)
                visit(r)
            case .convert(let v, let target):
                if let op = tokenStarts.first(where: { $0 >= v.span.end }) { map[op] = v.span.start..<target.span.end }
                visit(v)
                visit(target)
            case .negate(let o), .not(let o):
                if let op = tokenStarts.last(where: { $0 < o.span.start }) { map[op] = op..<o.span.end }
                visit(o)
            case .withUnit(let x, _, _), .tagged(_, _, let x): visit(x)
            case .range(let a, let b):
                visit(a)
                visit(b)
            case .call(_, _, let arguments): arguments.forEach(visit)
            case .with(let x, let properties):
                visit(x)
                visit(properties)
            case .number, .percent, .money, .boolean, .string, .dollar, .name: break
            }
        }
        for s in statements {
            switch s.kind {
            case .let(_, _, let e), .advise(let e), .assert(let e, _, _), .expression(let e), .month(let e): visit(e)
            case .workload(_, _, let properties, _), .price(_, _, let properties), .profile(_, _, let properties): visit(properties)
            case .show(let items, _), .compare(let items): items.forEach(visit)
            case .compareAcross(let e, let property):
                visit(e)
                visit([property])
            case .forecast(let subject, let over, let growth):
                visit(subject)
                visit(over)
                growth.map(visit)
            case .import, .region, .catalog, .monthCalendar, .invalid: break
            }
        }
        return map
    }
}

/// Derives random sentences from the grammar, with a deterministic seed.
struct SentenceGenerator {
    let grammar: EBNF
    var random: SplitMix
    /// The fewest rule levels a node needs to reach tokens.
    var height: [String: Int] = [:]
    var tokens: [GrammarToken] = []
    /// Operator token → the tokens of its expression, as the grammar groups them.
    var operators: [Int: ClosedRange<Int>] = [:]
    var terminals: [GrammarToken] = []
    /// Past this many tokens a sentence takes the shortest way to its end.
    var budget = 0

    static let operatorTexts: Set<String> = ["or", "and", "not", "<", "<=", ">", ">=", "==", "!=", "in", "+", "-", "*", "/"]
    /// Tokens the lexer reads as each class; no NAME is a keyword or a contextual word.
    static let fillers: [String: [String]] = [
        "NAME": ["chat", "sonnet-4.5", "us-east-1", "1-month", "x"], "NUMBER": ["3000", "2.5", "40k", "3_000"],
        "PERCENT": ["60%", "2.5%"], "MONEY": ["$5", "$0.035", "$8k"], "DOLLAR": ["$"], "STRING": ["\"s\""], "NEWLINE": ["\n"],
    ]
    static let keywords = Set(Keyword.allCases.map(\.rawValue))

    init(grammar: EBNF, seed: UInt64) {
        self.grammar = grammar
        random = SplitMix(state: seed)
        var changed = true
        while changed {
            changed = false
            for name in grammar.order {
                guard let node = grammar.rules[name] else { continue }
                let h = height(of: node) + 1
                if h < height[name] ?? Int.max {
                    height[name] = h
                    changed = true
                }
            }
        }
        var seen = Set<String>()
        for name in grammar.order { collectTerminals(grammar.rules[name], &seen) }
    }

    mutating func collectTerminals(_ node: EBNF.Node?, _ seen: inout Set<String>) {
        switch node {
        case .terminal(let t): if seen.insert(t).inserted { terminals.append(Self.token(t)) }
        case .rule(let r) where EBNF.isTokenClass(r): if seen.insert(r).inserted { terminals.append(Self.token(r)) }
        case .sequence(let nodes), .choice(let nodes): for n in nodes { collectTerminals(n, &seen) }
        case .optional(let n), .repeated(let n), .except(let n, _): collectTerminals(n, &seen)
        case .rule, nil: break
        }
    }

    func height(of node: EBNF.Node) -> Int {
        switch node {
        case .terminal, .optional, .repeated, .except: 0
        case .rule(let r): EBNF.isTokenClass(r) ? 0 : height[r] ?? Int.max / 2
        case .sequence(let nodes): nodes.map { height(of: $0) }.max() ?? 0
        case .choice(let nodes): nodes.map { height(of: $0) }.min() ?? 0
        }
    }

    /// A token for a terminal of the grammar, or a filler for a token class.
    static func token(_ terminal: String) -> GrammarToken {
        if let filler = fillers[terminal]?.first { return GrammarToken(text: filler, tokenClass: terminal) }
        if keywords.contains(terminal) { return GrammarToken(text: terminal, tokenClass: "KEYWORD") }
        return GrammarToken(text: terminal, tokenClass: terminal.first?.isLetter == true ? "NAME" : "PUNCT")
    }

    mutating func sentence(of rule: String, depthLimit: Int, maximumLength: Int) -> (tokens: [GrammarToken], operators: [Int: ClosedRange<Int>])? {
        tokens = []
        operators = [:]
        budget = maximumLength * 2 / 3
        derive(.rule(rule), depth: 0, limit: depthLimit, rule: "", ruleStart: 0)
        return tokens.count <= maximumLength ? (tokens, operators) : nil
    }

    mutating func derive(_ node: EBNF.Node, depth: Int, limit: Int, rule: String, ruleStart: Int) {
        let depth = tokens.count >= budget ? max(depth, limit) : depth
        switch node {
        case .terminal(let t):
            tokens.append(Self.token(t))
        case .rule(let r) where EBNF.isTokenClass(r):
            let options = Self.fillers[r] ?? [r]
            tokens.append(GrammarToken(text: options[random.below(options.count)], tokenClass: r))
        case .except(let base, _):
            derive(base, depth: depth, limit: limit, rule: rule, ruleStart: ruleStart)
        case .rule(let r):
            guard let body = grammar.rules[r] else { return }
            derive(body, depth: depth + 1, limit: limit, rule: r, ruleStart: tokens.count)
        case .sequence(let items):
            var ranges: [Range<Int>] = []
            for item in items {
                let start = tokens.count
                derive(item, depth: depth, limit: limit, rule: rule, ruleStart: ruleStart)
                ranges.append(start..<tokens.count)
            }
            // An operator is one token between operands; its expression runs
            // from the rule's start to the end of the operand after it.
            for i in ranges.indices.dropLast() where rule != "properties" && ranges[i].count == 1
                && Self.operatorTexts.contains(tokens[ranges[i].lowerBound].text) && !ranges[i + 1].isEmpty {
                operators[ranges[i].lowerBound] = ruleStart...(ranges[i + 1].upperBound - 1)
            }
        case .choice(let alternatives):
            var options = alternatives.indices.map { $0 }
            if depth >= limit {
                // The shortest way out, but for a few levels also short
                // alternatives (a literal, not only a name) so they occur.
                let lowest = alternatives.map { height(of: $0) }.min() ?? 0
                options = options.filter {
                    let h = height(of: alternatives[$0])
                    return h == lowest || (depth < limit + 3 && h <= 2)
                }
            }
            derive(alternatives[options[random.below(options.count)]], depth: depth, limit: limit, rule: rule, ruleStart: ruleStart)
        case .optional(let inner):
            // Past the limit, only what ends soon: `[ "by" , "tag" , NAME ]`, `[ unit ]`.
            if (depth < limit || height(of: inner) == 0 || (depth < limit + 3 && height(of: inner) <= 1)) && random.below(2) == 0 { derive(inner, depth: depth, limit: limit, rule: rule, ruleStart: ruleStart) }
        case .repeated(let inner):
            for _ in 0..<(depth < limit ? random.below(3) : 0) { derive(inner, depth: depth, limit: limit, rule: rule, ruleStart: ruleStart) }
        }
    }

    /// Which tokens follow each token in the sentences derived so far, by
    /// class (`MONEY` → `NAME`): inserting one makes a near-sentence.
    var followers: [String: [GrammarToken]] = [:]

    static func key(_ t: GrammarToken) -> String { t.tokenClass == "NAME" || t.tokenClass == "KEYWORD" || t.tokenClass == "PUNCT" ? t.text : t.tokenClass }

    mutating func learn(_ sentence: [GrammarToken]) {
        for (a, b) in zip(sentence, sentence.dropFirst()) where (followers[Self.key(a)]?.count ?? 0) < 64 {
            if !(followers[Self.key(a)] ?? []).contains(b) { followers[Self.key(a), default: []].append(b) }
        }
    }

    /// One token dropped, doubled, swapped with the next, moved, replaced or
    /// inserted (any terminal, or one that follows its left neighbour in some
    /// sentence). None next to a line end: there the parser's
    /// line-continuation rules, which the grammar states in prose, decide.
    mutating func mutate(_ sentence: [GrammarToken]) -> [GrammarToken]? {
        guard !sentence.isEmpty else { return nil }
        var m = sentence
        let i = random.below(m.count)
        let other = terminals[random.below(terminals.count)]
        switch random.below(7) {
        case 0: m.remove(at: i)
        case 1: m.insert(m[i], at: i)
        case 2:
            guard i + 1 < m.count else { return nil }
            m.swapAt(i, i + 1)
        case 3:
            let token = m.remove(at: i)
            m.insert(token, at: min(m.count, max(0, i + random.below(7) - 3)))
        case 4: m[i] = other
        case 5: m.insert(other, at: i)
        default:
            guard let next = followers[Self.key(m[i])], !next.isEmpty else { return nil }
            m.insert(next[random.below(next.count)], at: i + 1)
        }
        guard !m.isEmpty else { return nil }
        let near = min(max(0, i - 1), m.count - 1)...min(m.count - 1, i + 3)
        guard !m[near].contains(where: { $0.tokenClass == "NEWLINE" }) else { return nil }
        return m
    }
}

struct SplitMix {
    var state: UInt64

    mutating func below(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(n))
    }
}
