import TallyQuantities
import TallyPricing
import TallyActuals

/// `tally usage --cur`: the bill's Bedrock tokens per group, the CUR's
/// unblended cost beside the catalog's, for people and for machines.
package enum CURRenderer {
    static func exact(_ r: Rational) -> String { TableRenderer.exact(r) }

    static func difference(_ g: CURReport.Group) -> String {
        g.difference.isZero ? "same" : DiffRenderer.change(g.difference, of: g.curUSD) + (g.flagged ? " !" : "")
    }

    static func summary(_ r: CURReport) -> String {
        let c = r.counts
        var parts = ["\(c.read) row\(c.read == 1 ? "" : "s") read", "\(c.priced) priced", "\(c.unpriced) unpriced"]
        if c.notBedrock > 0 { parts.append("\(c.notBedrock) not Bedrock") }
        if c.otherLineItems > 0 { parts.append("\(c.otherLineItems) other line item\(c.otherLineItems == 1 ? "" : "s") (tax, credits, fees)") }
        parts.append("\(c.malformed) malformed")
        return parts.joined(separator: ", ")
    }

    static func period(_ r: CURReport) -> String {
        guard let first = r.first, let last = r.last else { return "no usage" }
        return first == last ? "\(first)" : "\(first) to \(last)"
    }

    static func tolerance(_ r: CURReport) -> String {
        Format.count(r.tolerance.multiplied(by: Rational(100)) ?? r.tolerance) + "%"
    }

    package static func text(_ r: CURReport, color: Bool = false) -> String {
        let renderer = TextRenderer(color: color)
        var out = renderer.bold("Bedrock in the Cost and Usage Report") + ": " + r.files.map(Escaping.visible).joined(separator: ", ") + "\n"
        out += "  \(period(r)) · \(summary(r))\n\n"
        var rows: [[String]] = [r.by.map(\.name) + ["rows", "tokens", "CUR cost", "Tally cost", "difference"]]
        for g in r.groups {
            rows.append(g.key + [String(g.rows), Format.count(g.tokens), Format.money(g.curUSD), Format.money(g.tallyUSD), difference(g)])
        }
        var total = CURReport.Group(key: [], rows: r.counts.priced, tokens: .zero, curUSD: r.curPricedUSD, tallyUSD: r.tallyUSD)
        total.difference = r.differenceUSD
        rows.append(["total"] + Array(repeating: "", count: max(r.by.count - 1, 0))
            + [String(total.rows), "", Format.money(total.curUSD), Format.money(total.tallyUSD), difference(total)])
        let n = r.by.count
        out += renderer.table(rows, rightAligned: [n, n + 1, n + 2, n + 3], boldRows: [0, rows.count - 1])
        out += "  ! the catalog's cost differs from the CUR's by more than \(tolerance(r)) (\(r.flaggedCount) of \(r.groups.count) group\(r.groups.count == 1 ? "" : "s"))\n"
        if !r.unpriced.isEmpty {
            out += "\n" + renderer.bold("Unpriced") + " (listed, not compared): \(r.counts.unpriced) row\(r.counts.unpriced == 1 ? "" : "s"), \(Format.money(r.curUnpricedUSD)) in the CUR\n"
            var listed: [[String]] = [["usage type", "rows", "CUR cost", "why"]]
            for u in r.unpriced { listed.append([u.usageType, String(u.rows), Format.money(u.curUSD), u.reason]) }
            out += renderer.table(listed, rightAligned: [1, 2], boldRows: [0])
        }
        if r.counts.otherLineItems > 0 {
            out += "\nOther Bedrock line items (tax, credits, refunds, fees): \(Format.money(r.curOtherUSD)) in the CUR\n"
        }
        if r.counts.malformed > 0 {
            out += "\n\(r.counts.malformed) malformed row\(r.counts.malformed == 1 ? "" : "s")"
                + (r.counts.malformed > r.malformed.count ? " (the first \(r.malformed.count) shown)" : "") + ":\n"
            for m in r.malformed { out += "  " + Escaping.visible("\(m.file):\(m.line): \(m.reason)") + "\n" }
        }
        return out
    }

    package static func json(_ r: CURReport) -> String {
        func money(_ v: Rational) -> JSON { .string(exact(v)) }
        let c = r.counts
        let groups: [JSON] = r.groups.map { g in
            .object([
                ("key", .object(zip(r.by, g.key).map { ($0.name, .string($1)) })),
                ("rows", .number(String(g.rows))),
                ("tokens", .string(exact(g.tokens))),
                ("cur_usd", money(g.curUSD)),
                ("tally_usd", money(g.tallyUSD)),
                ("difference_usd", money(g.difference)),
                ("difference_percent", g.differenceShare.map { .string(exact($0.multiplied(by: Rational(100)) ?? $0)) } ?? .null),
                ("flagged", .bool(g.flagged)),
            ])
        }
        let object = JSON.object([
            ("files", .array(r.files.map { .string($0) })),
            ("period", .object([("first", r.first.map { .string($0.description) } ?? .null),
                                ("last", r.last.map { .string($0.description) } ?? .null)])),
            ("rows", .object([("read", .number(String(c.read))), ("priced", .number(String(c.priced))),
                              ("unpriced", .number(String(c.unpriced))), ("not_bedrock", .number(String(c.notBedrock))),
                              ("other_line_items", .number(String(c.otherLineItems))), ("malformed", .number(String(c.malformed)))])),
            ("by", .array(r.by.map { .string($0.name) })),
            ("tolerance_percent", .string(exact(r.tolerance.multiplied(by: Rational(100)) ?? r.tolerance))),
            ("groups", .array(groups)),
            ("unpriced", .array(r.unpriced.map { u in
                .object([("usage_type", .string(u.usageType)), ("rows", .number(String(u.rows))), ("cur_usd", money(u.curUSD)),
                         ("reason", .string(u.reason))])
            })),
            ("malformed", .array(r.malformed.map { m in
                .object([("file", .string(m.file)), ("line", .number(String(m.line))), ("reason", .string(m.reason))])
            })),
            ("total", .object([("cur_usd", money(r.curPricedUSD)), ("tally_usd", money(r.tallyUSD)),
                               ("difference_usd", money(r.differenceUSD)),
                               ("cur_unpriced_usd", money(r.curUnpricedUSD)), ("cur_other_line_items_usd", money(r.curOtherUSD)),
                               ("flagged_groups", .number(String(r.flaggedCount)))])),
        ])
        return object.rendered(indent: 2) + "\n"
    }

    /// One row per group, then the unpriced usage types (`kind` says which).
    package static func csv(_ r: CURReport) -> String {
        var out = TableRenderer.row(["kind"] + r.by.map(\.name) + ["usage_type", "rows", "tokens", "cur_usd", "tally_usd", "difference_usd", "flagged", "reason"])
        let blank = Array(repeating: "", count: r.by.count)
        for g in r.groups {
            out += TableRenderer.row(["group"] + g.key + ["", String(g.rows), exact(g.tokens), exact(g.curUSD), exact(g.tallyUSD),
                                                          exact(g.difference), g.flagged ? "true" : "false", ""])
        }
        for u in r.unpriced {
            out += TableRenderer.row(["unpriced"] + blank + [u.usageType, String(u.rows), "", exact(u.curUSD), "", "", "", u.reason])
        }
        out += TableRenderer.row(["total"] + blank + ["", String(r.counts.priced), "", exact(r.curPricedUSD), exact(r.tallyUSD),
                                                      exact(r.differenceUSD), "", ""])
        return out
    }

    package static func markdown(_ r: CURReport) -> String {
        let md = Escaping.markdownText
        var out = "#### Bedrock in the Cost and Usage Report\n\n" + md("\(period(r)) · \(summary(r))") + "\n\n"
        out += "| " + r.by.map { md($0.name) }.joined(separator: " | ") + " | rows | tokens | CUR cost | Tally cost | difference |\n"
        out += "|" + String(repeating: "---|", count: r.by.count) + "---:|---:|---:|---:|---:|\n"
        for g in r.groups {
            out += "| " + g.key.map(md).joined(separator: " | ")
                + " | \(g.rows) | \(Format.count(g.tokens)) | \(md(Format.money(g.curUSD))) | \(md(Format.money(g.tallyUSD))) | \(md(difference(g))) |\n"
        }
        out += "| **total** " + String(repeating: "| ", count: max(r.by.count - 1, 0))
            + "| \(r.counts.priced) | | **\(md(Format.money(r.curPricedUSD)))** | **\(md(Format.money(r.tallyUSD)))** | |\n"
        out += "\n" + md("! the catalog's cost differs from the CUR's by more than \(tolerance(r))") + "\n"
        if !r.unpriced.isEmpty {
            out += "\n| unpriced usage type | rows | CUR cost | why |\n|---|---:|---:|---|\n"
            for u in r.unpriced { out += "| \(md(u.usageType)) | \(u.rows) | \(md(Format.money(u.curUSD))) | \(md(u.reason)) |\n" }
        }
        if r.counts.malformed > 0 { out += "\n" + md("\(r.counts.malformed) malformed rows") + "\n" }
        return out
    }
}
