/// Everything a script or session has declared. A value type: the REPL
/// evaluates an input on a copy and keeps the copy only when the input succeeds.
public struct Environment: Sendable {
    public struct Binding: Sendable {
        public enum Kind: String, Sendable { case `let`, workload }
        public var kind: Kind
        public var value: Value
        /// Where the name was declared.
        public var span: Span
        /// The whole declaration, kept as a span: its text is needed only by `:info`.
        public var declaration: Span?
        /// The whole declaration as written.
        public var source: String { declaration?.text ?? "" }
    }

    public private(set) var bindings: [String: Binding] = [:]
    /// Workload names in declaration order, for `total` and listings.
    public private(set) var workloadOrder: [String] = []
    public var catalog: Catalog
    /// The region set by the last `region` statement.
    public var region: String?
    /// The catalog date named by `catalog "…"`.
    public var catalogDate: String?
    /// Names whose declaration failed: using them reports nothing more, so one
    /// mistake is reported once.
    var poisoned: Set<String> = []
    /// Files already imported, by their resolved path.
    var imported: Set<String> = []

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    public subscript(name: String) -> Binding? { bindings[name] }

    mutating func bind(_ name: String, _ binding: Binding) {
        let old = bindings[name]?.kind
        if binding.kind == .workload, old != .workload { workloadOrder.append(name) }
        if old == .workload, binding.kind != .workload {
            workloadOrder.removeAll { $0 == name }
        }
        bindings[name] = binding
        poisoned.remove(name)
    }

    mutating func poison(_ name: String) { poisoned.insert(name) }

    /// Every workload's breakdown, in declaration order.
    public var workloads: [(Workload, Breakdown)] {
        workloadOrder.compactMap { name in
            if case .workload(let w, let b)? = bindings[name]?.value { return (w, b) }
            return nil
        }
    }
}
