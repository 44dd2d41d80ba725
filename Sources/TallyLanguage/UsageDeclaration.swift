import TallyQuantities
import TallySyntax
import TallyPricing

/// What a `usage` declaration asks of the logs: which files, which period,
/// which records. The application reads them (`Evaluator.actuals`).
package struct UsageQuery: Sendable {
    package let name: String
    /// Paths as written, each with where it was written.
    package var logs: [(path: String, span: Span)] = []
    /// `YYYY-MM-DD` (a whole day) or an ISO-8601 instant, as written.
    package var from: String?
    package var to: String?
    /// Records must carry each pair in their `requestMetadata`.
    package var filter: [(key: String, value: String)] = []
    /// Only this catalog model's records, only records made in this region.
    package var model: String?
    package var region: String?
    /// Seconds in the script's month: the records' cost is scaled to it.
    package var monthSeconds = Units.month.factor
    /// The script's catalog as the declaration met it (its `price` and
    /// `profile` declarations so far).
    package var catalog: Catalog?

    package init(name: String) { self.name = name }
}

extension Evaluator {
    /// `usage NAME < logs "…"; from 2026-11-01; to 2026-11-30; where team=search >`:
    /// what the logs say was spent, as a cost per month over its period.
    mutating func declareUsage(_ base: Workload, _ properties: [Property], at span: Span) throws(Diagnostic) -> Value {
        var query = UsageQuery(name: base.name)
        for property in properties { try applyUsage(property, to: &query) }
        guard !query.logs.isEmpty else {
            throw Diagnostic(.name, "usage `\(base.name)` reads no logs", at: span, hints: ["add `logs \"path/to/logs\"`"])
        }
        guard let actuals else { throw Diagnostic(.io, "`usage` cannot read logs here", at: span) }
        query.monthSeconds = environment.month.factor
        query.catalog = environment.catalog
        let breakdown = try actuals(query, span)
        var workload = base
        workload.tags = query.filter
        workload.region = query.region
        if environment.month != Units.month { workload.secondsPerMonth = environment.month.factor }
        return .workload(workload, breakdown)
    }

    func applyUsage(_ property: Property, to query: inout UsageQuery) throws(Diagnostic) {
        guard let key = WorkloadProperty(rawValue: property.name), WorkloadSchema.accepts(key, in: .usage) else {
            let allowed = WorkloadSchema.names(for: .usage)
            let list = "its properties are \(allowed.joined(separator: ", "))"
            guard WorkloadProperty(rawValue: property.name) == nil else {
                throw Diagnostic(.name, "`\(property.name)` does not apply to a usage", at: property.nameSpan).hint(list)
            }
            throw Diagnostic(.name, "unknown property `\(property.name)`", at: property.nameSpan)
                .hint(suggestionHint(for: property.name, in: allowed) ?? list)
        }
        switch key {
        case .logs:
            guard !property.arguments.isEmpty else {
                throw Diagnostic(.syntax, "`logs` takes one or more paths in quotes, such as `logs \"logs/2026-11\"`", at: property.span)
            }
            for argument in property.arguments {
                guard case .expression(let e) = argument, case .string(let path) = e.kind else {
                    throw Diagnostic(.syntax, "`logs` takes paths in quotes, such as `logs \"logs/2026-11\"`", at: argument.span)
                }
                query.logs.append((path, e.span))
            }
        case .from: query.from = try usageTime(property)
        case .to: query.to = try usageTime(property)
        case .filter:
            var arguments = property.arguments[...]
            // `where tag team=search` reads as `where team=search`.
            if case .expression(let e)? = arguments.first, case .name("tag") = e.kind { arguments = arguments.dropFirst() }
            try keyValuePairs(property, arguments, example: "where team=search", into: &query.filter)
        case .model:
            let (name, span) = try singleWord(property, "a model name such as `sonnet-4.5`")
            query.model = try model(named: name, at: span).name
        case .region:
            query.region = try singleWord(property, "a region such as `us-east-1`").0
        default:
            throw Diagnostic(.name, "`\(property.name)` does not apply to a usage", at: property.nameSpan)
        }
    }

    /// `2026-11-01` as written (the lexer reads it as a subtraction, so the
    /// text is what counts), or an instant in quotes.
    func usageTime(_ property: Property) throws(Diagnostic) -> String {
        let e = try single(property, "a day such as `2026-11-01`")
        let text: String
        if case .string(let s) = e.kind { text = s } else { text = String(e.span.text) }
        let isDay = text.count == 10 && CatalogDay(text) != nil
        let isInstant = text.count >= 20 && text.count <= 30 && text.hasSuffix("Z") && CatalogDay(String(text.prefix(10))) != nil
            && text.dropFirst(10).first == "T"
        guard isDay || isInstant else {
            throw Diagnostic(.syntax, "`\(property.name)` takes a day, such as `2026-11-01`, or an instant in quotes, such as \"2026-11-01T08:00:00Z\"",
                             at: e.span)
        }
        return text
    }
}
