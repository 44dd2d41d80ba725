/// Renders values for machines. Exact decimals travel as strings so that no
/// JSON reader rounds them through binary floating point.
public enum JSONRenderer {
    public static func value(_ v: Value) -> JSON {
        switch v {
        case .quantity(let q): quantity(q)
        case .boolean(let b): .object([("value", .bool(b))])
        case .string(let s): .object([("value", .string(s))])
        case .workload(_, let b): breakdown(b)
        case .total(let all):
            .object([
                ("workloads", .array(all.map(breakdown))),
                ("total", quantity(Value.sum(all) ?? Quantity(.zero, .moneyPerTime))),
            ])
        }
    }

    /// `{"value": "536.55", "unit": "$/month"}`
    public static func quantity(_ q: Quantity) -> JSON {
        .object([("value", .string(Format.exactDecimal(q))), ("unit", .string(Format.unitText(q)))])
    }

    static func exact(_ r: Rational) -> JSON {
        .string(r.terminatingDecimal ?? r.decimalString(fractionDigits: 20, trimTrailingZeros: true))
    }

    public static func breakdown(_ b: Breakdown) -> JSON {
        var fields: [(String, JSON)] = [
            ("name", .string(b.name)),
            ("model", .string(b.model)),
            ("mode", .string(b.mode)),
            ("region", .string(b.region)),
            ("endpoint", b.endpoint.map { .string($0.rawValue) } ?? .null),
            ("requests_per_month", exact(b.requestsPerMonth)),
            ("input_tokens_per_request", exact(b.inputTokens)),
            ("output_tokens_per_request", exact(b.outputTokens)),
            ("cache_read_share", exact(b.cacheRead)),
            ("cache_write_share", exact(b.cacheWrite)),
        ]
        fields.append(("lines", .array(b.lines.map { line in
            .object([
                ("label", .string(line.label)),
                ("quantity", exact(line.quantity)),
                ("unit", .string(line.unit)),
                ("rate", .object([
                    ("kind", .string(line.kind.rawValue)),
                    ("usd_per_million_tokens", exact(line.rate.amount.multiplied(by: Rational(1_000_000)) ?? line.rate.amount)),
                    ("source", .string(line.rate.source)),
                    ("as_of", line.rate.asOf.map { .string($0) } ?? .null),
                    ("origin", .string(line.rate.origin)),
                    ("overridden", .bool(line.rate.overridden)),
                ])),
                ("usd_per_month", exact(line.amount)),
            ])
        })))
        fields.append(("usd_per_request", b.perRequest.map(exact) ?? .null))
        fields.append(("usd_per_day", exact(b.perDay)))
        fields.append(("usd_per_month", exact(b.total)))
        fields.append(("assumptions", .array(b.assumptions.map { .string($0) })))
        fields.append(("tags", .object(b.tags.map { ($0.key, .string($0.value)) })))
        return .object(fields)
    }
}
