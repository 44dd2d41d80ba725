import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

/// `tally models [FILTER]`: the catalog as a table, or as JSON.
extension Commands {
    package static func models(filter: String?, at: String? = nil, format: OutputFormat = .text, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        var day: CatalogDay?
        if let at {
            guard let parsed = CatalogDay(at) else {
                output.stderr += "tally: error: --at takes a date, YYYY-MM-DD or YYYY-MM, not \"\(Escaping.visible(at))\"\n"
                output.status = 2
                return output
            }
            day = parsed
        }
        guard let session = standardSession(into: &output, color: color) else { return output }
        return models(in: session, filter: filter, at: day, format: format, color: color)
    }

    /// The models of a session's catalog (its own `price` declarations
    /// included); with `exact`, only the one the filter names.
    package static func models(in session: Session, filter: String?, exact: Bool = false, at day: CatalogDay? = nil,
                               format: OutputFormat = .text, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let catalog = session.environment.catalog
        let needle = filter?.lowercased()
        let named = exact ? filter.flatMap { catalog.model(named: $0)?.name } : nil
        // As of a day: each model's rates then, and only the models priced then.
        // A search reads only the models whose catalog text could match.
        let searched: [ModelPrice]
        if let text = exact ? named : needle, !text.isEmpty {
            searched = catalog.sortedModels(mentioning: text)
        } else {
            searched = exact ? [] : catalog.sortedModels
        }
        let all = day.map { day in searched.map { $0.asOf(day) }.filter { !$0.rates.isEmpty } } ?? searched
        let models = all.filter { model in
            if exact { return model.name == named }
            guard let needle, !needle.isEmpty else { return true }
            let haystack = [model.name, model.displayName ?? "", model.id ?? "", model.provider ?? "", model.kind.rawValue] + model.aliases
            return haystack.contains { $0.lowercased().contains(needle) }
        }
        if models.isEmpty {
            output.stderr += "tally: no model matches \"\(filter ?? "")\"\n"
            if let filter, let near = Suggestion.closest(to: filter, in: Suggestion.models(like: filter, in: catalog.allNames)) {
                output.stderr += "  = hint: did you mean `\(near)`?\n"
            }
            output.status = 2
            return output
        }
        switch format {
        case .json:
            output.stdout += JSON.array(models.map(modelJSON)).rendered(indent: 2) + "\n"
        case .text:
            output.stdout += modelTable(models, color: color)
        }
        return output
    }

    static func sortedScopes(_ model: ModelPrice) -> [RateScope] {
        model.rates.keys.sorted { a, b in
            if a.region != b.region { return a.region == Engine.defaultRegion || (b.region != Engine.defaultRegion && a.region < b.region) }
            if a.threshold != b.threshold { return (a.threshold ?? .zero) < (b.threshold ?? .zero) }
            return (a.endpoint?.rawValue ?? "") < (b.endpoint?.rawValue ?? "")
        }
    }

    static let tokenColumns: [RateKind] = [.input, .output, .cacheRead, .cacheWrite]

    static func modelTable(_ models: [ModelPrice], color: Bool) -> String {
        var rows: [[String]] = [["model", "kind", "region", "endpoint", "input", "output", "cache read", "cache write", "other rates"]]
        for model in models {
            for (index, scope) in sortedScopes(model).enumerated() {
                guard let table = model.rates[scope] else { continue }
                var row = [index == 0 ? model.name : "", index == 0 ? model.kind.rawValue : "", scope.region,
                           (scope.endpoint?.rawValue ?? "") + (scope.threshold.map { " >\(Format.count($0))" } ?? "")]
                for kind in tokenColumns {
                    // A rate too fine to scale to 1M tokens is shown per token, never mislabelled.
                    row.append(table[kind].map { rate in
                        rate.amount.multiplied(by: Rational(1_000_000)).map(Format.price) ?? Format.price(rate.amount) + "/token"
                    } ?? "")
                }
                let others = table.keys.filter { !tokenColumns.contains($0) }.sorted()
                    .compactMap { kind in table[kind].map { "\(kind.name) \(Format.rate($0.amount, kind: kind))" } }
                row.append(others.joined(separator: ", "))
                rows.append(row)
            }
        }
        var out = TextRenderer(color: color).table(rows, rightAligned: [4, 5, 6, 7], boldRows: [0])
        let count = models.count == 1 ? "1 model" : "\(models.count) models"
        out += "\n  \(count); token rates in USD per 1M tokens. Sources: `tally models NAME --format json`.\n"
        return out
    }

    static func modelJSON(_ model: ModelPrice) -> JSON {
        var rates: [JSON] = []
        for scope in sortedScopes(model) {
            guard let table = model.rates[scope] else { continue }
            for kind in table.keys.sorted() {
                guard let rate = table[kind] else { continue }
                let base = JSONRenderer.rate(rate)
                guard case .object(let fields) = base else { continue }
                rates.append(.object([
                    ("region", .string(scope.region)),
                    ("endpoint", scope.endpoint.map { .string($0.rawValue) } ?? .null),
                    ("above_input_tokens", scope.threshold.map { JSONRenderer.exact($0) } ?? .null),
                ] + fields))
            }
        }
        return .object([
            ("name", .string(model.name)),
            ("display_name", model.displayName.map { .string($0) } ?? .null),
            ("id", model.id.map { .string($0) } ?? .null),
            ("aliases", .array(model.aliases.map { .string($0) })),
            ("provider", model.provider.map { .string($0) } ?? .null),
            ("kind", .string(model.kind.rawValue)),
            ("rates", .array(rates)),
        ])
    }
}
