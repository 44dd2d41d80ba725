import TallyQuantities

/// A plan's workloads as they are declared and redeclared, with the sums
/// `total` reports kept up to date: each declaration adds its breakdown
/// (and takes back the one it replaces), so `total` at a prompt of 10,000
/// workloads adds nothing up again.
package struct PlanLedger: Sendable {
    /// Every workload's name and breakdown, in declaration order.
    package private(set) var names: [String] = []
    private var all: [Breakdown] = []
    /// Each workload's index in `all`.
    private var position: [String: Int] = [:]
    /// How many of them are one-off costs: with none, `total` shares `all`.
    private var oneOffCount = 0

    struct Sums: Sendable {
        var total = Rational.zero, upper = Rational.zero, perSecond = Rational.zero, upperPerSecond = Rational.zero

        /// The sums with `breakdown` added (`sign` 1) or taken back (-1); nil
        /// when one would not fit.
        func adding(_ breakdown: Breakdown, sign: Int) -> Sums? {
            func step(_ sum: Rational, _ value: Rational) -> Rational? {
                sign > 0 ? sum.adding(value) : sum.subtracting(value)
            }
            guard let total = step(total, breakdown.total),
                  let upper = step(upper, breakdown.upperTotal),
                  let perSecond = step(perSecond, breakdown.perSecond),
                  let upperPerSecond = step(upperPerSecond, breakdown.high?.breakdown.perSecond ?? breakdown.perSecond)
            else { return nil }
            return Sums(total: total, upper: upper, perSecond: perSecond, upperPerSecond: upperPerSecond)
        }
    }
    /// The recurring workloads' sums; nil once a running sum would not fit
    /// (then `total()` adds them up afresh, and reports it if they still do not).
    private var sums: Sums? = Sums()

    package init() {}

    /// Declares or redeclares a workload: a redeclared one keeps its place.
    package mutating func set(_ name: String, _ breakdown: Breakdown) {
        if let index = position[name] {
            if all[index].oneOffMonth == nil { sums = sums?.adding(all[index], sign: -1) } else { oneOffCount -= 1 }
            all[index] = breakdown
        } else {
            position[name] = all.count
            names.append(name)
            all.append(breakdown)
        }
        if breakdown.oneOffMonth == nil { sums = sums?.adding(breakdown, sign: 1) } else { oneOffCount += 1 }
    }

    /// A workload's name now bound to something else. Linear in the plan's
    /// size: a prompt renaming a workload, not a script declaring one.
    package mutating func remove(_ name: String) {
        // Looked up first: removing an absent key would still copy a shared table.
        guard let index = position[name] else { return }
        position[name] = nil
        if all[index].oneOffMonth == nil { sums = sums?.adding(all[index], sign: -1) } else { oneOffCount -= 1 }
        all.remove(at: index)
        names.remove(at: index)
        for (other, at) in position where at > index { position[other] = at - 1 }
    }

    /// Every workload, recurring and one-off, with the monthly total.
    package func total() throws(InexactFigure) -> PlanTotal {
        guard let sums else { return try PlanTotal(all) }
        let recurring = oneOffCount == 0 ? all : all.filter { $0.oneOffMonth == nil }
        let oneOffs = oneOffCount == 0 ? [] : all.filter { $0.oneOffMonth != nil }
        return PlanTotal(recurring: recurring, oneOffs: oneOffs,
                         total: sums.total, upperTotal: sums.upper, perSecond: sums.perSecond, upperPerSecond: sums.upperPerSecond)
    }
}
