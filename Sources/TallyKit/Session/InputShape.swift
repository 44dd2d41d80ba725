import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

/// What the prompt needs to know about text typed so far: whether it is
/// finished, and how it reads on one line for the history.
package enum InputShape {
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
        guard tokens[index].kind == .less else { return false }
        return opensBlock(after: index > 0 ? tokens[index - 1].kind : nil, index > 1 ? tokens[index - 2].kind : nil)
    }

    /// Whether a `<` after these two tokens (the nearer first) opens properties.
    static func opensBlock(after one: Token.Kind?, _ two: Token.Kind?) -> Bool {
        switch one {
        case .keyword(.with): return true
        case .name, .string:
            switch two {
            case .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization), .keyword(.price): return true
            case .name("profile"): if case .string = one { return true } else { return false }
            case .name(let word) where DeclarationKind(rawValue: word) != nil: if case .name = one { return true } else { return false }
            default: return false
            }
        default:
            return false
        }
    }

    /// True when the text leaves a `<` or `(` open, or ends on an operator,
    /// so the prompt should read another line.
    package static func needsMore(_ text: String) -> Bool {
        var continuation = Continuation()
        continuation.add(text)
        return continuation.needsMore
    }

    /// `needsMore` one line at a time: the prompt asks after every line, and
    /// reading the whole input again each time would be quadratic in a long
    /// paste. Tokens never span lines, so the lines can be read apart.
    package struct Continuation: Sendable {
        var brackets: [Token.Kind] = []
        var last: Token.Kind?
        /// The two tokens before the next one, the nearer first.
        var before: (Token.Kind?, Token.Kind?)
        var started = false

        package init() {}

        package mutating func add(_ line: String) {
            if started { take(.newline) }
            started = true
            for token in Lexer.tokens(SourceFile(name: "<input>", text: line)) where token.kind != .end {
                take(token.kind)
            }
        }

        mutating func take(_ kind: Token.Kind) {
            switch kind {
            case .leftParen: brackets.append(.leftParen)
            case .rightParen: if brackets.last == .leftParen { brackets.removeLast() }
            case .less where InputShape.opensBlock(after: before.0, before.1): brackets.append(.less)
            case .greater: if brackets.last == .less { brackets.removeLast() }
            default: break
            }
            if kind != .newline { last = kind }
            before = (kind, before.0)
        }

        package var needsMore: Bool {
            if !brackets.isEmpty { return true }
            if let last, InputShape.expectsOperand(last) || last == .less { return true }
            return false
        }
    }

    /// The input on one line, as the history keeps it: comments dropped, and
    /// each line break replaced by what it meant — a separator at statement or
    /// property level, nothing inside parentheses or after an operator.
    package static func oneLine(_ text: String) -> String {
        let file = SourceFile(name: "<input>", text: text)
        let tokens = Lexer.tokens(file)
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
