import TallyPricing
import TallyQuantities

extension Format {
    /// A rate in the unit people read it in, from its base-unit amount, with
    /// that unit's name: (3, "$/1M tokens"), (60.5, "$/hour"), (0.5, "share").
    package static func rateValue(_ amount: Rational, kind: RateKind) -> (Rational, String) {
        func scaled(_ factor: Rational) -> Rational { amount.multiplied(by: factor) ?? amount }
        if kind == .fixedCost { return (amount, "$/month") }
        if kind == .oneOffCost { return (amount, "$ once") }
        switch kind.measure ?? .perToken {
        case .perToken: return (scaled(Rational(1_000_000)), "$/1M tokens")
        case .factor: return (amount, "share")
        case .perTime:
            if [.customStorage, .toolIndex, .record, .recordSelfManaged].contains(kind) { return (scaled(Units.month.factor), "$/month") }
            if [.modelUnit, .audio, .audioCustom, .video, .videoCustom].contains(kind) { return (scaled(Rational(60)), "$/minute") }
            return (scaled(Rational(3600)), "$/hour")
        case .perImage: return (amount, "$/image")
        case .perItem: return (amount, "$ each")
        case .perDataTime:
            // AgentCore memory is published per GB-hour.
            if kind == .gbHour { return (scaled(Rational(3600)), "$/GB-hour") }
            return (scaled(Units.month.factor), "$/GB-month")
        }
    }

    /// A rate as people read it: `$3.00/1M tokens`, `$60.50/hour`,
    /// `$1.95/month`, `$0.04/image`, `$0.15/1k`, `$0.024/GB-month`, `50%`.
    package static func rate(_ amount: Rational, kind: RateKind) -> String {
        let (value, unit) = rateValue(amount, kind: kind)
        switch unit {
        case "share": return percent(value)
        case "$ each":
            return value < Rational(uncheckedNumerator: 1, denominator: 100) && !value.isZero
                ? price(value.multiplied(by: Rational(1000)) ?? value) + "/1k" : price(value) + " each"
        default: return price(value) + unit.dropFirst()
        }
    }
}
