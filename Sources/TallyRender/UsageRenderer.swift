import TallyQuantities
import TallyPricing
import TallyActuals

/// `tally usage` in each format: text aligned like a workload breakdown,
/// JSON in the documented shape, CSV and Markdown rows of the same lines.
package enum UsageRenderer {
    /// Atto-dollars as dollars, exactly.
    static func dollars(_ atto: Int128) -> Rational { RequestQuote.dollars(atto) ?? .zero }

    static func exact(_ atto: Int128) -> String {
        let r = dollars(atto)
        return r.terminatingDecimal ?? r.decimalString(fractionDigits: 18)
    }

    /// Dollars to the millionth of a cent's hundredth (six decimals, at least
    /// cents): actual spend is made of sub-cent requests.
    static func money(_ atto: Int128) -> String {
        var text = dollars(atto).magnitude.decimalString(fractionDigits: 6, trimTrailingZeros: true, groupThousands: true)
        if let dot = text.firstIndex(of: ".") {
            text += String(repeating: "0", count: max(0, 3 - text.distance(from: dot, to: text.endIndex)))
        } else {
            text += ".00"
        }
        return (atto < 0 ? "-$" : "$") + text
    }

    static func records(_ n: Int) -> String { n == 1 ? "1 record" : "\(n) records" }

    /// One line per token class a model billed: label, tokens, atto-dollars.
    /// Input and output always; the cache lines when used, cache writes on
    /// the TTL they were priced at.
    static func lines(_ totals: UsageTotals) -> [(label: String, tokens: Int128, atto: Int128)] {
        func line(_ meter: TokenMeter, _ slot: Int) -> (String, Int128, Int128) { (meter.label, totals.tokens[slot], totals.atto[meter.rawValue]) }
        var out = [line(.input, 0)]
        if totals.tokens[1] != 0 { out.append(line(.cacheRead, 1)) }
        if totals.atto[TokenMeter.cacheWrite1h.rawValue] != 0 {
            out.append(line(.cacheWrite1h, 2))
        } else if totals.tokens[2] != 0 {
            out.append(line(.cacheWrite, 2))
        }
        out.append(line(.output, 3))
        return out
    }

    /// The average rate of a line, per million tokens.
    static func rate(_ atto: Int128, _ tokens: Int128) -> Rational? {
        guard tokens > 0, let perToken = dollars(atto).divided(by: Rational(tokens)) else { return nil }
        return perToken.multiplied(by: Rational(1_000_000))
    }

    static func rateText(_ atto: Int128, _ tokens: Int128) -> String {
        rate(atto, tokens).map { Format.price($0) + "/1M tokens" } ?? ""
    }

    /// Key columns, and a model column unless the key is by model.
    static func headings(_ report: UsageReport) -> (keys: [String], model: Bool) {
        (report.by.map(\.description), !report.by.contains(.model))
    }

    // MARK: text

    package static func text(_ report: UsageReport, renderer: TextRenderer = TextRenderer()) -> String {
        var out = "usage"
        if let first = report.first, let last = report.last { out += " — \(first) … \(last)" }
        out += "\n"
        let c = report.counts
        out += "records: \(c.read) read · \(c.priced) priced · \(c.unpriced) unpriced · \(c.failed) failed · \(c.malformed) malformed"
            + " · \(c.outsidePeriod) outside the period\n\n"
        let (keys, modelColumn) = headings(report)
        var rows: [[String]] = [keys + (modelColumn ? ["model"] : []) + ["", "tokens", "rate", "usd"]]
        var bold: Set<Int> = [0]
        for group in report.sortedGroups {
            var shownKey = group.key
            var groupTotal = UsageTotals()
            for model in group.models {
                var shownModel = model.name
                for line in lines(model.totals) {
                    rows.append(shownKey + (modelColumn ? [shownModel] : []) + [line.label, Format.count(Rational(line.tokens)),
                                                                               rateText(line.atto, line.tokens), money(line.atto)])
                    shownKey = shownKey.map { _ in "" }
                    shownModel = ""
                }
                _ = groupTotal.add(model.totals)
            }
            if let total = groupTotal.totalAtto {
                rows.append(shownKey.map { _ in "" } + (modelColumn ? [""] : []) + ["subtotal", "", "", money(total)])
            }
        }
        if let total = report.total?.totalAtto {
            bold.insert(rows.count)
            rows.append(["total"] + Array(repeating: "", count: keys.count + (modelColumn ? 1 : 0) - 1) + ["", "", "", money(total)])
        }
        let width = rows[0].count
        out += renderer.table(rows, rightAligned: [width - 3, width - 1], boldRows: bold)
        if !report.unpriced.isEmpty {
            out += "\nunpriced (never counted as $0):\n"
            var table: [[String]] = []
            for (key, totals) in report.unpriced.sorted(by: { $0.key < $1.key }) {
                table.append([key.modelId, key.region, records(totals.records), key.reason,
                              "input \(Format.count(Rational(totals.tokens[0]))) · cache read \(Format.count(Rational(totals.tokens[1])))"
                                  + " · cache write \(Format.count(Rational(totals.tokens[2]))) · output \(Format.count(Rational(totals.tokens[3])))"])
            }
            out += renderer.table(table, rightAligned: [2], boldRows: [])
        }
        if !report.malformed.isEmpty {
            out += "\nmalformed (first \(report.malformed.count) of \(c.malformed)):\n"
            out += renderer.table(report.malformed.map { ["\($0.file):\($0.line)", $0.reason] }, rightAligned: [], boldRows: [])
        }
        if !report.skipped.isEmpty {
            out += "\nskipped:\n" + renderer.table(report.skipped.map { [$0.path, $0.reason] }, rightAligned: [], boldRows: [])
        }
        return out
    }

    // MARK: json

    static func tokens(_ totals: UsageTotals) -> JSON {
        .object([("input", .number(String(totals.tokens[0]))), ("cache_read", .number(String(totals.tokens[1]))),
                 ("cache_write", .number(String(totals.tokens[2]))), ("output", .number(String(totals.tokens[3])))])
    }

    package static func json(_ report: UsageReport) -> String {
        let c = report.counts
        var groups: [JSON] = []
        for group in report.sortedGroups {
            var sum = UsageTotals()
            for model in group.models { _ = sum.add(model.totals) }
            groups.append(.object([
                ("key", JSON.object(zip(report.by, group.key).map { ($0.description, JSON.string($1)) })),
                ("records", .number(String(sum.records))),
                ("tokens", tokens(sum)),
                ("usd", sum.totalAtto.map { .string(exact($0)) } ?? .null),
            ]))
        }
        let unpriced: [JSON] = report.unpriced.sorted(by: { $0.key < $1.key }).map { key, totals in
            .object([("model_id", .string(key.modelId)), ("region", .string(key.region)), ("records", .number(String(totals.records))),
                     ("reason", .string(key.reason)), ("tokens", tokens(totals))])
        }
        let object: JSON = .object([
            ("period", .object([("first", report.first.map { .string($0.description) } ?? .null),
                                ("last", report.last.map { .string($0.description) } ?? .null)])),
            ("records", .object([("read", .number(String(c.read))), ("priced", .number(String(c.priced))),
                                 ("unpriced", .number(String(c.unpriced))), ("failed", .number(String(c.failed))),
                                 ("malformed", .number(String(c.malformed))), ("outside_period", .number(String(c.outsidePeriod)))])),
            ("by", .array(report.by.map { .string($0.description) })),
            ("groups", .array(groups)),
            ("unpriced", .array(unpriced)),
            ("malformed", .array(report.malformed.map {
                .object([("file", .string($0.file)), ("line", .number(String($0.line))), ("reason", .string($0.reason))])
            })),
            ("skipped", .array(report.skipped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
            ("total_usd", report.total?.totalAtto.map { .string(exact($0)) } ?? .null),
        ])
        return object.rendered(indent: 2) + "\n"
    }

    // MARK: csv and markdown

    /// One row per model and token class, then a total: exact decimals.
    static func rows(_ report: UsageReport) -> (header: [String], rows: [[String]]) {
        let (keys, _) = headings(report)
        let header = keys + (report.by.contains(.model) ? [] : ["model"]) + ["item", "tokens", "usd_per_1m_tokens", "usd"]
        var rows: [[String]] = []
        for group in report.sortedGroups {
            for model in group.models {
                for line in lines(model.totals) {
                    let rate = rate(line.atto, line.tokens).map { $0.terminatingDecimal ?? $0.decimalString(fractionDigits: 20, trimTrailingZeros: true) } ?? ""
                    rows.append(group.key + (report.by.contains(.model) ? [] : [model.name]) + [line.label, String(line.tokens), rate, exact(line.atto)])
                }
            }
        }
        if let total = report.total?.totalAtto {
            rows.append(["total"] + Array(repeating: "", count: header.count - 2) + [exact(total)])
        }
        return (header, rows)
    }

    package static func csv(_ report: UsageReport) -> String {
        let (header, rows) = rows(report)
        return ([header] + rows).map { $0.map(Escaping.csvField).joined(separator: ",") + "\n" }.joined()
    }

    package static func markdown(_ report: UsageReport) -> String {
        let (header, rows) = rows(report)
        let c = report.counts
        var out = "| " + header.map(Escaping.markdownText).joined(separator: " | ") + " |\n"
        out += "|" + header.map { ["tokens", "usd_per_1m_tokens", "usd"].contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { out += "| " + row.map(Escaping.markdownText).joined(separator: " | ") + " |\n" }
        if let first = report.first, let last = report.last { out += "\nPeriod: \(first) to \(last)." }
        out += "\nRecords: \(c.read) read, \(c.priced) priced, \(c.unpriced) unpriced, \(c.failed) failed, \(c.malformed) malformed,"
            + " \(c.outsidePeriod) outside the period.\n"
        for (key, totals) in report.unpriced.sorted(by: { $0.key < $1.key }) {
            out += "- unpriced: \(Escaping.markdownText(key.modelId)) in \(Escaping.markdownText(key.region)), \(records(totals.records)) ("
                + Escaping.markdownText(key.reason) + ")\n"
        }
        return out
    }
}
