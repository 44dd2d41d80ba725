/// A number with a dimension, held exactly in base units (dollars, seconds,
/// tokens, …). `timeUnit` remembers which unit of time the value was written or
/// converted in, so `3000/day` prints per day and `x in $/month` per month.
///
/// A quantity may be a range, `2k..5k`: `value` is its low end and `high` its
/// high end, and arithmetic carries both ends (interval arithmetic).
package struct Quantity: Hashable, Sendable {
    /// The value, or the low end of a range.
    package var value: Rational
    /// The high end of a range; nil for a single value.
    package var high: Rational?
    package var dimension: Dimension
    package var timeUnit: Unit?

    package init(_ value: Rational, _ dimension: Dimension = .none, timeUnit: Unit? = nil, high: Rational? = nil) {
        self.value = value
        self.high = high == value ? nil : high
        self.dimension = dimension
        self.timeUnit = dimension[.time] == 0 ? nil : timeUnit
    }

    package static func number(_ value: Rational) -> Quantity { Quantity(value) }

    package var isRange: Bool { high != nil }
    package var low: Rational { value }
    /// The high end, or the value.
    package var upper: Rational { high ?? value }

    /// One end of the range, as a single value.
    package func end(_ end: RangeEnd) -> Quantity {
        Quantity(end == .low ? value : upper, dimension, timeUnit: timeUnit)
    }

    /// Why an operation on quantities failed.
    package enum Failure: Error, Equatable {
        case overflow
        case divisionByZero
        case dimensionMismatch(Dimension, Dimension)
        case exponentRange
    }

    /// The smallest and largest of some candidate ends, or nil on overflow.
    static func bounds(_ candidates: [Rational?]) -> (Rational, Rational)? {
        var values: [Rational] = []
        for c in candidates {
            guard let c else { return nil }
            values.append(c)
        }
        guard let lowest = values.min(), let highest = values.max() else { return nil }
        return (lowest, highest)
    }

    package func adding(_ other: Quantity) -> Result<Quantity, Failure> {
        guard dimension == other.dimension else { return .failure(.dimensionMismatch(dimension, other.dimension)) }
        guard let low = value.adding(other.value), let high = upper.adding(other.upper) else { return .failure(.overflow) }
        return .success(Quantity(low, dimension, timeUnit: timeUnit ?? other.timeUnit, high: high))
    }

    package func subtracting(_ other: Quantity) -> Result<Quantity, Failure> {
        adding(other.negated)
    }

    package var negated: Quantity {
        Quantity(upper.negated, dimension, timeUnit: timeUnit, high: value.negated)
    }

    package func multiplied(by other: Quantity) -> Result<Quantity, Failure> {
        combined(with: other, dimension.multiplied(by: other.dimension)) { $0.multiplied(by: $1) }
    }

    package func divided(by other: Quantity) -> Result<Quantity, Failure> {
        // A divisor range that reaches zero has no bounded quotient.
        guard !other.value.isZero, !other.upper.isZero, other.value.sign == other.upper.sign else { return .failure(.divisionByZero) }
        return combined(with: other, dimension.divided(by: other.dimension)) { $0.divided(by: $1) }
    }

    /// `*` or `/` on ranges: the lowest and highest of `op` over each pair of
    /// ends. `dimension` is nil when its exponents are out of range.
    func combined(with other: Quantity, _ dimension: Dimension?, _ op: (Rational, Rational) -> Rational?) -> Result<Quantity, Failure> {
        guard let d = dimension else { return .failure(.exponentRange) }
        guard let (low, high) = Quantity.bounds([
            op(value, other.value), op(value, other.upper), op(upper, other.value), op(upper, other.upper),
        ]) else { return .failure(.overflow) }
        return .success(Quantity(low, d, timeUnit: timeUnit ?? other.timeUnit, high: high))
    }

    package func scaled(by factor: Rational) -> Quantity? {
        guard let a = value.multiplied(by: factor), let b = upper.multiplied(by: factor) else { return nil }
        return Quantity(min(a, b), dimension, timeUnit: timeUnit, high: max(a, b))
    }

    /// The same value, shown in the units of `target`.
    package func converted(to target: Quantity) -> Result<Quantity, Failure> {
        guard dimension == target.dimension else { return .failure(.dimensionMismatch(dimension, target.dimension)) }
        return .success(Quantity(value, dimension, timeUnit: target.timeUnit ?? timeUnit, high: high))
    }

    /// The value per unit of time `unit` (for example per month), for a rate.
    package func per(_ unit: Unit) -> Rational? {
        let e = Int(dimension[.time])
        guard e != 0, let scale = unit.factor.power(e) else { return value }
        return value.divided(by: scale)
    }
}

/// Which end of a range a computation takes.
package enum RangeEnd: Sendable { case low, high }
