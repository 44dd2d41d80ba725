/// A number with a dimension, held exactly in base units (dollars, seconds,
/// tokens, …). `timeUnit` remembers which unit of time the value was written or
/// converted in, so `3000/day` prints per day and `x in $/month` per month.
public struct Quantity: Hashable, Sendable {
    public var value: Rational
    public var dimension: Dimension
    public var timeUnit: Unit?

    public init(_ value: Rational, _ dimension: Dimension = .none, timeUnit: Unit? = nil) {
        self.value = value
        self.dimension = dimension
        self.timeUnit = dimension[.time] == 0 ? nil : timeUnit
    }

    public static func number(_ value: Rational) -> Quantity { Quantity(value) }

    /// Why an operation on quantities failed.
    public enum Failure: Error, Equatable {
        case overflow
        case divisionByZero
        case dimensionMismatch(Dimension, Dimension)
        case exponentRange
    }

    public func adding(_ other: Quantity) -> Result<Quantity, Failure> {
        guard dimension == other.dimension else { return .failure(.dimensionMismatch(dimension, other.dimension)) }
        guard let sum = value.adding(other.value) else { return .failure(.overflow) }
        return .success(Quantity(sum, dimension, timeUnit: timeUnit ?? other.timeUnit))
    }

    public func subtracting(_ other: Quantity) -> Result<Quantity, Failure> {
        adding(Quantity(other.value.negated, other.dimension, timeUnit: other.timeUnit))
    }

    public func multiplied(by other: Quantity) -> Result<Quantity, Failure> {
        guard let d = dimension.multiplied(by: other.dimension) else { return .failure(.exponentRange) }
        guard let v = value.multiplied(by: other.value) else { return .failure(.overflow) }
        return .success(Quantity(v, d, timeUnit: timeUnit ?? other.timeUnit))
    }

    public func divided(by other: Quantity) -> Result<Quantity, Failure> {
        guard !other.value.isZero else { return .failure(.divisionByZero) }
        guard let d = dimension.divided(by: other.dimension) else { return .failure(.exponentRange) }
        guard let v = value.divided(by: other.value) else { return .failure(.overflow) }
        return .success(Quantity(v, d, timeUnit: timeUnit ?? other.timeUnit))
    }

    public func scaled(by factor: Rational) -> Quantity? {
        guard let v = value.multiplied(by: factor) else { return nil }
        return Quantity(v, dimension, timeUnit: timeUnit)
    }

    /// The same value, shown in the units of `target`.
    public func converted(to target: Quantity) -> Result<Quantity, Failure> {
        guard dimension == target.dimension else { return .failure(.dimensionMismatch(dimension, target.dimension)) }
        return .success(Quantity(value, dimension, timeUnit: target.timeUnit ?? timeUnit))
    }

    /// The value per unit of time `unit` (for example per month), for a rate.
    public func per(_ unit: Unit) -> Rational? {
        let e = Int(dimension[.time])
        guard e != 0, let scale = unit.factor.power(e) else { return value }
        return value.divided(by: scale)
    }
}
