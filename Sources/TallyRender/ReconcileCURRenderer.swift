import TallyQuantities
import TallyPricing
import TallyActuals

/// `tally reconcile --cur`: logs priced by Tally against the bill, line by line.
package enum ReconcileCURRenderer {
    static func difference(_ line: CURReconciliation.Line) -> String {
        line.difference.isZero ? "same" : DiffRenderer.change(line.difference, of: line.curUSD) + (line.flagged ? " !" : "")
    }

    static func logsSummary(_ r: CURReconciliation) -> String {
        let c = r.logs.counts
        return "logs: \(c.read) records, \(c.priced) priced, \(c.unpriced) unpriced, \(c.failed) failed, \(c.malformed) malformed"
    }

    package static func text(_ r: CURReconciliation, color: Bool = false) -> String {
        let renderer = TextRenderer(color: color)
        var out = renderer.bold("Logs priced by Tally against the bill") + ", per model, token class, region and day\n"
        out += "  \(logsSummary(r)) · CUR: \(CURRenderer.summary(r.bill))\n\n"
        var rows: [[String]] = [CURReconciliation.by.map(\.name) + ["log tokens", "CUR tokens", "logs (Tally)", "CUR cost", "difference"]]
        for line in r.lines {
            rows.append(line.key + [Format.count(line.logTokens), Format.count(line.curTokens), Format.money(line.logUSD),
                                    Format.money(line.curUSD), difference(line)])
        }
        var total = CURReconciliation.Line(key: [])
        (total.logUSD, total.curUSD) = (r.logUSD, r.curUSD)
        total.difference = r.differenceUSD
        rows.append(["total", "", "", "", "", "", Format.money(r.logUSD), Format.money(r.curUSD), difference(total)])
        out += renderer.table(rows, rightAligned: [4, 5, 6, 7, 8], boldRows: [0, rows.count - 1])
        out += "  ! the logs' cost differs from the bill's by more than \(CURRenderer.tolerance(r.bill)) "
            + "(\(r.flaggedCount) of \(r.lines.count) line\(r.lines.count == 1 ? "" : "s"))\n"
        if r.logs.counts.unpriced > 0 || r.bill.counts.unpriced > 0 {
            out += "  not compared: \(r.logs.counts.unpriced) unpriced log record\(r.logs.counts.unpriced == 1 ? "" : "s") "
                + "(`tally usage` lists them), \(r.bill.counts.unpriced) unpriced CUR row\(r.bill.counts.unpriced == 1 ? "" : "s") "
                + "(`tally usage --cur` lists them)\n"
        }
        return out
    }

    package static func json(_ r: CURReconciliation) -> String {
        func exact(_ v: Rational) -> JSON { .string(CURRenderer.exact(v)) }
        let c = r.logs.counts, b = r.bill.counts
        let object = JSON.object([
            ("by", .array(CURReconciliation.by.map { .string($0.name) })),
            ("tolerance_percent", .string(CURRenderer.exact(r.tolerance.multiplied(by: Rational(100)) ?? r.tolerance))),
            ("logs", .object([("read", .number(String(c.read))), ("priced", .number(String(c.priced))),
                              ("unpriced", .number(String(c.unpriced))), ("failed", .number(String(c.failed))),
                              ("malformed", .number(String(c.malformed)))])),
            ("cur", .object([("files", .array(r.bill.files.map { .string($0) })), ("read", .number(String(b.read))),
                             ("priced", .number(String(b.priced))), ("unpriced", .number(String(b.unpriced))),
                             ("malformed", .number(String(b.malformed)))])),
            ("lines", .array(r.lines.map { line in
                .object([
                    ("key", .object(zip(CURReconciliation.by, line.key).map { ($0.name, .string($1)) })),
                    ("log_tokens", exact(line.logTokens)), ("cur_tokens", exact(line.curTokens)),
                    ("logs_usd", exact(line.logUSD)), ("cur_usd", exact(line.curUSD)),
                    ("difference_usd", exact(line.difference)), ("flagged", .bool(line.flagged)),
                ])
            })),
            ("total", .object([("logs_usd", exact(r.logUSD)), ("cur_usd", exact(r.curUSD)),
                               ("flagged_lines", .number(String(r.flaggedCount)))])),
        ])
        return object.rendered(indent: 2) + "\n"
    }
}
