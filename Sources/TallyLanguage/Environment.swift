import TallyQuantities
import TallySyntax
import TallyPricing

/// Everything a script or session has declared. A value type: the REPL
/// evaluates an input on a copy and keeps the copy only when the input succeeds.
package struct Environment: Sendable {
    package struct Binding: Sendable {
        package enum Kind: String, Sendable { case `let`, workload }
        package var kind: Kind
        package var value: Value
        /// Where the name was declared.
        package var span: Span
        /// The whole declaration, kept as a span: its text is needed only by `:info`.
        package var declaration: Span?
        /// The whole declaration as written.
        package var source: String { declaration?.text ?? "" }

        package init(kind: Kind, value: Value, span: Span, declaration: Span? = nil) {
            self.kind = kind
            self.value = value
            self.span = span
            self.declaration = declaration
        }
    }

    package private(set) var bindings: [String: Binding] = [:]
    /// The workloads' names and breakdowns in declaration order, and their
    /// sums, kept as they are bound: `total`, listings.
    package private(set) var ledger = PlanLedger()
    /// Workload names in declaration order.
    package var workloadOrder: [String] { ledger.names }
    package var catalog: Catalog
    /// The region set by the last `region` statement.
    package var region: String?
    /// The catalog date named by `catalog "…"`.
    package var catalogDate: String?
    /// The same date as a day: workloads are priced at the rates in force then.
    package var catalogDay: CatalogDay?
    /// What `month` means: 730 hours, unless the script said `month 744 hours`.
    package var month = Units.month
    /// `month calendar`: forecasts go month by month of the calendar.
    package var calendarMonths = false
    /// Names whose declaration failed: using them reports nothing more, so one
    /// mistake is reported once.
    var poisoned: Set<String> = []
    /// Files already imported, by their resolved path.
    package var imported: Set<String> = []

    package init(catalog: Catalog) {
        self.catalog = catalog
    }

    package subscript(name: String) -> Binding? { bindings[name] }

    package mutating func bind(_ name: String, _ binding: Binding) {
        if binding.kind == .workload, case .workload(_, let breakdown) = binding.value {
            ledger.set(name, breakdown)
        } else {
            ledger.remove(name)
        }
        bindings[name] = binding
        poisoned.remove(name)
    }

    mutating func poison(_ name: String) { poisoned.insert(name) }

    /// Every workload's breakdown, in declaration order.
    package var workloads: [(Workload, Breakdown)] {
        workloadOrder.compactMap { name in
            if case .workload(let w, let b)? = bindings[name]?.value { return (w, b) }
            return nil
        }
    }
}
