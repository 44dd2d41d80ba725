/// What the prompt needs to know about text typed so far: whether it is
/// finished, and how it reads on one line for the history.
public enum InputShape {
    /// Tokens that cannot end an input: an operand must follow.
    static func expectsOperand(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .plus, .minus, .star, .slash, .comma, .equal, .lessEqual, .greaterEqual, .equalEqual, .bangEqual,
             .keyword(.and), .keyword(.or), .keyword(.not), .keyword(.in), .keyword(.with):
            true
        default:
            false
        }
    }

    static func opensBlock(_ tokens: [Token], at index: Int) -> Bool {
        guard tokens[index].kind == .less, index > 0 else { return false }
        switch tokens[index - 1].kind {
        case .keyword(.with): return true
        case .name, .string:
            guard index > 1 else { return false }
            switch tokens[index - 2].kind {
            case .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization), .keyword(.price): return true
            default: return false
            }
        default:
            return false
        }
    }

    /// True when the text leaves a `<` or `(` open, or ends on an operator,
    /// so the prompt should read another line.
    public static func needsMore(_ text: String) -> Bool {
        let tokens = Lexer.tokenize(SourceFile(name: "<input>", text: text)).tokens
        var brackets: [Token.Kind] = []
        var last: Token.Kind?
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .leftParen: brackets.append(.leftParen)
            case .rightParen: if brackets.last == .leftParen { brackets.removeLast() }
            case .less where opensBlock(tokens, at: index): brackets.append(.less)
            case .greater: if brackets.last == .less { brackets.removeLast() }
            case .newline, .end: break
            default: break
            }
            if token.kind != .newline && token.kind != .end { last = token.kind }
        }
        if !brackets.isEmpty { return true }
        if let last, expectsOperand(last) { return true }
        if last == .less { return true }
        return false
    }

    /// The input on one line, as the history keeps it: comments dropped, and
    /// each line break replaced by what it meant — a separator at statement or
    /// property level, nothing inside parentheses or after an operator.
    public static func oneLine(_ text: String) -> String {
        let file = SourceFile(name: "<input>", text: text)
        let tokens = Lexer.tokenize(file).tokens
        var parts: [String] = []
        var brackets: [Token.Kind] = []
        var previous: Token?
        var pendingSeparator = false
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .end:
                continue
            case .newline:
                if brackets.last != .leftParen, let p = previous, !expectsOperand(p.kind), p.kind != .less || !opensBlock(tokens, at: index - 1),
                   p.kind != .semicolon {
                    pendingSeparator = true
                }
                continue
            default:
                break
            }
            if pendingSeparator {
                if token.kind != .greater && token.kind != .semicolon { parts.append(";") }
                pendingSeparator = false
            }
            switch token.kind {
            case .leftParen: brackets.append(.leftParen)
            case .rightParen: if brackets.last == .leftParen { brackets.removeLast() }
            case .less where opensBlock(tokens, at: index): brackets.append(.less)
            case .greater: if brackets.last == .less { brackets.removeLast() }
            default: break
            }
            let text = token.span.text
            if let p = previous, token.joinedToPrevious, !parts.isEmpty, p.span.end == token.span.start {
                parts[parts.count - 1] += text
            } else {
                parts.append(text)
            }
            previous = token
        }
        return parts.joined(separator: " ")
    }
}
