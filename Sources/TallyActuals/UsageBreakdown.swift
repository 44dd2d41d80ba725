import TallyQuantities
import TallyPricing

extension UsageReport {
    /// Why a report cannot be a cost per month.
    package enum BreakdownError: Error, Equatable, CustomStringConvertible {
        case noTime
        case tooLarge

        package var description: String {
            switch self {
            case .noTime: "the records cover no time (none, or all at one instant): give `from` and `to`"
            case .tooLarge: "the records' sums are too large to hold exactly"
            }
        }
    }

    /// The report as a workload's bill: a line per model and token class,
    /// per month of `monthSeconds`, scaled from the `seconds` the records
    /// cover (`from`…`to`, or the first record to the last).
    /// `period` names the span scaled from when it is given (`from`…`to`).
    package func breakdown(name: String, region: String?, tags: [(key: String, value: String)], seconds given: Rational?,
                           period named: (from: String, to: String)? = nil, monthSeconds: Rational) throws(BreakdownError) -> Breakdown {
        let seconds: Rational
        if let given {
            seconds = given
        } else if let first, let last,
                  let span = Rational((Int128(last.seconds) - Int128(first.seconds)) * 1_000_000_000 + Int128(last.nanoseconds) - Int128(first.nanoseconds),
                                      1_000_000_000) {
            seconds = span
        } else {
            throw .noTime
        }
        guard seconds > .zero, let scale = monthSeconds.divided(by: seconds) else { throw .noTime }
        func monthly(_ value: Rational) throws(BreakdownError) -> Rational {
            guard let v = value.multiplied(by: scale) else { throw .tooLarge }
            return v
        }
        var byModel: [String: UsageTotals] = [:]
        for models in groups.values {
            for (model, totals) in models { guard byModel[model, default: UsageTotals()].add(totals) else { throw .tooLarge } }
        }
        var lines: [Breakdown.Line] = []
        var all = UsageTotals()
        let ends = named ?? (first?.description ?? "?", last?.description ?? "?")
        let period = "\(ends.from) to \(ends.to)"
        for (model, totals) in byModel.sorted(by: { $0.key < $1.key }) {
            guard all.add(totals) else { throw .tooLarge }
            for meter in TokenMeter.allCases where totals.atto[meter.rawValue] != 0 {
                let tokens = Rational(totals.tokens(on: meter, oneHour: totals.atto[TokenMeter.cacheWrite1h.rawValue] != 0))
                guard let usd = RequestQuote.dollars(totals.atto[meter.rawValue]),
                      let perToken = tokens.isZero ? Rational.zero : usd.divided(by: tokens) else { throw .tooLarge }
                let rate = Rate(amount: perToken, kind: meter.rateKind, source: "measured: the average paid from \(period)", asOf: nil,
                                since: nil, origin: "logs", isBuiltin: false, overridden: false)
                lines.append(Breakdown.Line(label: "\(model) \(meter.label)", quantity: try monthly(tokens), unit: "tokens",
                                            basis: .rate(rate, factor: nil), amount: try monthly(usd)))
            }
        }
        guard let total = Rational.sum(lines.map(\.amount)) else { throw .tooLarge }
        let records = Rational(all.records)
        let prompt = Rational(all.tokens[0] + all.tokens[1] + all.tokens[2])
        var breakdown = Breakdown(
            name: name, kind: .usage, model: byModel.count == 1 ? byModel.keys.first ?? "" : "", modelDisplayName: nil,
            region: region ?? "", endpoint: nil, mode: "measured", requestsPerMonth: try monthly(records),
            inputTokens: records.isZero ? nil : prompt.divided(by: records), outputTokens: records.isZero ? nil : Rational(all.tokens[3]).divided(by: records),
            summaryNotes: [.measured(records: counts.priced, from: ends.from, to: ends.to)]
                + (counts.unpriced + counts.malformed + counts.failed > 0
                    ? [.leftOut(unpriced: counts.unpriced, malformed: counts.malformed, failed: counts.failed)] : []),
            lines: lines, total: total, assumptionNotes: [],
            tags: tags, high: nil)
        if !prompt.isZero {
            guard let read = Rational(all.tokens[1]).divided(by: prompt), let written = Rational(all.tokens[2]).divided(by: prompt) else {
                throw .tooLarge
            }
            (breakdown.cacheRead, breakdown.cacheWrite) = (read, written)
        }
        breakdown.monthSeconds = monthSeconds
        guard breakdown.deriveFigures() else { throw .tooLarge }
        return breakdown
    }
}
