/// The base quantities Tally measures. A `Dimension` is a vector of exponents
/// over them: `$/month` is money¹·time⁻¹.
package enum BaseDimension: Int, CaseIterable, Sendable {
    case money, time, tokens, requests, images, words, characters, data

    package var name: String {
        switch self {
        case .money: "money"
        case .time: "time"
        case .tokens: "tokens"
        case .requests: "requests"
        case .images: "images"
        case .words: "words"
        case .characters: "characters"
        case .data: "data"
        }
    }
}

package struct Dimension: Hashable, Sendable {
    /// Exponent of each `BaseDimension`, by raw value.
    package var exponents: SIMD8<Int8>

    /// Exponents stay within this bound, so their sums cannot overflow `Int8`.
    static let maximumExponent: Int8 = 12

    package static let none = Dimension(exponents: .zero)

    package init(exponents: SIMD8<Int8>) {
        self.exponents = exponents
    }

    package init(_ base: BaseDimension, _ exponent: Int8 = 1) {
        var e = SIMD8<Int8>.zero
        e[base.rawValue] = exponent
        self.exponents = e
    }

    package subscript(base: BaseDimension) -> Int8 { exponents[base.rawValue] }

    package var isDimensionless: Bool { exponents == .zero }

    package static let money = Dimension(.money)
    package static let time = Dimension(.time)
    package static let tokens = Dimension(.tokens)
    package static let requests = Dimension(.requests)
    package static let moneyPerTime = Dimension(exponents: SIMD8(1, -1, 0, 0, 0, 0, 0, 0))
    package static let perTime = Dimension(.time, -1)
    package static let images = Dimension(.images)
    package static let data = Dimension(.data)
    package static let moneyPerToken = Dimension(exponents: SIMD8(1, 0, -1, 0, 0, 0, 0, 0))
    package static let moneyPerImage = Dimension(exponents: SIMD8(1, 0, 0, 0, -1, 0, 0, 0))
    package static let moneyPerDataTime = Dimension(exponents: SIMD8(1, -1, 0, 0, 0, 0, 0, -1))
    package static let tokensPerTime = Dimension(exponents: SIMD8(0, -1, 1, 0, 0, 0, 0, 0))

    /// nil when an exponent would leave the supported range.
    package func multiplied(by other: Dimension) -> Dimension? {
        let sum = exponents &+ other.exponents
        return Dimension.inRange(sum) ? Dimension(exponents: sum) : nil
    }

    package func divided(by other: Dimension) -> Dimension? {
        let difference = exponents &- other.exponents
        return Dimension.inRange(difference) ? Dimension(exponents: difference) : nil
    }

    package var reciprocal: Dimension { Dimension(exponents: 0 &- exponents) }

    static func inRange(_ e: SIMD8<Int8>) -> Bool {
        let m = maximumExponent
        return all(e .<= SIMD8(repeating: m)) && all(e .>= SIMD8(repeating: -m))
    }
}

extension Dimension: CustomStringConvertible {
    /// A readable name such as `money/time` or `tokens`.
    package var description: String {
        if isDimensionless { return "a plain number" }
        var numerator: [String] = []
        var denominator: [String] = []
        for base in BaseDimension.allCases {
            let e = self[base]
            if e > 0 { numerator.append(e == 1 ? base.name : "\(base.name)^\(e)") }
            if e < 0 { denominator.append(e == -1 ? base.name : "\(base.name)^\(-e)") }
        }
        let top = numerator.isEmpty ? "1" : numerator.joined(separator: "·")
        if denominator.isEmpty { return top }
        return top + "/" + (denominator.count == 1 ? denominator[0] : "(" + denominator.joined(separator: "·") + ")")
    }
}
