import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

@Suite struct ParserTests {
    func parse(_ text: String) -> ([Statement], [Diagnostic]) {
        Parser.parse(SourceFile(name: "t", text: text))
    }

    /// Statements that will run: not the ones a syntax error made invalid.
    func valid(_ statements: [Statement]) -> [Statement] {
        statements.filter { if case .invalid = $0.kind { false } else { true } }
    }

    /// The expression's structure, fully parenthesised.
    func tree(_ text: String) -> String {
        let (statements, diagnostics) = parse(text)
        guard diagnostics.isEmpty, case .expression(let e)? = statements.first?.kind else {
            return "error: " + (diagnostics.first?.message ?? "not an expression")
        }
        return render(e)
    }

    func render(_ e: Expr) -> String {
        switch e.kind {
        case .number(let v), .percent(let v): v.description
        case .money(let v): "$" + v.description
        case .boolean(let b): String(b)
        case .string(let s): "\"\(s)\""
        case .dollar: "$"
        case .name(let n): n
        case .range(let l, let h): "\(render(l))..\(render(h))"
        case .withUnit(let n, let unit, _): "[\(render(n)) \(unit)]"
        case .negate(let x): "(-\(render(x)))"
        case .not(let x): "(not \(render(x)))"
        case .binary(let op, let l, let r, _): "(\(render(l)) \(op.rawValue) \(render(r)))"
        case .convert(let v, let t): "(\(render(v)) in \(render(t)))"
        case .call(let n, _, let args): "\(n)(\(args.map(render).joined(separator: ", ")))"
        case .tagged(let key, _, let value): "\(key)=\(render(value))"
        case .with(let b, let props): "(\(render(b)) with <\(props.map(\.name).joined(separator: "; "))>)"
        }
    }

    @Test func precedenceFromOrDownToUnits() {
        #expect(tree("$3/1M tokens") == "($3 / [1000000 tokens])")
        #expect(tree("a + b * c") == "(a + (b * c))")
        #expect(tree("a - b - c") == "((a - b) - c)")
        #expect(tree("-a * b") == "((-a) * b)")
        #expect(tree("chat in $/day < $40/day") == "((chat in ($ / day)) < ($40 / day))")
        #expect(tree("not a < b and c or d") == "(((not (a < b)) and c) or d)")
        #expect(tree("3000/day in 1/month") == "((3000 / day) in (1 / month))")
        #expect(tree("chat / requests(chat)") == "(chat / requests(chat))")
        #expect(tree("chat with < model haiku-4.5 > / 2") == "((chat with <model>) / 2)")
    }

    @Test func rangesOfLiterals() {
        #expect(tree("2k..5k/day") == "(2000..5000 / day)")
        #expect(tree("1000..2000 tokens") == "[1000..2000 tokens]")
        #expect(tree("$1..$3") == "$1..$3")
        #expect(tree("a..b") == "error: a range's ends are numbers, amounts or percentages, as in `2k..5k/day`")
        #expect(tree("40%..60%") == "0.4..0.6")
    }

    /// Drifts from Grammar/tally.ebnf that the grammar test found.
    @Test func unitsFollowNumbersAndHighEndsOnly() {
        #expect(tree("1000 tokens..2000") == "error: a range's unit goes after its high end, as in `1000..2000 tokens`")
        #expect(tree("$3 tokens").hasPrefix("error: expected the end of the statement, found `tokens`"))
        #expect(tree("60% tokens").hasPrefix("error: expected the end of the statement, found `tokens`"))
        #expect(tree("$3/1M tokens") == "($3 / [1000000 tokens])")
        // A contextual word after a number ends the value, not names its unit.
        let (statements, diagnostics) = parse("show 3 by tag team\nforecast total over 12 growth 8%")
        #expect(diagnostics.isEmpty)
        guard statements.count == 2, case .show(let items, let tag) = statements[0].kind,
              case .forecast(_, let over, let growth) = statements[1].kind else {
            Issue.record("expected show and forecast")
            return
        }
        #expect(items.map(render) == ["3"] && tag == "team")
        #expect(render(over) == "12" && growth.map(render) == "0.08")
    }

    @Test func comparisonsDoNotChain() {
        #expect(tree("a < b < c") == "error: comparisons do not chain: `<` then `<`")
    }

    @Test func newLinesInsideParenthesesAndAfterOperators() {
        #expect(tree("(a +\n b)") == "(a + b)")
        #expect(tree("a *\n b") == "(a * b)")
    }

