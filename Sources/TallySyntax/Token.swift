import TallyQuantities

package enum Keyword: String, CaseIterable, Sendable {
    case `let`, workload, knowledgeBase = "knowledge-base", customization, price, show, assert, `import`, region, catalog
    case compare, advise, forecast
    case with, `in`, and, or, not, `true`, `false`
}

package struct Token: Sendable {
    /// Numbers are boxed (`indirect`): a Rational is 32 bytes aligned to 16,
    /// and inline it made every token 80 bytes, where most are words and
    /// punctuation; boxed, a token is 56.
    package enum Kind: Sendable, Equatable {
        /// A plain number; `2k` and `1.5M` arrive already multiplied out.
        indirect case number(Rational)
        /// `60%`, as the number 0.6.
        indirect case percent(Rational)
        /// `$5`, `$8k`.
        indirect case money(Rational)
        /// `$` alone: the unit of money.
        case dollar
        case name(String)
        case keyword(Keyword)
        case string(String)
        case leftParen, rightParen, less, greater, lessEqual, greaterEqual, equalEqual, bangEqual
        case plus, minus, star, slash, comma, semicolon, equal
        /// `..` between the ends of a range: `2k..5k`.
        case dotDot
        case newline
        case end
    }

    package let kind: Kind
    package let span: Span

    /// True when nothing separates this token from the one before it.
    package let joinedToPrevious: Bool
}

extension Token.Kind {
    var isMoneyOrPercent: Bool {
        switch self {
        case .money, .percent: true
        default: false
        }
    }

    /// How a token is named in "expected …" diagnostics.
    package var describedForDiagnostic: String {
        switch self {
        case .number, .percent: "a number"
        case .money: "an amount of money"
        case .dollar: "`$`"
        case .name(let n): "`\(n)`"
        case .keyword(let k): "`\(k.rawValue)`"
        case .string: "a string"
        case .leftParen: "`(`"
        case .rightParen: "`)`"
        case .less: "`<`"
        case .greater: "`>`"
        case .lessEqual: "`<=`"
        case .greaterEqual: "`>=`"
        case .equalEqual: "`==`"
        case .bangEqual: "`!=`"
        case .plus: "`+`"
        case .minus: "`-`"
        case .star: "`*`"
        case .slash: "`/`"
        case .comma: "`,`"
        case .semicolon: "`;`"
        case .equal: "`=`"
        case .dotDot: "`..`"
        case .newline: "the end of the line"
        case .end: "the end of the input"
        }
    }
}
