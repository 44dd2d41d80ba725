import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage

/// Renders values for machines. Exact decimals travel as strings so that no
/// JSON reader rounds them through binary floating point.
package enum JSONRenderer {
    package static func value(_ v: Value) -> JSON {
        switch v {
        case .quantity(let q): quantity(q)
        case .boolean(let b): .object([("value", .bool(b))])
        case .string(let s): .object([("value", .string(s))])
        case .workload(_, let b): breakdown(b)
        case .total(let plan):
            .object([
                ("workloads", .array(plan.breakdowns.map(breakdown))),
                ("total", quantity(plan.costRate)),
            ])
        }
    }

    /// `{"value": "536.55", "unit": "$/month"}`
    /// `{"value": "536.55", "unit": "$/month"}`; a range gives its ends as
    /// `{"low": "…", "high": "…", "unit": "…"}`.
    package static func quantity(_ q: Quantity) -> JSON {
        if q.isRange {
            return .object([("low", .string(Format.exactDecimal(q.end(.low)))), ("high", .string(Format.exactDecimal(q.end(.high)))),
                            ("unit", .string(Format.unitText(q)))])
        }
        return .object([("value", .string(Format.exactDecimal(q))), ("unit", .string(Format.unitText(q)))])
    }

    package static func exact(_ r: Rational) -> JSON {
        .string(r.terminatingDecimal ?? r.decimalString(fractionDigits: 20, trimTrailingZeros: true))
    }

    static func optional(_ r: Rational?) -> JSON { r.map(exact) ?? .null }

    package static func rate(_ rate: Rate) -> JSON {
        let (value, unit) = Format.rateValue(rate.amount, kind: rate.kind)
        var fields: [(String, JSON)] = [
            ("kind", .string(rate.kind.name)),
            ("value", exact(value)),
            ("unit", .string(unit)),
            ("source", .string(rate.source)),
            ("as_of", rate.asOf.map { .string($0) } ?? .null),
            ("since", rate.since.map { .string($0) } ?? .null),
            ("origin", .string(rate.origin)),
            ("overridden", .bool(rate.overridden)),
        ]
        // Only in a catalog read as of a past day: when the rate stopped applying, and the one after it.
        if let day = rate.supersededOn, let next = rate.supersededBy {
            fields += [("until", .string(day)), ("next_value", exact(Format.rateValue(next, kind: rate.kind).0))]
        }
        return .object(fields)
    }

    package static func breakdown(_ b: Breakdown) -> JSON {
        .object([
            ("name", .string(b.name)),
            ("kind", .string(b.kind.rawValue)),
            ("model", .string(b.model)),
            ("mode", .string(b.mode)),
            ("region", .string(b.region)),
            ("endpoint", b.endpoint.map { .string($0.rawValue) } ?? .null),
            ("requests_per_month", optional(b.requestsPerMonth)),
            ("input_tokens_per_request", optional(b.inputTokens)),
            ("output_tokens_per_request", optional(b.outputTokens)),
            ("cache_read_share", exact(b.cacheRead)),
            ("cache_write_share", exact(b.cacheWrite)),
            ("hours_per_month", optional(b.monthSeconds.divided(by: Rational(3600)))),
            ("lines", .array(b.lines.map { line in
                .object([
                    ("label", .string(line.label)),
                    ("quantity", exact(line.quantity)),
                    ("unit", .string(line.unit)),
                    ("rate", .string(line.rateText)),
                    ("rates", .array(line.rates.map(rate))),
                    ("usd_per_month", exact(line.amount)),
                ])
            })),
            ("usd_per_request", optional(b.perRequest)),
            ("usd_per_day", exact(b.perDay)),
            ("usd_per_month", exact(b.total)),
            ("assumptions", .array(b.assumptions.map { .string($0) })),
            ("tags", .object(b.tags.map { ($0.key, .string($0.value)) })),
            ("high", b.high.map { breakdown($0.breakdown) } ?? .null),
        ])
    }
}
