import TallyQuantities
import TallySyntax
import TallyPricing

/// What an expression evaluates to.
package indirect enum Value: Sendable {
    case quantity(Quantity)
    case boolean(Bool)
    case string(String)
    /// A priced workload: its value in arithmetic is its monthly cost rate,
    /// in `show` its breakdown.
    case workload(Workload, Breakdown)
    /// Every workload, summed.
    case total(PlanTotal)

    /// The value as a number, when it has one: workloads and `total` give their
    /// cost rate.
    package var quantity: Quantity? {
        switch self {
        case .quantity(let q): q
        case .workload(_, let breakdown): breakdown.costRate
        case .total(let plan): plan.costRate
        case .boolean, .string: nil
        }
    }

    /// How the value is named in diagnostics.
    package var kindDescription: String {
        switch self {
        case .quantity(let q): q.dimension.description
        case .boolean: "true/false"
        case .string: "a string"
        case .workload: "a workload"
        case .total: "the total"
        }
    }
}
