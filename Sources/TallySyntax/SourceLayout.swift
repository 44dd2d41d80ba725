// How a script's tokens read for its layout (`tally fmt`): which `<` and `>`
// delimit properties and which compare, which `-` negates, which `=` pairs a
// key with its value, and how deeply each line is nested.

/// One pass over the tokens, with no recursion: what `SourceFormatter` needs
/// to space and indent a script. It reads as the parser does where layout
/// depends on it, and never fails: a script with errors is laid out too.
struct SourceLayout {
    enum Role: Equatable {
        case other
        /// `<` opening properties (`workload chat <`, `with <`), `>` closing them.
        case blockOpen, blockClose
        /// `<` or `>` comparing.
        case comparison
        /// `)` with no `(` open before it.
        case strayClose
        case unaryMinus, binaryMinus
        /// `=` inside `< … >` or `( … )`: `tag team=search`, `cost(total, team=search)`.
        case pairEqual
        /// `=` of `let NAME = …`.
        case bindingEqual
        /// A property's name (`requests` in `requests -5/day`) or a word that
        /// introduces a value (`over`, `growth` in a forecast): no operand.
        case introducer
    }

    /// Each token's role, by its index.
    private(set) var roles: [Role] = []
    /// Each line's indentation in levels of two spaces, by 0-based line.
    private(set) var levels: [Int] = []

    /// Deeper nesting is indented as this deep, so that indentation stays
    /// bounded on any input.
    static let deepestLevel = 32

    private struct Frame {
        let isBlock: Bool
        let line: Int
    }

    private var frames: [Frame] = []
    /// The distinct lines among `frames`: brackets opened on one line indent
    /// the lines after them by one level together.
    private var groups = 0
    private var line = 0
    private var levelPending = true
    private var lineHasTokens = false
    private var lastOnLine: (kind: Token.Kind, role: Role)?
    /// The last line with tokens ended with a binary operator, so this line continues it.
    private var continuing = false
    private var previousIsOperand = false
    private var previousKind: Token.Kind?
    /// The first two tokens of the statement at the top level, and how many it has so far.
    private var statement: (first: Token.Kind?, second: Token.Kind?, count: Int) = (nil, nil, 0)
    /// The next token starts a property (inside `< … >`, or after `across`).
    private var propertyStart = false

    init(_ tokens: [Token]) {
        roles.reserveCapacity(tokens.count)
        for token in tokens { roles.append(read(token)) }
    }

    private var insideParentheses: Bool { frames.last.map { !$0.isBlock } ?? false }

    private mutating func read(_ token: Token) -> Role {
        if token.kind == .newline || token.kind == .end {
            endLine()
            return .other
        }
        let role = classify(token)
        let closes = role == .blockClose || (token.kind == .rightParen && insideParentheses)
        if levelPending && !closes { recordLevel() }
        if frames.isEmpty { countInStatement(token.kind) }
        switch token.kind {
        case .leftParen: push(isBlock: false)
        case .rightParen where insideParentheses: pop()
        case .less where role == .blockOpen: push(isBlock: true)
        case .greater where role == .blockClose: pop()
        default: break
        }
        if token.kind == .semicolon {
            if frames.isEmpty { statement = (nil, nil, 0) }
            propertyStart = frames.last?.isBlock == true
        } else {
            propertyStart = role == .blockOpen || isAcross(token.kind)
        }
        previousIsOperand = role != .introducer && Self.endsOperand(token.kind, role)
        previousKind = token.kind
        lineHasTokens = true
        lastOnLine = (token.kind, role)
        return role
    }

    private func classify(_ token: Token) -> Role {
        switch token.kind {
        case .less:
            if previousKind == .keyword(.with) || opensDeclaration { return .blockOpen }
            return .comparison
        case .greater:
            return frames.last?.isBlock == true ? .blockClose : .comparison
        case .minus:
            return previousIsOperand ? .binaryMinus : .unaryMinus
        case .rightParen:
            return insideParentheses ? .other : .strayClose
        case .equal:
            return frames.isEmpty ? .bindingEqual : .pairEqual
        case .name(let word):
            if propertyStart { return .introducer }
            if frames.isEmpty, statement.first == .keyword(.forecast), word == "over" || word == "growth" { return .introducer }
            return .other
        case .keyword(.region) where propertyStart:
            return .introducer
        default:
            return .other
        }
    }

    /// `workload NAME <`, `price "ID" <`, `profile "ARN" <`, `cost NAME <` …
    /// (and a misspelt declaration word): the third token of a statement.
    private var opensDeclaration: Bool {
        guard frames.isEmpty, statement.count == 2 else { return false }
        switch statement.second {
        case .name, .string: break
        default: return false
        }
        switch statement.first {
        case .name, .keyword(.workload), .keyword(.knowledgeBase), .keyword(.customization), .keyword(.price): return true
        default: return false
        }
    }

    private func isAcross(_ kind: Token.Kind) -> Bool {
        frames.isEmpty && statement.first == .keyword(.compare) && kind == .name("across")
    }

    private mutating func countInStatement(_ kind: Token.Kind) {
        switch statement.count {
        case 0: statement.first = kind
        case 1: statement.second = kind
        default: break
        }
        statement.count = min(statement.count + 1, 3)
    }

    static func endsOperand(_ kind: Token.Kind, _ role: Role) -> Bool {
        switch kind {
        case .number, .percent, .money, .dollar, .name, .string, .keyword(.true), .keyword(.false), .rightParen: true
        case .greater: role == .blockClose
        default: false
        }
    }

    /// After a binary operator (or `in`) a new line continues the expression.
    static func continuesOnNextLine(_ kind: Token.Kind, _ role: Role) -> Bool {
        switch kind {
        case .plus, .star, .slash, .lessEqual, .greaterEqual, .equalEqual, .bangEqual, .keyword(.and), .keyword(.or), .keyword(.in): true
        case .minus: role == .binaryMinus
        case .less, .greater: role == .comparison
        default: false
        }
    }

    private mutating func push(isBlock: Bool) {
        if frames.last?.line != line { groups += 1 }
        frames.append(Frame(isBlock: isBlock, line: line))
    }

    private mutating func pop() {
        guard let popped = frames.popLast() else { return }
        if frames.last?.line != popped.line { groups -= 1 }
    }

    /// Inside `( … )` the bracket's level marks a continued line already.
    private mutating func recordLevel() {
        let extra = continuing && !insideParentheses ? 1 : 0
        levels.append(min(groups + extra, Self.deepestLevel))
        levelPending = false
    }

    private mutating func endLine() {
        if levelPending { recordLevel() }
        if lineHasTokens, let last = lastOnLine {
            continuing = Self.continuesOnNextLine(last.kind, last.role)
        }
        // Inside `( … )` a new line is a space; elsewhere it ends a statement
        // or a property, unless an operator before it continues the line.
        if !insideParentheses && !continuing {
            previousIsOperand = false
            previousKind = nil
            if frames.isEmpty { statement = (nil, nil, 0) } else { propertyStart = true }
        }
        line += 1
        levelPending = true
        lineHasTokens = false
        lastOnLine = nil
    }
}
