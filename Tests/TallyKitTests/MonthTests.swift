import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallySyntax

/// `month 744 hours`: what a month is for a script; `month calendar`: forecasts by the calendar.
@Suite struct MonthTests {
    @Test func everyMonthlyFigureUsesTheScriptsMonth() throws {
        let script = "month 31 days\nworkload chat < model llama-3.3-70b; requests 1000/day; input 1000 tokens; output 0 tokens >"
        // 31,000 requests × 1,000 tokens × $0.72/1M = $22.32
        #expect(try evaluate("chat", after: script).get().quantity?.per(Unit.month(seconds: Rational(31 * 86_400))) == rational("22.32"))
        #expect(try evaluate("requests(chat)", after: script).get().quantity?.per(Unit.month(seconds: Rational(31 * 86_400))) == Rational(31_000))
        // Quantities hold seconds: a month is 744 hours here, 730 by default.
        #expect(try evaluate("1 month", after: script).get().quantity?.value == Rational(744 * 3600))
        #expect(try evaluate("1 month").get().quantity?.value == Rational(730 * 3600))
    }

    @Test func theMonthComesFirstAndIsAMonthLong() {
        #expect(runSource("let x = 1\nmonth 744 hours").diagnostics.first?.message
                == "`month` comes first in a script, once, before the names and workloads it would change")
        #expect(runSource("month 744 hours\nmonth 720 hours").diagnostics.first?.message
                == "`month` comes first in a script, once, before the names and workloads it would change")
        #expect(runSource("month 3 tokens").diagnostics.first?.message == "a month is a time, such as `744 hours` or `31 days`, not tokens")
        #expect(runSource("month 27 days").diagnostics.first?.message == "a month is 28 to 31 days (672 to 744 hours)")
        #expect(runSource("month calendar\nmonth calendar").diagnostics.first?.message
                == "`month` comes first in a script, once, before the names and workloads it would change")
        // `month` is still a unit and a name everywhere else.
        #expect(runSource("let m = 3000/month\nassert m > 10/day").diagnostics.isEmpty)
    }

    /// Time-billed lines scale with each calendar month's days, fees stay
    /// whole, and growth compounds both.
    @Test func aCalendarForecastScalesTimeAndKeepsFeesWhole() throws {
        let outcome = runSource("""
            month calendar
            catalog "2028-02"
            workload chat < model llama-3.3-70b; requests 1000/day; input 1000 tokens; output 0 tokens >
            cost db < $700/month >
            forecast total over 2 months growth 10%/month
            show total
            """)
        #expect(!outcome.hasErrors, "\(outcome.diagnostics.map(\.message))")
        guard case .forecast(let f) = try #require(outcome.shown.first?.report) else { Issue.record("no forecast"); return }
        // February 2028 has 29 days: 29 × 1,000 × 1,000 × $0.72/1M = $20.88, and $700.
        // March 2028, 10% more of both: 31 × $0.72 × 1.1 = $24.552, and $770.
        #expect(f.months.map(\.cost) == [rational("720.88"), rational("794.552")])
        #expect(f.months.map { $0.calendar?.description } == ["2028-02", "2028-03"])
        #expect(f.months.map { $0.calendar?.days } == [29, 31])
        // `show` still prices the average month: 730 h × $0.03 an hour for chat, and $700.
        #expect(outcome.shown.last?.value.quantity?.per(Unit.month(seconds: Rational(730 * 3600))) == rational("721.9"))
    }
}
