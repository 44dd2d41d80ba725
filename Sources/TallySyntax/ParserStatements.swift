// Statements and their properties: one function per grammar rule.
import TallyQuantities

extension Parser {
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
            switch contextualStatement(at: index) {
            case .month: return try parseMonth()
            case .profile: return try parseProfile()
            case .declaration: return try parseWorkload()
            case nil:
                if let meant = misspeltDeclaration(at: index) { try rejectMisspeltDeclaration(meant) }
                let expression = try parseExpression()
                return Statement(kind: .expression(expression), span: expression.span)
            }
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
        let kind: DeclarationKind = switch keyword.kind {
        case .keyword(.workload): .workload
        case .keyword(.knowledgeBase): .knowledgeBase
        case .name(let word): DeclarationKind(rawValue: word) ?? .customization
        default: .customization
        }
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

    /// `profile "ARN" < model …; tag … >`: `profile` is a statement only before a string.
    mutating func parseProfile() throws(Diagnostic) -> Statement {
        let start = advance().span
        guard case .string(let arn) = currentKind else {
            throw error("expected the profile's ARN in quotes after `profile`",
                        hints: ["write `profile \"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/ab12\" < model sonnet-4.5 >`"])
        }
        let nameSpan = advance().span
        guard check(.less) else {
            throw error("expected `<` to open the properties of the profile", hints: ["write `profile \"\(arn)\" < model sonnet-4.5; tag team=search >`"])
        }
        let (properties, end) = try parseProperties()
        return Statement(kind: .profile(arn, nameSpan: nameSpan, properties), span: start.through(end))
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
        var condition = try parseExpression()
        var tag: String?
        if isWord("by") { (condition, tag) = try parseAssertByTag(condition) }
        var message: String?
        var end = condition.span
        if match(.comma) {
            guard case .string(let text) = currentKind else {
                throw error("expected a message in double quotes after `,`")
            }
            message = text
            end = advance().span
        }
        return Statement(kind: .assert(condition, byTag: tag, message: message), span: start.through(end))
    }

    /// `SUBJECT by tag KEY OP BOUND` (the grammar's `by_tag`).
    mutating func parseByTag() throws(Diagnostic) -> (Expr, String) {
        let subject = try parseConversion()
        guard isWord("by") else { throw error("expected `by tag` after what is grouped") }
        return try parseAssertByTag(subject)
    }

    /// After `assert SUBJECT`: `by tag KEY OP BOUND`, the comparison each
    /// group of the tag is held to.
    mutating func parseAssertByTag(_ subject: Expr) throws(Diagnostic) -> (Expr, String) {
        let example = "write `assert total by tag team < $1k/month`"
        switch subject.kind {
        case .binary(let op, _, _, _) where op.isComparison || op == .and || op == .or:
            throw error("`by tag` comes after what is grouped and before the comparison", hints: [example])
        case .not: throw error("`by tag` comes after what is grouped and before the comparison", hints: [example])
        default: break
        }
        _ = advance()
        guard isWord("tag") else { throw error("expected `tag` after `by`", hints: [example]) }
        _ = advance()
        let (key, _) = try expectName("a tag key after `by tag`")
        guard let op = Parser.comparison(currentKind) else {
            throw error("expected a comparison after `by tag \(key)`, such as `< $1k/month`", hints: [example])
        }
        let opSpan = advance().span
        skipNewlines()
        let bound = try parseConversion()
        if let second = Parser.comparison(currentKind) {
            throw error("comparisons do not chain: `\(op.rawValue)` then `\(second.rawValue)`", hints: [example])
        }
        return (try bounded(Expr(kind: .binary(op, subject, bound, operatorSpan: opSpan), span: subject.span.through(bound.span))), key)
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

    /// `month 744 hours`, `month 31 days`: a number and its unit; or
    /// `month calendar`.
    mutating func parseMonth() throws(Diagnostic) -> Statement {
        let start = advance().span
        if case .name("calendar") = currentKind {
            let word = advance().span
            return Statement(kind: .monthCalendar(wordSpan: word), span: start.through(word))
        }
        guard case .number = currentKind else {
            throw error("expected how long a month is after `month`", hints: ["write `month 744 hours`, `month 31 days` or `month calendar`"])
        }
        let value = try parseLiteral()
        guard case .withUnit = value.kind else {
            throw error("say in what a month is measured: `month \(value.span.text) hours`", at: value.span)
        }
        return Statement(kind: .month(value), span: start.through(value.span))
    }

    mutating func parseRegion() throws(Diagnostic) -> Statement {
        let start = advance().span
        let (name, nameSpan) = try expectName("a region such as `us-east-1` after `region`")
        return Statement(kind: .region(name, nameSpan: nameSpan), span: start.through(nameSpan))
    }

    mutating func parseProperty() throws(Diagnostic) -> Property {
        if case .money = currentKind { return try parseAmount() }
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

    /// `$700/month`, `$1k..$2k/month`: an amount written bare, as a `cost`
    /// block's; it reads as the property `amount`.
    mutating func parseAmount() throws(Diagnostic) -> Property {
        guard case .money = currentKind else { throw error("expected an amount such as `$700/month`") }
        let first = try parsePrimary()
        let value = try leftAssociative({ $0 == .star ? .multiply : $0 == .slash ? .divide : nil }, first: first) {
            (p: inout Parser) throws(Diagnostic) in try p.parseUnary()
        }
        return Property(name: "amount", nameSpan: value.span, arguments: [.expression(value)], span: value.span)
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
}
