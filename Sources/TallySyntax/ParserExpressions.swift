// Expressions, lowest precedence first: one function per grammar rule.
import TallyQuantities

extension Parser {
    package mutating func parseExpression() throws(Diagnostic) -> Expr {
        try parseOr()
    }

    mutating func parseOr() throws(Diagnostic) -> Expr {
        try leftAssociative({ $0 == .keyword(.or) ? .or : nil }) { (p: inout Parser) throws(Diagnostic) in try p.parseAnd() }
    }

    mutating func parseAnd() throws(Diagnostic) -> Expr {
        try leftAssociative({ $0 == .keyword(.and) ? .and : nil }) { (p: inout Parser) throws(Diagnostic) in try p.parseNot() }
    }

    /// `operand (OP operand)*`, grouped to the left; a line break after an
    /// operator continues the expression. A loop, not recursion per operator.
    mutating func leftAssociative(_ operatorOf: (Token.Kind) -> BinaryOperator?, first: Expr? = nil,
                                  _ operand: (inout Parser) throws(Diagnostic) -> Expr) throws(Diagnostic) -> Expr {
        var left: Expr
        if let first { left = first } else { left = try operand(&self) }
        while let op = operatorOf(currentKind) {
            let opSpan = advance().span
            skipNewlines()
            let right = try operand(&self)
            left = try bounded(Expr(kind: .binary(op, left, right, operatorSpan: opSpan), span: left.span.through(right.span)))
        }
        return left
    }

    mutating func parseNot() throws(Diagnostic) -> Expr {
        guard isKeyword(.not) else { return try parseComparison() }
        return try prefixed(Expr.Kind.not) { (p: inout Parser) throws(Diagnostic) in try p.parseNot() }
    }

    /// `OP operand`: the operand is nested, so a run of prefixes is bounded
    /// as brackets are.
    mutating func prefixed(_ kind: (Expr) -> Expr.Kind, _ operand: (inout Parser) throws(Diagnostic) -> Expr) throws(Diagnostic) -> Expr {
        let op = advance().span
        let value = try descend(operand)
        return Expr(kind: kind(value), span: op.through(value.span))
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
        try leftAssociative({ $0 == .plus ? .add : $0 == .minus ? .subtract : nil }) { (p: inout Parser) throws(Diagnostic) in try p.parseProduct() }
    }

    mutating func parseProduct() throws(Diagnostic) -> Expr {
        try leftAssociative({ $0 == .star ? .multiply : $0 == .slash ? .divide : nil }) { (p: inout Parser) throws(Diagnostic) in try p.parseUnary() }
    }

    mutating func parseUnary() throws(Diagnostic) -> Expr {
        guard check(.minus) else { return try parsePostfix() }
        return try prefixed(Expr.Kind.negate) { (p: inout Parser) throws(Diagnostic) in try p.parseUnary() }
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

    /// Runs a nested rule (inside `bracket`, or the bracket it is in),
    /// refusing input nested deeper than `maximumDepth`.
    mutating func descend(into bracket: Bracket? = nil, _ rule: (inout Parser) throws(Diagnostic) -> Expr) throws(Diagnostic) -> Expr {
        nesting.append(bracket ?? nesting.last ?? .angle)
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
            return try descend(into: .paren) { (p: inout Parser) throws(Diagnostic) in
                var arguments: [Expr] = []
                if !p.check(.rightParen) {
                    arguments.append(try p.parseCallArgument())
                    while p.match(.comma) { arguments.append(try p.parseCallArgument()) }
                }
                let close = try p.expect(.rightParen, "`)` to close the call of `\(name)`")
                return Expr(kind: .call(name, nameSpan: token.span, arguments: arguments), span: token.span.through(close.span))
            }
        case .leftParen:
            _ = advance()
            return try descend(into: .paren) { (p: inout Parser) throws(Diagnostic) in
                let inner = try p.parseExpression()
                let close = try p.expect(.rightParen, "`)`")
                return Expr(kind: inner.kind, span: token.span.through(close.span))
            }
        case .keyword(let k):
            throw error("expected a value, found the keyword `\(k.rawValue)`")
        default:
            throw error("expected a value, found \(token.kind.describedForDiagnostic)")
        }
    }

    /// An argument of a call: an expression, or `KEY=VALUE` (`team=search`).
    mutating func parseCallArgument() throws(Diagnostic) -> Expr {
        guard case .name(let key) = currentKind, tokens[currentIndex + 1].kind == .equal else { return try parseExpression() }
        let keySpan = advance().span
        _ = advance()
        let value = try parseConversion()
        return Expr(kind: .tagged(key, keySpan: keySpan, value: value), span: keySpan.through(value.span))
    }
}
