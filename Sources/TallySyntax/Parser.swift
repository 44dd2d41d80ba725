import TallyQuantities

/// Builds statements from tokens by recursive descent, one function per rule of
/// `Grammar/tally.ebnf` (listed in `rules`; the file is as long as the grammar
/// is). A syntax error is recorded and the parser skips to the next property or
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
            "region": { try $0.parseRegion() }, "catalog": { try $0.parseCatalog() },
            "properties": { try $0.parseProperties() }, "property": { try $0.parseProperty() }, "argument": { try $0.parseArgument() },
            "expression": { try $0.parseExpression() }, "or": { try $0.parseOr() }, "and": { try $0.parseAnd() },
            "not": { try $0.parseNot() }, "comparison": { try $0.parseComparison() },
            "compare_op": { Parser.comparison($0.currentKind) as Any }, "conversion": { try $0.parseConversion() },
            "sum": { try $0.parseSum() }, "product": { try $0.parseProduct() }, "unary": { try $0.parseUnary() },
            "postfix": { try $0.parsePostfix() }, "primary": { try $0.parsePrimary() }, "range": { try $0.parseRange() },
            "literal": { try $0.parseLiteral() }, "unit": { $0.parseUnit() as Any },
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
    package static let contextualWords: Set<String> = ["across", "by", "tag", "over", "growth"]

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
                if !(index > startIndex && startsStatement) { synchronizeStatement() }
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
            return nil
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
        return error("expected the end of the statement, found \(currentKind.describedForDiagnostic)", hints: hints)
    }

    /// Skips to the next separator outside brackets.
    mutating func synchronizeStatement() {
        var depth = 0
        while true {
            switch tokens[index].kind {
            case .end: return
            case .newline where depth == 0, .semicolon where depth == 0: return
            case .leftParen: depth += 1
            case .rightParen: depth = max(0, depth - 1)
            default: break
            }
            index += 1
        }
    }

    mutating func parseStatement() throws(Diagnostic) -> Statement {
        switch currentKind {
        case .keyword(.let): return try parseLet()
        case .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization): return try parseWorkload()
        case .keyword(.price): return try parsePrice()
        case .keyword(.show): return try parseShow()
        case .keyword(.compare): return try parseCompare()
        case .keyword(.advise): return try parseAdvise()
        case .keyword(.forecast): return try parseForecast()
        case .keyword(.assert): return try parseAssert()
        case .keyword(.import): return try parseImport()
        case .keyword(.catalog): return try parseCatalog()
        case .keyword(.region): return try parseRegion()
        default:
            let expression = try parseExpression()
            return Statement(kind: .expression(expression), span: expression.span)
        }
    }

    mutating func parseLet() throws(Diagnostic) -> Statement {
        let start = advance().span
        let (name, nameSpan) = try expectName("a name after `let`")
        _ = try expect(.equal, "`=` after `let \(name)`")
        let value = try parseExpression()
        return Statement(kind: .let(name, nameSpan: nameSpan, value), span: start.through(value.span))
    }

    mutating func parseWorkload() throws(Diagnostic) -> Statement {
        let start = current.span
        let keyword = advance()
        let kind: DeclarationKind = keyword.kind == .keyword(.workload) ? .workload
            : (keyword.kind == .keyword(.knowledgeBase) ? .knowledgeBase : .customization)
        let noun = kind.rawValue
        let (name, nameSpan) = try expectName("the \(noun)'s name")
        guard check(.less) else {
            throw error("expected `<` to open the properties of \(noun) `\(name)`",
                        hints: [kind == .workload ? "write `workload \(name) < model sonnet-4.5; requests 3000/day >`"
                                : "write `\(noun) \(name) < … >`"])
        }
        let (properties, end) = try parseProperties()
        return Statement(kind: .workload(name, nameSpan: nameSpan, properties, kind: kind), span: start.through(end))
    }

    mutating func parsePrice() throws(Diagnostic) -> Statement {
        let start = advance().span
        let name: String
        let nameSpan: Span
        if case .string(let s) = currentKind {
            name = s
            nameSpan = advance().span
        } else {
            (name, nameSpan) = try expectName("a model name after `price`")
        }
        guard check(.less) else {
            throw error("expected `<` to open the rates of `\(name)`",
                        hints: ["write `price \(name) < input $3/1M tokens; output $15/1M tokens >`"])
        }
        let (properties, end) = try parseProperties()
        return Statement(kind: .price(name, nameSpan: nameSpan, properties), span: start.through(end))
    }

    mutating func parseShow() throws(Diagnostic) -> Statement {
        let start = advance().span
        var items = [try parseExpression()]
        while match(.comma) { items.append(try parseExpression()) }
        var end = items[items.count - 1].span
        var tag: String?
        if isWord("by") {
            _ = advance()
            guard isWord("tag") else { throw error("expected `tag` after `by`", hints: ["write `show total by tag team`"]) }
            _ = advance()
            let (key, keySpan) = try expectName("a tag key after `by tag`")
            tag = key
            end = keySpan
        }
        return Statement(kind: .show(items, byTag: tag), span: start.through(end))
    }

    mutating func parseCompare() throws(Diagnostic) -> Statement {
        let start = advance().span
        let first = try parseExpression()
        if isWord("across") {
            _ = advance()
            let property = try parseProperty()
            guard !property.arguments.isEmpty else {
                throw error("expected values after `across \(property.name)`", at: property.span,
                            hints: ["write `compare chat across model nova-pro, haiku-4.5, sonnet-4.5`"])
            }
            return Statement(kind: .compareAcross(first, property), span: start.through(property.span))
        }
        var items = [first]
        while match(.comma) { items.append(try parseExpression()) }
        guard items.count > 1 else {
            throw error("`compare` needs two or more values, or `across`",
                        hints: ["write `compare chat, chat with < mode batch >` or `compare chat across model nova-pro, haiku-4.5`"])
        }
        return Statement(kind: .compare(items), span: start.through(items[items.count - 1].span))
    }

    mutating func parseAdvise() throws(Diagnostic) -> Statement {
        let start = advance().span
        let subject = try parseExpression()
        return Statement(kind: .advise(subject), span: start.through(subject.span))
    }

    mutating func parseForecast() throws(Diagnostic) -> Statement {
        let start = advance().span
        let subject = try parseExpression()
        guard isWord("over") else {
            throw error("expected `over` and a duration after the forecast's subject", hints: ["write `forecast total over 12 months growth 8%/month`"])
        }
        _ = advance()
        let period = try parseConversion()
        var growth: Expr?
        var end = period.span
        if isWord("growth") {
            _ = advance()
            let g = try parseConversion()
            growth = g
            end = g.span
        }
        return Statement(kind: .forecast(subject, over: period, growth: growth), span: start.through(end))
    }

    mutating func parseAssert() throws(Diagnostic) -> Statement {
        let start = advance().span
        let condition = try parseExpression()
        var message: String?
        var end = condition.span
        if match(.comma) {
            guard case .string(let text) = currentKind else {
                throw error("expected a message in double quotes after `,`")
            }
            message = text
            end = advance().span
        }
        return Statement(kind: .assert(condition, message: message), span: start.through(end))
    }

    mutating func parseImport() throws(Diagnostic) -> Statement {
        let start = advance().span
        guard case .string(let path) = currentKind else {
            throw error("expected a file name in double quotes after `import`",
                        hints: ["write `import \"rates.tally\"`"])
        }
        let pathSpan = advance().span
        return Statement(kind: .import(path, pathSpan: pathSpan), span: start.through(pathSpan))
    }

    mutating func parseCatalog() throws(Diagnostic) -> Statement {
        let start = advance().span
        guard case .string(let date) = currentKind else {
            throw error("expected the catalog date in quotes after `catalog`", hints: ["write `catalog \"2026-11\"`"])
        }
        let dateSpan = advance().span
        return Statement(kind: .catalog(date, dateSpan: dateSpan), span: start.through(dateSpan))
    }

    mutating func parseRegion() throws(Diagnostic) -> Statement {
        let start = advance().span
        let (name, nameSpan) = try expectName("a region such as `us-east-1` after `region`")
        return Statement(kind: .region(name, nameSpan: nameSpan), span: start.through(nameSpan))
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
                synchronizeProperty()
            }
            skipSeparators()
        }
        let close = advance()
        return (properties, close.span)
    }

    var startsStatement: Bool {
        switch currentKind {
        case .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization), .keyword(.let), .keyword(.show),
             .keyword(.assert), .keyword(.import), .keyword(.price), .keyword(.catalog),
             .keyword(.compare), .keyword(.advise), .keyword(.forecast): true
        default: false
        }
    }

    /// Skips to the next property separator or the closing `>`.
    mutating func synchronizeProperty() {
        var depth = 0
        while true {
            switch tokens[index].kind {
            case .end: return
            case .newline where depth == 0, .semicolon where depth == 0, .greater where depth == 0: return
            case .leftParen: depth += 1
            case .rightParen: depth = max(0, depth - 1)
            default: break
            }
            index += 1
        }
    }

    mutating func parseProperty() throws(Diagnostic) -> Property {
        let name: String
        let nameSpan: Span
        if isKeyword(.region) {
            name = "region"
            nameSpan = advance().span
        } else {
            (name, nameSpan) = try expectName("a property name")
        }
        var arguments: [Property.Argument] = []
        var end = nameSpan
        while !(atSeparator || check(.greater)) {
            if !arguments.isEmpty { _ = match(.comma) }
            let argument = try parseArgument()
            arguments.append(argument)
            end = argument.span
        }
        return Property(name: name, nameSpan: nameSpan, arguments: arguments, span: nameSpan.through(end))
    }

    mutating func parseArgument() throws(Diagnostic) -> Property.Argument {
        if case .name(let name) = currentKind, tokens[index + 1].kind == .equal {
            let nameSpan = advance().span
            _ = advance()
            let value = try parseConversion()
            return .assignment(name, nameSpan: nameSpan, value: value)
        }
        return .expression(try parseConversion())
    }

    // MARK: Expressions, lowest precedence first

    package mutating func parseExpression() throws(Diagnostic) -> Expr {
        try parseOr()
    }

    mutating func parseOr() throws(Diagnostic) -> Expr {
        var left = try parseAnd()
        while isKeyword(.or) {
            let op = advance().span
            skipNewlines()
            let right = try parseAnd()
            left = try bounded(Expr(kind: .binary(.or, left, right, operatorSpan: op), span: left.span.through(right.span)))
        }
        return left
    }

    mutating func parseAnd() throws(Diagnostic) -> Expr {
        var left = try parseNot()
        while isKeyword(.and) {
            let op = advance().span
            skipNewlines()
            let right = try parseNot()
            left = try bounded(Expr(kind: .binary(.and, left, right, operatorSpan: op), span: left.span.through(right.span)))
        }
        return left
    }

    mutating func parseNot() throws(Diagnostic) -> Expr {
        if isKeyword(.not) {
            let op = advance().span
            let operand = try descend { (p: inout Parser) throws(Diagnostic) in try p.parseNot() }
            return Expr(kind: .not(operand), span: op.through(operand.span))
        }
        return try parseComparison()
    }

    static func comparison(_ kind: Token.Kind) -> BinaryOperator? {
        switch kind {
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .equalEqual: .equal
        case .bangEqual: .notEqual
        default: nil
        }
    }

    mutating func parseComparison() throws(Diagnostic) -> Expr {
        let left = try parseConversion()
        guard let op = Parser.comparison(currentKind) else { return left }
        let opSpan = advance().span
        skipNewlines()
        let right = try parseConversion()
        if let second = Parser.comparison(currentKind) {
            throw error("comparisons do not chain: `\(op.rawValue)` then `\(second.rawValue)`",
                        hints: ["write `a < b and b < c`"])
        }
        return try bounded(Expr(kind: .binary(op, left, right, operatorSpan: opSpan), span: left.span.through(right.span)))
    }

    mutating func parseConversion() throws(Diagnostic) -> Expr {
        let value = try parseSum()
        guard isKeyword(.in) else { return value }
        _ = advance()
        skipNewlines()
        let target = try parseSum()
        return try bounded(Expr(kind: .convert(value, to: target), span: value.span.through(target.span)))
    }

    mutating func parseSum() throws(Diagnostic) -> Expr {
        var left = try parseProduct()
        while true {
            let op: BinaryOperator
            switch currentKind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return left
            }
            let opSpan = advance().span
            skipNewlines()
            let right = try parseProduct()
            left = try bounded(Expr(kind: .binary(op, left, right, operatorSpan: opSpan), span: left.span.through(right.span)))
        }
    }

    mutating func parseProduct() throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            switch currentKind {
            case .star: op = .multiply
            case .slash: op = .divide
            default: return left
            }
            let opSpan = advance().span
            skipNewlines()
            let right = try parseUnary()
            left = try bounded(Expr(kind: .binary(op, left, right, operatorSpan: opSpan), span: left.span.through(right.span)))
        }
    }

    mutating func parseUnary() throws(Diagnostic) -> Expr {
        if check(.minus) {
            let op = advance().span
            let operand = try descend { (p: inout Parser) throws(Diagnostic) in try p.parseUnary() }
            return Expr(kind: .negate(operand), span: op.through(operand.span))
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws(Diagnostic) -> Expr {
        var value = try parsePrimary()
        while isKeyword(.with) {
            _ = advance()
            guard check(.less) else {
                throw error("expected `<` after `with`", hints: ["write `chat with < model haiku-4.5 >`"])
            }
            let (properties, end) = try parseProperties()
            value = try bounded(Expr(kind: .with(value, properties), span: value.span.through(end)))
        }
        return value
    }

    /// Refuses an expression tree deeper than `maximumDepth`, however it got
    /// deep: brackets, long chains of operators, or both.
    func bounded(_ expr: Expr) throws(Diagnostic) -> Expr {
        guard expr.depth <= Parser.maximumDepth else {
            throw Diagnostic(.syntax, "expression nested too deeply (more than \(Parser.maximumDepth) levels)", at: expr.span,
                             hints: ["split it with `let`"])
        }
        return expr
    }

    /// Runs a nested rule, refusing input nested deeper than `maximumDepth`.
    mutating func descend(_ rule: (inout Parser) throws(Diagnostic) -> Expr) throws(Diagnostic) -> Expr {
        nesting.append(nesting.last ?? .angle)
        defer { nesting.removeLast() }
        guard nesting.count <= Parser.maximumDepth else {
            throw error("expression nested too deeply (more than \(Parser.maximumDepth) levels)")
        }
        return try rule(&self)
    }

    /// A range, a literal, or another primary.
    mutating func parsePrimary() throws(Diagnostic) -> Expr {
        guard Parser.isLiteral(currentKind) else {
            let value = try parseSimplePrimary()
            if check(.dotDot) {
                throw error("a range's ends are numbers, amounts or percentages, as in `2k..5k/day`", at: value.span)
            }
            return value
        }
        return tokens[index + 1].kind == .dotDot ? try parseRange() : try parseLiteral()
    }

    /// `2k..5k`, `1000..2000 tokens`: a unit follows the high end only.
    mutating func parseRange() throws(Diagnostic) -> Expr {
        let low = try parseLiteralToken()
        _ = try expect(.dotDot, "`..`")
        let high = try parseLiteralToken()
        let range = Expr(kind: .range(low, high), span: low.span.through(high.span))
        guard case .number = high.kind, let (unit, unitSpan) = parseUnit() else { return range }
        return Expr(kind: .withUnit(range, unit: unit, unitSpan: unitSpan), span: range.span.through(unitSpan))
    }

    /// `3000`, `1000 tokens`, `60%`, `$5`.
    mutating func parseLiteral() throws(Diagnostic) -> Expr {
        let literal = try parseLiteralToken()
        guard case .number = literal.kind, let (unit, unitSpan) = parseUnit() else { return literal }
        if check(.dotDot) {
            throw error("a range's unit goes after its high end, as in `1000..2000 tokens`")
        }
        return Expr(kind: .withUnit(literal, unit: unit, unitSpan: unitSpan), span: literal.span.through(unitSpan))
    }

    /// A NUMBER, PERCENT or MONEY token as a value.
    mutating func parseLiteralToken() throws(Diagnostic) -> Expr {
        let token = current
        let kind: Expr.Kind
        switch token.kind {
        case .number(let value): kind = .number(value)
        case .percent(let value): kind = .percent(value)
        case .money(let value): kind = .money(value)
        default: throw error("a range's ends are numbers, amounts or percentages, as in `2k..5k/day`")
        }
        _ = advance()
        return Expr(kind: kind, span: token.span)
    }

    /// A name on the same line after a number; a contextual word (`over`,
    /// `growth`, `by` …) ends the value instead.
    mutating func parseUnit() -> (String, Span)? {
        guard case .name(let unit) = tokens[index].kind, !Parser.contextualWords.contains(unit) else { return nil }
        return (unit, advance().span)
    }

    static func isLiteral(_ kind: Token.Kind) -> Bool {
        if case .number = kind { return true }
        return kind.isMoneyOrPercent
    }

    mutating func parseSimplePrimary() throws(Diagnostic) -> Expr {
        let token = current
        switch token.kind {
        case .dollar:
            _ = advance()
            return Expr(kind: .dollar, span: token.span)
        case .string(let text):
            _ = advance()
            return Expr(kind: .string(text), span: token.span)
        case .keyword(.true), .keyword(.false):
            _ = advance()
            return Expr(kind: .boolean(token.kind == .keyword(.true)), span: token.span)
        case .name(let name):
            _ = advance()
            guard check(.leftParen) else { return Expr(kind: .name(name), span: token.span) }
            _ = advance()
            nesting.append(.paren)
            defer { nesting.removeLast() }
            guard nesting.count <= Parser.maximumDepth else {
                throw error("expression nested too deeply (more than \(Parser.maximumDepth) levels)")
            }
            var arguments: [Expr] = []
            if !check(.rightParen) {
                arguments.append(try parseExpression())
                while match(.comma) { arguments.append(try parseExpression()) }
            }
            let close = try expect(.rightParen, "`)` to close the call of `\(name)`")
            return Expr(kind: .call(name, nameSpan: token.span, arguments: arguments), span: token.span.through(close.span))
        case .leftParen:
            _ = advance()
            nesting.append(.paren)
            defer { nesting.removeLast() }
            guard nesting.count <= Parser.maximumDepth else {
                throw error("expression nested too deeply (more than \(Parser.maximumDepth) levels)")
            }
            let inner = try parseExpression()
            let close = try expect(.rightParen, "`)`")
            return Expr(kind: inner.kind, span: token.span.through(close.span))
        case .keyword(let k):
            throw error("expected a value, found the keyword `\(k.rawValue)`")
        default:
            throw error("expected a value, found \(token.kind.describedForDiagnostic)")
        }
    }
}