    @Test func workloadPropertiesBySemicolonOrNewLine() {
        let (statements, diagnostics) = parse("workload chat < model sonnet-4.5; requests 3000/day\n  cache 60% write 10% ttl 1h\n  tag team=support >")
        #expect(diagnostics.isEmpty)
        guard case .workload(let name, _, let properties, .workload)? = statements.first?.kind else {
            Issue.record("not a workload")
            return
        }
        #expect(name == "chat")
        #expect(properties.map(\.name) == ["model", "requests", "cache", "tag"])
        #expect(properties[2].arguments.count == 5)
        if case .assignment(let key, _, _) = properties[3].arguments[0] { #expect(key == "team") } else { Issue.record("tag") }
    }

    @Test func everyStatementKind() {
        let (statements, diagnostics) = parse("""
            region us-east-1
            catalog "2026-11"
            let peak = 3000/day
            price "my-model" < input $1/1M tokens >
            import "rates.tally"
            show a, b
            assert a < b, "budget"
            a + 1
            knowledge-base docs < ocus 2 >
            customization tuned < model cohere-command >
            show total by tag team
            compare chat, chat with < mode batch >
            compare chat across model nova-pro, haiku-4.5
            advise total
            forecast total over 12 months growth 8%/month
            assert total by tag team < $1k/month, "teams"
            """)
        #expect(diagnostics.isEmpty)
        let kinds = statements.map { s -> String in
            switch s.kind {
            case .region: "region"
            case .let: "let"
            case .price: "price"
            case .profile: "profile"
            case .import: "import"
            case .show(let items, let tag): "show\(items.count)" + (tag.map { " by \($0)" } ?? "")
            case .compare(let items): "compare\(items.count)"
            case .compareAcross(_, let p): "compare across \(p.name)"
            case .advise: "advise"
            case .forecast: "forecast"
            case .assert(_, let tag, let m): "assert:\(m ?? "")" + (tag.map { " by \($0)" } ?? "")
            case .expression: "expression"
            case .workload(_, _, _, let kind): kind.rawValue
            case .catalog(let date, _): "catalog:\(date)"
            case .month: "month"
            case .monthCalendar: "month calendar"
            case .invalid: "invalid"
            }
        }
        #expect(kinds == ["region", "catalog:2026-11", "let", "price", "import", "show2", "assert:budget", "expression",
                          "knowledge-base", "customization", "show1 by team", "compare2", "compare across model",
                          "advise", "forecast", "assert:teams by team"])
    }

    /// `assert SUBJECT by tag KEY OP BOUND` and `cost(EXPR, KEY=VALUE)`.
    @Test func perTagBudgets() {
        let (statements, diagnostics) = parse("assert total by tag team < $1k/month\nassert cost(total, team=search, env=\"prod\") <= $400/month")
        #expect(diagnostics.isEmpty)
        guard statements.count == 2, case .assert(let grouped, "team", nil) = statements[0].kind,
              case .assert(let one, nil, nil) = statements[1].kind else {
            Issue.record("not two asserts: \(statements.map(\.kind))")
            return
        }
        #expect(render(grouped) == "(total < ($1000 / month))")
        #expect(grouped.span.text == "total by tag team < $1k/month")
        #expect(render(one) == "(cost(total, team=search, env=\"prod\") <= ($400 / month))")
        for (source, message) in [
            ("assert total < $1k/month by tag team", "`by tag` comes after what is grouped and before the comparison"),
            ("assert total by team < $1k/month", "expected `tag` after `by`"),
            ("assert total by tag team", "expected a comparison after `by tag team`, such as `< $1k/month`"),
            ("assert total by tag team < $1 < $2", "comparisons do not chain: `<` then `<`"),
        ] {
            #expect(parse(source).1.map(\.message) == [message], "\(source)")
        }
    }

    @Test func recoversAndReportsSeveralErrors() {
        let (statements, diagnostics) = parse("let = 5\nshow 1 + )\nlet ok = 2\nworkload w < model ; requests ) >\nshow ok")
        #expect(diagnostics.compactMap(\.span?.line) == [1, 2, 4])
        #expect(valid(statements).count == 2)
        #expect(statements.count == 5)
    }

    @Test func unclosedPropertiesStopAtTheNextStatement() {
        let (statements, diagnostics) = parse("workload w < model nova-pro\nshow 1")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasPrefix("unclosed `<`") == true)
        #expect(valid(statements).count == 1)
    }

    @Test func deepNestingIsRefusedNotOverflowingTheStack() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let (_, diagnostics) = parse(deep)
        #expect(diagnostics.first?.message.contains("nested too deeply") == true)
        let minus = String(repeating: "-", count: 5000) + "1"
        #expect(parse(minus).1.first?.message.contains("nested too deeply") == true)
    }
}
