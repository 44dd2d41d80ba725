import TallyQuantities
import TallyPricing

extension CURBill {
    /// The sums priced with the catalog as of each row's day, through the
    /// pricing core's token tariff (the base tier: a CUR sums requests, so a
    /// long-context tier has its own usage type), grouped and sorted.
    package func finished() -> CURReport {
        var report = report
        var unpriced = unpriced
        var groups: [[String]: CURReport.Group] = [:]
        func addUnpriced(_ cell: Cell, _ reason: String) {
            report.counts.unpriced += cell.rows
            let usageType = cell.usageType
            var entry = unpriced[usageType + "\n" + reason] ?? .init(usageType: usageType, reason: reason, rows: 0, curUSD: .zero)
            entry.rows += cell.rows
            guard let sum = entry.curUSD.adding(cell.cur) else { return report.problem = "a sum is too large to hold exactly" }
            entry.curUSD = sum
            unpriced[usageType + "\n" + reason] = entry
        }
        for cell in cells.values.sorted(by: { ($0.usageType, $0.day, $0.key.joined(separator: "\n")) < ($1.usageType, $1.day, $1.key.joined(separator: "\n")) }) {
            let usage = cell.usage
            guard let model = catalog.model(named: usage.model)?.asOf(cell.day) else {
                addUnpriced(cell, "the catalog has no model `\(usage.model)`")
                continue
            }
            let tariff = TokenTariff(model: model, region: usage.region, endpoint: usage.endpoint, mode: usage.mode)
            guard let base = tariff.tiers.last else { continue }
            let slot = base.slots[usage.meter.rawValue]
            if case .missing = slot {
                let tier = usage.tier.map { " (\($0))" } ?? ""
                addUnpriced(cell, "the catalog has no \(usage.meter.label)\(tier) rate for \(usage.model) in \(usage.region) "
                    + "on the \(usage.endpoint.rawValue) endpoint on \(cell.day)")
                continue
            }
            guard let perToken = slot.dollarsPerToken, let cost = cell.tokens.multiplied(by: perToken) else {
                addUnpriced(cell, "the cost does not fit exactly")
                continue
            }
            var group = groups[cell.key] ?? .init(key: cell.key, rows: 0, tokens: .zero, curUSD: .zero, tallyUSD: .zero)
            guard let tokens = group.tokens.adding(cell.tokens), let cur = group.curUSD.adding(cell.cur),
                  let tally = group.tallyUSD.adding(cost), let curTotal = report.curPricedUSD.adding(cell.cur),
                  let tallyTotal = report.tallyUSD.adding(cost) else {
                addUnpriced(cell, "the sums do not fit exactly")
                continue
            }
            report.counts.priced += cell.rows
            group.rows += cell.rows
            (group.tokens, group.curUSD, group.tallyUSD) = (tokens, cur, tally)
            (report.curPricedUSD, report.tallyUSD) = (curTotal, tallyTotal)
            groups[cell.key] = group
        }
        report.groups = groups.values.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for index in report.groups.indices {
            let group = report.groups[index]
            guard let difference = group.tallyUSD.subtracting(group.curUSD) else {
                report.problem = "a difference is too large to hold exactly"
                return report
            }
            report.groups[index].difference = difference
            report.groups[index].flagged = CURReport.differs(tally: group.tallyUSD, cur: group.curUSD, tolerance: report.tolerance)
        }
        guard let difference = report.tallyUSD.subtracting(report.curPricedUSD) else {
            report.problem = "a difference is too large to hold exactly"
            return report
        }
        report.differenceUSD = difference
        report.unpriced = unpriced.values.sorted { ($0.usageType, $0.reason) < ($1.usageType, $1.reason) }
        guard let unpricedUSD = Rational.sum(report.unpriced.map(\.curUSD)) else {
            report.problem = "a sum is too large to hold exactly"
            return report
        }
        report.curUnpricedUSD = unpricedUSD
        return report
    }
}
