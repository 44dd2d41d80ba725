import TallyPricing
import TallyQuantities

/// Two versions of a cost plan, workload by workload.
package struct CostDiff: Sendable {
    package enum Status: String, Sendable { case added, removed, changed, unchanged }

    package struct Change: Sendable {
        package let field: String
        package let before: String
        package let after: String
    }

    package struct Entry: Sendable {
        package let name: String
        package let status: Status
        package let before: Breakdown?
        package let after: Breakdown?
        /// Assumptions that changed: model, mode, requests, region, endpoint, tokens, cache.
        package let changes: [Change]
        /// Dollars per month on each side (0 on the side without it) and the difference.
        package let beforeMonthly: Rational
        package let afterMonthly: Rational
        package let change: Rational

        init(name: String, status: Status, before: Breakdown?, after: Breakdown?, changes: [Change]) throws(InexactFigure) {
            let beforeMonthly = before?.total ?? .zero
            let afterMonthly = after?.total ?? .zero
            guard let change = afterMonthly.subtracting(beforeMonthly) else { throw InexactFigure() }
            self.name = name
            self.status = status
            self.before = before
            self.after = after
            self.changes = changes
            self.beforeMonthly = beforeMonthly
            self.afterMonthly = afterMonthly
            self.change = change
        }
    }

    /// Monthly totals before and after, and the change, summed once.
    package struct Totals: Sendable {
        package let before: Rational
        package let after: Rational
        package let change: Rational

        package init(before: some Sequence<Rational>, after: some Sequence<Rational>) throws(InexactFigure) {
            guard let b = Rational.sum(before), let a = Rational.sum(after), let change = a.subtracting(b) else { throw InexactFigure() }
            self.before = b
            self.after = a
            self.change = change
        }

        /// Every file's totals together.
        package init(_ diffs: [CostDiff]) throws(InexactFigure) {
            try self.init(before: diffs.lazy.map(\.totals.before), after: diffs.lazy.map(\.totals.after))
        }
    }

    /// What the two sides are: file names, or `REV:file` and the working tree.
    package let file: String
    package let beforeLabel: String
    package let afterLabel: String
    package let entries: [Entry]
    package let totals: Totals
    package var beforeTotal: Rational { totals.before }
    package var afterTotal: Rational { totals.after }
    package var change: Rational { totals.change }

    /// The change as a share of the total before; nil when that was zero.
    package static func share(_ change: Rational, of before: Rational) -> Rational? {
        before.isZero ? nil : change.divided(by: before.magnitude)
    }

    package init(file: String, beforeLabel: String, afterLabel: String, before: [Breakdown], after: [Breakdown]) throws(InexactFigure) {
        self.file = file
        self.beforeLabel = beforeLabel
        self.afterLabel = afterLabel
        // By name through tables, so large plans diff in linear time; a name
        // declared twice matches its first declaration.
        var oldIndex: [String: Int] = [:]
        for (index, old) in before.enumerated() where oldIndex[old.name] == nil { oldIndex[old.name] = index }
        let newNames = Set(after.map(\.name))
        var entries: [Entry] = []
        for b in after {
            if let index = oldIndex[b.name] {
                let old = before[index]
                let changes = CostDiff.changes(old, b)
                let same = changes.isEmpty && old.total == b.total
                entries.append(try Entry(name: b.name, status: same ? .unchanged : .changed, before: old, after: b, changes: changes))
            } else {
                entries.append(try Entry(name: b.name, status: .added, before: nil, after: b, changes: []))
            }
        }
        for old in before where !newNames.contains(old.name) {
            entries.append(try Entry(name: old.name, status: .removed, before: old, after: nil, changes: []))
        }
        self.entries = entries
        self.totals = try Totals(before: entries.lazy.map(\.beforeMonthly), after: entries.lazy.map(\.afterMonthly))
    }

    static func changes(_ a: Breakdown, _ b: Breakdown) -> [Change] {
        var out: [Change] = []
        func compare(_ field: String, _ x: String?, _ y: String?) {
            if x != y { out.append(Change(field: field, before: x ?? "—", after: y ?? "—")) }
        }
        compare("model", a.model, b.model)
        compare("mode", a.mode, b.mode)
        compare("requests", a.requestsPerMonth.map { Format.count($0) + "/month" }, b.requestsPerMonth.map { Format.count($0) + "/month" })
        compare("region", a.region, b.region)
        compare("endpoint", a.endpoint?.rawValue, b.endpoint?.rawValue)
        compare("input", a.inputTokens.map { Format.count($0) + " tokens" }, b.inputTokens.map { Format.count($0) + " tokens" })
        compare("output", a.outputTokens.map { Format.count($0) + " tokens" }, b.outputTokens.map { Format.count($0) + " tokens" })
        compare("cache read", Format.percent(a.cacheRead), Format.percent(b.cacheRead))
        compare("cache write", Format.percent(a.cacheWrite), Format.percent(b.cacheWrite))
        if a.kind == b.kind, a.kind == .agentCore || a.kind == .dataAutomation {
            // An AgentCore or Data Automation block's meters are its lines: what changed is their quantities.
            var labels = a.lines.map(\.label)
            for line in b.lines where !labels.contains(line.label) { labels.append(line.label) }
            for label in labels {
                func quantity(_ x: Breakdown) -> String? {
                    x.lines.first { $0.label == label }.map { Format.count($0.quantity) + " " + $0.unit }
                }
                compare(label, quantity(a), quantity(b))
            }
        }
        return out
    }
}

/// `--fail-above 10%` or `--fail-above $500/month`.
package struct DiffLimit: Sendable {
    package let text: String
    /// A share of the total before, or an amount per month.
    package let share: Rational?
    package let perMonth: Rational?

    package init(text: String, share: Rational?, perMonth: Rational?) {
        self.text = text
        self.share = share
        self.perMonth = perMonth
    }
}
