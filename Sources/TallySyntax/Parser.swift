// The parser: its state, token access, and recovery from errors in a script and in `< … >`.
import TallyQuantities

/// Builds statements from tokens by recursive descent, one function per rule of
/// `Grammar/tally.ebnf` (listed in `rules`; the rules are in ParserStatements
/// and ParserExpressions). A syntax error is recorded and the parser skips to the next property or
/// statement, so one run reports every independent error.
package struct Parser {
    let tokens: [Token]
    var index = 0
    /// Open brackets: inside `( … )` line breaks are spaces; inside `< … >`
    /// they separate properties.
    var nesting: [Bracket] = []
    package private(set) var diagnostics: [Diagnostic] = []

    enum Bracket { case paren, angle }

    /// Nesting deeper than this is refused rather than risk the stack.
    static let maximumDepth = 128

    /// Each rule of `Grammar/tally.ebnf` with the function that parses it;
    /// GrammarTests checks that the grammar defines exactly these rules.
    static var rules: [String: (inout Parser) throws -> Any] {
        [
            "script": { $0.parseScript() }, "separator": { $0.atSeparator }, "statement": { try $0.parseStatement() },
            "let": { try $0.parseLet() }, "workload": { try $0.parseWorkload() }, "price": { try $0.parsePrice() },
            "show": { try $0.parseShow() }, "compare": { try $0.parseCompare() }, "advise": { try $0.parseAdvise() },
            "forecast": { try $0.parseForecast() }, "assert": { try $0.parseAssert() }, "import": { try $0.parseImport() },
            "region": { try $0.parseRegion() }, "catalog": { try $0.parseCatalog() }, "profile": { try $0.parseProfile() }, "month": { try $0.parseMonth() },
            "properties": { try $0.parseProperties() }, "property": { try $0.parseProperty() }, "amount": { try $0.parseAmount() }, "argument": { try $0.parseArgument() },
            "expression": { try $0.parseExpression() }, "or": { try $0.parseOr() }, "and": { try $0.parseAnd() },
            "not": { try $0.parseNot() }, "comparison": { try $0.parseComparison() },
            "compare_op": { Parser.comparison($0.currentKind) as Any }, "conversion": { try $0.parseConversion() },
            "sum": { try $0.parseSum() }, "product": { try $0.parseProduct() }, "unary": { try $0.parseUnary() },
            "postfix": { try $0.parsePostfix() }, "primary": { try $0.parsePrimary() }, "range": { try $0.parseRange() },
            "literal": { try $0.parseLiteral() }, "unit": { $0.parseUnit() as Any }, "call_arg": { try $0.parseCallArgument() },
            "by_tag": { try $0.parseByTag() },
        ]
    }

    package static func parse(_ file: SourceFile) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        parse(tokens: Lexer.tokenize(file))
    }

    /// Parses one byte range of a file (the built-in catalog reads one model's
    /// blocks at a time).
    package static func parse(_ file: SourceFile, range: Range<Int>) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        parse(tokens: Lexer.tokenize(file, range: range))
    }

    static func parse(tokens lexed: (tokens: [Token], diagnostics: [Diagnostic])) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        let (tokens, lexical) = lexed
        var parser = Parser(tokens: tokens)
        let statements = parser.parseScript()
        return (statements, Diagnostic.bounded(Parser.inSourceOrder(lexical, parser.diagnostics)))
    }

    /// Two lists each in source order, merged (summaries last).
    static func inSourceOrder(_ a: [Diagnostic], _ b: [Diagnostic]) -> [Diagnostic] {
        func start(_ d: Diagnostic) -> Int { d.omitted == nil ? d.span?.start ?? Int.max : Int.max }
        var merged: [Diagnostic] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && start(a[i]) <= start(b[j])) {
                merged.append(a[i])
                i += 1
            } else {
                merged.append(b[j])
                j += 1
            }
        }
        return merged
    }

    package init(tokens: [Token]) {
        self.tokens = tokens
    }

    // MARK: Token access

    /// Where the current token is: inside parentheses, past line breaks.
    var currentIndex: Int {
        guard nesting.last == .paren else { return index }
        var i = index
        while case .newline = tokens[i].kind { i += 1 }
        return i
    }

    var current: Token { tokens[currentIndex] }

    /// The current token's kind, without copying its span.
    var currentKind: Token.Kind { tokens[currentIndex].kind }

    mutating func advance() -> Token {
        if nesting.last == .paren {
            while tokens[index].kind == .newline { index += 1 }
        }
        let token = tokens[index]
        if token.kind != .end { index += 1 }
        return token
    }

    package func check(_ kind: Token.Kind) -> Bool { currentKind == kind }

    mutating func match(_ kind: Token.Kind) -> Bool {
        guard check(kind) else { return false }
        _ = advance()
        return true
    }

    func isKeyword(_ k: Keyword) -> Bool { currentKind == .keyword(k) }

    /// Words with a meaning in one place only, which stay names elsewhere.
    /// Words that open a statement only before a number, and are names (and
    /// units) everywhere else: `month 744 hours`, but `3000/month`.
    package static let statementWords: Set<String> = ["month"]
    package static let contextualWords: Set<String> = [
        "across", "by", "tag", "over", "growth", "profile", "cost", "guardrail", "agentcore", "data-automation", "usage", "calendar",
    ]

    func isWord(_ word: String) -> Bool { currentKind == .name(word) }

    var atSeparator: Bool {
        switch currentKind {
        case .newline, .semicolon, .end: true
        default: false
        }
    }

    package mutating func skipSeparators() {
        while check(.newline) || check(.semicolon) { _ = advance() }
    }

    /// After a binary operator an operand must follow, so a line break there
    /// continues the expression.
    mutating func skipNewlines() {
        while tokens[index].kind == .newline { index += 1 }
    }

    func error(_ message: String, at span: Span? = nil, hints: [String] = []) -> Diagnostic {
        Diagnostic(.syntax, message, at: span ?? current.span, hints: hints)
    }

    mutating func expect(_ kind: Token.Kind, _ what: String) throws(Diagnostic) -> Token {
        guard check(kind) else {
            throw error("expected \(what), found \(currentKind.describedForDiagnostic)")
        }
        return advance()
    }

    mutating func expectName(_ what: String) throws(Diagnostic) -> (String, Span) {
        let token = current
        switch token.kind {
        case .name(let name):
            _ = advance()
            return (name, token.span)
        case .keyword(let k):
            throw error("expected \(what), found the keyword `\(k.rawValue)`",
                        hints: ["`\(k.rawValue)` is reserved; choose another name"])
        default:
            throw error("expected \(what), found \(token.kind.describedForDiagnostic)")
        }
    }

    // MARK: Script and statements

    mutating func parseScript() -> [Statement] {
        var statements: [Statement] = []
        skipSeparators()
        while !check(.end) {
            let depth = nesting.count
            let startIndex = index
            let errorsBefore = diagnostics.count
            do throws(Diagnostic) {
                let statement = try parseStatement()
                if !atSeparator {
                    throw endOfStatementError()
                }
                // Errors inside `< … >` were recovered from; the statement
                // still must not run.
                statements.append(diagnostics.count > errorsBefore
                    ? Statement(kind: .invalid(declaring: declaredName(at: startIndex)), span: statement.span)
                    : statement)
            } catch {
                diagnostics.appendBounded(error)
                statements.append(Statement(kind: .invalid(declaring: declaredName(at: startIndex)), span: tokens[startIndex].span))
                nesting.removeLast(nesting.count - depth)
                // An unclosed `<` stops at the next statement: parse that one.
                if !(index > startIndex && startsStatement) { synchronize(inProperties: false) }
            }
            skipSeparators()
        }
        return statements
    }

    /// The name a `let` or `workload` starting at `index` declares.
    func declaredName(at index: Int) -> String? {
        guard index + 1 < tokens.count else { return nil }
        switch tokens[index].kind {
        case .keyword(.let), .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization):
            if case .name(let name) = tokens[index + 1].kind { return name }
            return nil
        default:
            guard contextualStatement(at: index) == .declaration || misspeltDeclaration(at: index) != nil,
                  case .name(let name) = tokens[index + 1].kind else { return nil }
            return name
        }
    }

    package func endOfStatementError() -> Diagnostic {
        var hints: [String] = []
        if case .name = currentKind, index > 0, case .number = tokens[index - 1].kind {
            hints.append("a number followed by a name is a quantity with a unit, such as `1000 tokens`")
        }
        if case .name = currentKind, index > 0, tokens[index - 1].kind.isMoneyOrPercent {
            hints.append("a unit follows a plain number, not an amount or a percentage: write `$3/1M tokens`")
        }
        if case .less = currentKind {
            hints.append("inside `< … >`, put a comparison in parentheses")
        }
        if case .comma = currentKind, let hint = digitGroupingHint(atComma: index) {
            hints.append(hint)
        }
        return error("expected the end of the statement, found \(currentKind.describedForDiagnostic)", hints: hints)
    }

    /// Skips to the next separator outside parentheses; inside `< … >`, or
    /// to the closing `>`.
    mutating func synchronize(inProperties: Bool) {
        var depth = 0
        while true {
            switch tokens[index].kind {
            case .end: return
            case .newline where depth == 0, .semicolon where depth == 0: return
            case .greater where depth == 0 && inProperties: return
            case .leftParen: depth += 1
            case .rightParen: depth = max(0, depth - 1)
            default: break
            }
            index += 1
        }
    }

    // MARK: Properties

    /// `< property; property … >`; returns the properties and the span of `>`.
    mutating func parseProperties() throws(Diagnostic) -> ([Property], Span) {
        let open = try expect(.less, "`<`")
        nesting.append(.angle)
        defer { nesting.removeLast() }
        guard nesting.count <= Parser.maximumDepth else {
            throw error("properties nested too deeply (more than \(Parser.maximumDepth) levels)", at: open.span)
        }
        var properties: [Property] = []
        skipSeparators()
        while !check(.greater) {
            if check(.end) || startsStatement {
                throw Diagnostic(.syntax, "unclosed `<`: expected `>` before \(currentKind.describedForDiagnostic)",
                                 at: current.span,
                                 labels: [.init(span: open.span, message: "opened here")])
            }
            let depth = nesting.count
            do throws(Diagnostic) {
                properties.append(try parseProperty())
                if !(atSeparator || check(.greater)) {
                    throw error("expected `;`, a new line or `>` after the property, found \(currentKind.describedForDiagnostic)",
                                hints: check(.less) || check(.greaterEqual) || check(.lessEqual)
                                    ? ["inside `< … >`, put a comparison in parentheses"] : [])
                }
            } catch {
                diagnostics.appendBounded(error)
                nesting.removeLast(nesting.count - depth)
                synchronize(inProperties: true)
            }
            skipSeparators()
        }
        let close = advance()
        return (properties, close.span)
    }

    /// Where a statement surely starts, so an unclosed `<` ends before it.
    /// `region` and `month` are left out: inside a block they are properties.
    var startsStatement: Bool {
        switch currentKind {
        case .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization), .keyword(.let), .keyword(.show),
             .keyword(.assert), .keyword(.import), .keyword(.price), .keyword(.catalog),
             .keyword(.compare), .keyword(.advise), .keyword(.forecast): true
        default: contextualStatement(at: index).map { $0 != .month } ?? false
        }
    }

    /// A statement opened by a word that is a name everywhere else.
    enum ContextualStatement { case month, profile, declaration }

    /// `month 744 hours` (a statement word before a number), `profile "ARN" <`,
    /// `cost NAME <` (a declaration word before a name and `<`).
    func contextualStatement(at index: Int) -> ContextualStatement? {
        guard case .name(let word) = tokens[index].kind, index + 1 < tokens.count else { return nil }
        switch (word, tokens[index + 1].kind) {
        case (_, .number) where Parser.statementWords.contains(word): return .month
        case ("month", .name("calendar")): return .month
        case ("profile", .string): return .profile
        case (_, .name) where DeclarationKind(rawValue: word) != nil && index + 2 < tokens.count && tokens[index + 2].kind == .less:
            return .declaration
        default: return nil
        }
    }
}
