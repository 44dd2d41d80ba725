import TallyQuantities
import TallySyntax
import TallyPricing

/// A data-automation block's properties: what it processes per time, and its output.
extension Evaluator {
    func applyDataAutomation(_ key: WorkloadProperty, _ property: Property, to workload: inout Workload) throws(Diagnostic) {
        switch key {
        case .documents:
            workload.pagesPerSecond = try ratePerSecond(try single(property, "pages per time, such as `200k pages/month`"), of: "documents")
        case .images:
            let e = try single(property, "images per time, such as `5k/month`")
            workload.mediaImagesPerSecond = try ratePerSecond(e, of: "images", allowing: .images)
        case .audio, .video:
            let e = try single(property, "minutes of media per time, such as `75k minutes/month`")
            let perSecond = try mediaPerSecond(e, of: property.name)
            if key == .audio { workload.audioPerSecond = perSecond } else { workload.videoPerSecond = perSecond }
        case .output:
            workload.customOutput = try oneOf(property, Engine.dataAutomationOutputs, "the output") == "custom"
        case .fields:
            let e = try single(property, "the blueprint's fields, such as `45`")
            let n = try count(e, of: "fields")
            // A blueprint has at most a few hundred fields; a cap keeps the product with units exact.
            guard n.isInteger, n >= .one, n <= Rational(100_000) else {
                throw Diagnostic(.runtime, "`fields` is a whole number of blueprint fields, 1 to 100,000, such as `45`", at: e.span)
            }
            workload.blueprintFields = n
        default:
            throw Diagnostic(.name, "`\(property.name)` does not apply to a data-automation", at: property.nameSpan)
        }
    }

    /// Seconds of media per second from `75k minutes/month`: a duration over a
    /// time, written so. A bare number, or a count per time (`75k/month`), says
    /// no minutes, so it is refused rather than read as a ratio.
    func mediaPerSecond(_ expr: Expr, of property: String) throws(Diagnostic) -> Rational {
        let q = try quantity(expr)
        var numerator: Quantity?
        if case .binary(.divide, let lhs, _, _) = expr.kind { numerator = try quantity(lhs) }
        guard q.dimension.isDimensionless, numerator?.dimension == .time else {
            throw Diagnostic(.dimension, "`\(property)` takes minutes of media per time, such as `75k minutes/month`, not \(Evaluator.unitName(q))",
                             at: expr.span)
                .hint(q.dimension == .perTime ? "say minutes: `\(property) 75k minutes/month`"
                      : q.dimension.isDimensionless ? "write the minutes over the time here, such as `\(property) 75k minutes/month`" : nil)
        }
        guard !q.value.isNegative else { throw Diagnostic(.runtime, "`\(property)` cannot be negative", at: expr.span) }
        return q.value
    }
}
