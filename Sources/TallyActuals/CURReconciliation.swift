import TallyQuantities
import TallyPricing

/// Invocation logs priced by Tally against the bill: per model, token class,
/// region and day, the logs' tokens and catalog cost beside the CUR's tokens
/// and unblended cost. A side with no usage in a group counts as zero, so
/// usage only one side saw is a difference like any other.
package struct CURReconciliation: Sendable {
    package static let by: [CURReport.Key] = [.model, .tokenClass, .region, .day]

    package struct Line: Sendable {
        /// Model, token class, region, day.
        package let key: [String]
        package var logTokens = Rational.zero
        package var logUSD = Rational.zero
        package var curTokens = Rational.zero
        package var curUSD = Rational.zero
        package var flagged = false
        /// The logs' cost less the CUR's.
        package var difference = Rational.zero

        package init(key: [String]) { self.key = key }
    }

    package var lines: [Line] = []
    package var tolerance: Rational
    package var logUSD = Rational.zero
    package var curUSD = Rational.zero
    package var differenceUSD = Rational.zero
    package let bill: CURReport
    package let logs: UsageReport

    package var flaggedCount: Int { lines.count { $0.flagged } }
    /// Set when a sum cannot be held exactly: the comparison is then not made.
    package var problem: String?

    /// `bill` grouped by `CURReconciliation.by`; `logs` by region and day
    /// (each group holds its models), its cache writes priced at `oneHour`'s lifetime.
    package init(bill: CURReport, logs: UsageReport, oneHour: Bool) {
        self.bill = bill
        self.logs = logs
        tolerance = bill.tolerance
        var problem: String?
        func sum(_ a: Rational, _ b: Rational) -> Rational {
            guard let total = a.adding(b) else {
                problem = "a sum is too large to hold exactly"
                return a
            }
            return total
        }
        var byKey: [[String]: Line] = [:]
        for group in bill.groups where group.key.count == 4 {
            var line = byKey[group.key] ?? Line(key: group.key)
            line.curTokens = sum(line.curTokens, group.tokens)
            line.curUSD = sum(line.curUSD, group.curUSD)
            byKey[group.key] = line
        }
        let regionAt = logs.by.firstIndex(of: .region), dayAt = logs.by.firstIndex(of: .day)
        for (key, models) in logs.groups {
            guard let regionAt, let dayAt, regionAt < key.count, dayAt < key.count else { continue }
            for (model, totals) in models {
                for meter in TokenMeter.allCases {
                    let tokens = totals.tokens(on: meter, oneHour: oneHour)
                    let atto = totals.atto[meter.rawValue]
                    guard tokens != 0 || atto != 0 else { continue }
                    let lineKey = [model, meter.label, key[regionAt], key[dayAt]]
                    var line = byKey[lineKey] ?? Line(key: lineKey)
                    line.logTokens = sum(line.logTokens, Rational(tokens))
                    guard let usd = RequestQuote.dollars(atto) else { problem = "a sum is too large to hold exactly"; continue }
                    line.logUSD = sum(line.logUSD, usd)
                    byKey[lineKey] = line
                }
            }
        }
        lines = byKey.values.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for index in lines.indices {
            let line = lines[index]
            lines[index].flagged = CURReport.differs(tally: line.logUSD, cur: line.curUSD, tolerance: tolerance)
            if let difference = line.logUSD.subtracting(line.curUSD) { lines[index].difference = difference } else { problem = "a difference is too large to hold exactly" }
            logUSD = sum(logUSD, line.logUSD)
            curUSD = sum(curUSD, line.curUSD)
        }
        if let difference = logUSD.subtracting(curUSD) { differenceUSD = difference } else { problem = "a difference is too large to hold exactly" }
        self.problem = problem ?? bill.problem
    }
}
