import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallySyntax

/// The catalog keeps its history: a dated price change is a new rate, and a
/// script (or a log record) can be priced at the rates of any day.
@Suite struct RateHistoryTests {
    @Test func daysParseOnlyAsRealDates() {
        #expect(CatalogDay("2026-08-21")?.description == "2026-08-21")
        #expect(CatalogDay("2026-08")?.description == "2026-08-01")
        #expect(CatalogDay("2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-13", "2026-00-10", "26-01-01", "2026-1-01", "2026-08-21x", "", "2026", "2026-08-21-01", "２０２６-01"] {
            #expect(CatalogDay(bad) == nil, "\(bad)")
        }
        #expect(CatalogDay("2026-07-31")! < CatalogDay("2026-08")!)
    }

    static func model(_ outcome: Outcome, _ name: String) -> Breakdown? {
        for value in outcome.declaredWorkloads {
            if case .workload(let w, let b) = value, w.name == name { return b }
        }
        return nil
    }

    @Test func aScriptIsPricedAtTheRatesOfItsCatalogDate() throws {
        // GPT-5.6 Sol (global): $5 / $30 until 2026-08-21, $4 / $20 since.
        let workload = "workload sol < model gpt-5.6-sol; endpoint global; requests 1000/month >"
        let now = try #require(Self.model(runSource(workload), "sol"))
        let june = try #require(Self.model(runSource("catalog \"2026-06\"\n" + workload), "sol"))
        let dayBefore = try #require(Self.model(runSource("catalog \"2026-08-20\"\n" + workload), "sol"))
        let dayOf = try #require(Self.model(runSource("catalog \"2026-08-21\"\n" + workload), "sol"))
        #expect(now.total == rational("10"))
        #expect(june.total == rational("14"))
        #expect(dayBefore.total == rational("14"))
        #expect(dayOf.total == rational("10"))
    }

    @Test func aScriptsOwnDatedPriceKeepsTheOneBefore() throws {
        let script = """
            price llama-3.3-70b < since "2026-12-01"; input $1/1M tokens; output $1/1M tokens >
            workload w < model llama-3.3-70b; requests 1000/month; input 1000 tokens; output 0 tokens >
            """
        // 1,000 × 1,000 tokens: $0.72 at the built-in rate, $1 at the new one.
        #expect(Self.model(runSource(script), "w")?.total == rational("1"))
        #expect(Self.model(runSource("catalog \"2026-11\"\n" + script), "w")?.total == rational("0.72"))
    }

    @Test func aRateNotYetInForceIsNoPrice() throws {
        let outcome = runSource("""
            price brand-new < kind text; since "2027-01-01"; input $1/1M tokens; output $2/1M tokens >
            catalog "2026-12"
            workload w < model brand-new; requests 10/day >
            """)
        #expect(outcome.diagnostics.first?.message == "no price for brand-new in us-east-1")
        #expect(outcome.diagnostics.first?.hints == ["none of brand-new's rates was in force on the script's `catalog` date"])
    }

    @Test func datesAreChecked() {
        #expect(runSource("catalog \"last year\"").diagnostics.first?.message.hasPrefix("`catalog` takes a date") == true)
        #expect(runSource("price x < since \"2026-02-30\"; input $1/1M tokens >").diagnostics.first?.message.hasPrefix("`since` takes a date") == true)
    }

    @Test func modelsCanBeListedAsOfADay() throws {
        let june = Commands.models(filter: "gpt-5.6-sol", at: "2026-06", format: .json)
        #expect(june.status == 0)
        // The June rate, marked with the change that followed it.
        #expect(june.stdout.contains("\"kind\": \"input\",\n        \"value\": \"5\""))
        #expect(june.stdout.contains("\"until\": \"2026-08-21\""))
        let bad = Commands.models(filter: nil, at: "June")
        #expect(bad.status == 2 && bad.stderr.contains("--at takes a date"))
    }
}

/// Dated blocks in either order give the same history.
@Suite struct RateHistoryOrderTests {
    static func total(_ blocks: [String], catalog: String?) -> Rational? {
        let script = (catalog.map { "catalog \"\($0)\"\n" } ?? "") + blocks.joined(separator: "\n")
            + "\nworkload w < model x; requests 1/month; input 1000000 tokens; output 0 tokens >"
        for case .workload(_, let b) in runSource(script).declaredWorkloads { return b.total }
        return nil
    }

    @Test func theOrderOfDatedBlocksDoesNotMatter() {
        let august = "price x < kind text; since \"2026-08-01\"; input $4/1M tokens; output $1/1M tokens >"
        let march = "price x < kind text; since \"2026-03-01\"; input $5/1M tokens; output $1/1M tokens >"
        for blocks in [[march, august], [august, march]] {
            // 1M input tokens: $4 from August, $5 from March to July, nothing before March.
            #expect(Self.total(blocks, catalog: nil) == Rational(4), "\(blocks)")
            #expect(Self.total(blocks, catalog: "2026-09-15") == Rational(4), "\(blocks)")
            #expect(Self.total(blocks, catalog: "2026-05") == Rational(5), "\(blocks)")
            #expect(Self.total(blocks, catalog: "2026-02") == nil, "\(blocks)")
        }
    }

    /// `readAsOf` dates every catalog entry a workload's details can name.
    @Test func everyCatalogEntryOfAWorkloadIsDated() {
        let fields = Mirror(reflecting: Workload.Details()).children.filter { type(of: $0.value) == Optional<ModelPrice>.self }
        #expect(fields.count == Workload.catalogEntries.count, "\(fields.compactMap(\.label))")
    }
}
