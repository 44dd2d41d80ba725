import TallyQuantities

package struct Expr: Sendable {
    package indirect enum Kind: Sendable {
        case number(Rational)
        case percent(Rational)
        case money(Rational)
        case boolean(Bool)
        case string(String)
        /// `$` alone: one dollar, as a unit.
        case dollar
        case name(String)
        /// `LOW..HIGH`: a range of literals, `2k..5k`, `$1..$3`, `40%..60%`.
        case range(Expr, Expr)
        /// A number followed by a unit: `1000 tokens`, `3 days`.
        case withUnit(Expr, unit: String, unitSpan: Span)
        case negate(Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr, operatorSpan: Span)
        /// `EXPR in UNIT`
        case convert(Expr, to: Expr)
        case call(String, nameSpan: Span, arguments: [Expr])
        /// `KEY=VALUE` as an argument of a call: `cost(total, team=search)`.
        case tagged(String, keySpan: Span, value: Expr)
        /// `EXPR with < … >`
        case with(Expr, [Property])
    }

    package let kind: Kind
    package let span: Span
    /// Levels of nesting below and including this node; the parser refuses
    /// trees deeper than `Parser.maximumDepth`, so evaluating one cannot
    /// exhaust the stack.
    package let depth: Int

    package init(kind: Kind, span: Span) {
        self.kind = kind
        self.span = span
        var below = 0
        switch kind {
        case .number, .percent, .money, .boolean, .string, .dollar, .name: below = 0
        case .withUnit(let e, _, _), .negate(let e), .not(let e), .tagged(_, _, let e): below = e.depth
        case .binary(_, let l, let r, _), .convert(let l, let r), .range(let l, let r): below = max(l.depth, r.depth)
        case .call(_, _, let arguments): below = arguments.map(\.depth).max() ?? 0
        case .with(let e, let properties):
            below = e.depth
            for p in properties {
                for a in p.arguments {
                    switch a {
                    case .expression(let x), .assignment(_, _, let x): below = max(below, x.depth)
                    }
                }
            }
        }
        self.depth = below + 1
    }
}

package enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and, or

    package var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
        default: false
        }
    }
}

/// `name argument…` inside `< … >`.
package struct Property: Sendable {
    package enum Argument: Sendable {
        case expression(Expr)
        /// `team=support`
        case assignment(String, nameSpan: Span, value: Expr)

        package var span: Span {
            switch self {
            case .expression(let e): e.span
            case .assignment(_, let nameSpan, let value): nameSpan.through(value.span)
            }
        }
    }

    package let name: String
    package let nameSpan: Span
    package let arguments: [Argument]
    package let span: Span

    package init(name: String, nameSpan: Span, arguments: [Argument], span: Span) {
        self.name = name
        self.nameSpan = nameSpan
        self.arguments = arguments
        self.span = span
    }
}

/// The keyword that opened a declaration of priced things.
package enum DeclarationKind: String, CaseIterable, Sendable {
    case workload, knowledgeBase = "knowledge-base", customization, cost, guardrail, agentcore, dataAutomation = "data-automation", usage
}

package struct Statement: Sendable {
    package enum Kind: Sendable {
        case `let`(String, nameSpan: Span, Expr)
        /// `workload`, `knowledge-base` or `customization`.
        case workload(String, nameSpan: Span, [Property], kind: DeclarationKind)
        /// `price NAME < … >`, the name a bare word or a string.
        case price(String, nameSpan: Span, [Property])
        /// `profile "arn:…:application-inference-profile/ID" < model …; tag … >`
        case profile(String, nameSpan: Span, [Property])
        /// `show EXPR, … [by tag KEY]`
        case show([Expr], byTag: String?)
        /// `compare EXPR, EXPR, …`
        case compare([Expr])
        /// `compare EXPR across PROPERTY value, value, …`
        case compareAcross(Expr, Property)
        /// `advise EXPR`
        case advise(Expr)
        /// `forecast EXPR over DURATION [growth RATE]`
        case forecast(Expr, over: Expr, growth: Expr?)
        /// `assert EXPR [, "message"]`; with `byTag`, `assert total by tag team < $1k/month`:
        /// the comparison's left side is checked for every group of the tag.
        case assert(Expr, byTag: String?, message: String?)
        case `import`(String, pathSpan: Span)
        /// `region us-east-1`: the region of the declarations that follow.
        case region(String, nameSpan: Span)
        /// `catalog "2026-06"`: the catalog date the script was written against.
        case catalog(String, dateSpan: Span)
        /// `month 744 hours`: what a month is for the script.
        case month(Expr)
        /// `month calendar`: a forecast's months are the calendar's, from the
        /// script's `catalog` date, each as long as it is.
        case monthCalendar(wordSpan: Span)
        case expression(Expr)
        /// A statement with a syntax error, already reported. It is not run;
        /// the name it would have declared is marked so its uses stay quiet.
        case invalid(declaring: String?)
    }

    package let kind: Kind
    package let span: Span

    package init(kind: Kind, span: Span) {
        self.kind = kind
        self.span = span
    }
}
