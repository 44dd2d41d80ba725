/// A named unit: its dimension and its size in the base unit of that dimension
/// (dollars, seconds, tokens, requests, images, words, characters).
package struct Unit: Sendable, Hashable {
    package let singular: String
    package let plural: String
    package let base: BaseDimension?
    /// How many base units one of this unit is.
    package let factor: Rational

    package var dimension: Dimension { base.map { Dimension($0) } ?? .none }

    /// A month of `seconds`: what a script's `month 744 hours` makes the word mean.
    package static func month(seconds: Rational) -> Unit {
        Unit(singular: "month", plural: "months", base: .time, factor: seconds)
    }
}

package enum Units {
    static let second = Unit(singular: "second", plural: "seconds", base: .time, factor: .one)
    static let minute = Unit(singular: "minute", plural: "minutes", base: .time, factor: Rational(60))
    static let hour = Unit(singular: "hour", plural: "hours", base: .time, factor: Rational(3600))
    static let day = Unit(singular: "day", plural: "days", base: .time, factor: Rational(86_400))
    static let week = Unit(singular: "week", plural: "weeks", base: .time, factor: Rational(604_800))
    /// AWS bills a month as 730 hours.
    package static let month = Unit(singular: "month", plural: "months", base: .time, factor: Rational(2_628_000))
    /// Twelve billing months: 8,760 hours.
    static let year = Unit(singular: "year", plural: "years", base: .time, factor: Rational(31_536_000))
    static let dollar = Unit(singular: "$", plural: "$", base: .money, factor: .one)
    static let token = Unit(singular: "token", plural: "tokens", base: .tokens, factor: .one)
    static let request = Unit(singular: "request", plural: "requests", base: .requests, factor: .one)
    static let image = Unit(singular: "image", plural: "images", base: .images, factor: .one)
    static let word = Unit(singular: "word", plural: "words", base: .words, factor: .one)
    static let character = Unit(singular: "character", plural: "characters", base: .characters, factor: .one)
    /// Counting words that read naturally after a number and mean nothing more:
    /// `agent 6 steps`, `provisioned 2 units`.
    /// Gigabytes (10^9 bytes), as storage is billed.
    static let gigabyte = Unit(singular: "GB", plural: "GB", base: .data, factor: .one)
    static let terabyte = Unit(singular: "TB", plural: "TB", base: .data, factor: Rational(1000))
    static let step = Unit(singular: "step", plural: "steps", base: nil, factor: .one)
    static let countUnit = Unit(singular: "unit", plural: "units", base: nil, factor: .one)
    static let query = Unit(singular: "query", plural: "queries", base: nil, factor: .one)
    static let page = Unit(singular: "page", plural: "pages", base: nil, factor: .one)
    static let ocu = Unit(singular: "OCU", plural: "OCUs", base: nil, factor: .one)
    static let model = Unit(singular: "model", plural: "models", base: nil, factor: .one)

    /// Every spelling a script may use, singular, plural and short forms.
    package static let byName: [String: Unit] = {
        var table: [String: Unit] = [:]
        func add(_ unit: Unit, _ names: String...) {
            for name in [unit.singular, unit.plural] + names { table[name] = unit }
        }
        add(second, "sec", "secs")
        add(minute, "min", "mins")
        add(hour, "h", "hr", "hrs")
        add(day)
        add(week, "wk", "wks")
        add(month, "mo")
        add(year, "yr", "yrs")
        add(token, "tok")
        add(request, "req")
        add(image)
        add(word)
        add(character, "chars", "char")
        add(gigabyte, "gigabyte", "gigabytes")
        add(terabyte, "terabyte", "terabytes")
        add(step)
        add(countUnit)
        add(query)
        add(page)
        add(ocu, "ocu", "ocus")
        add(model)
        return table
    }()

    /// The unit each dimension is shown in when nothing else was asked for.
    static func display(for base: BaseDimension, exponent: Int8) -> Unit {
        switch base {
        case .money: dollar
        case .time: exponent < 0 ? month : hour
        case .tokens: token
        case .requests: request
        case .images: image
        case .words: word
        case .characters: character
        case .data: gigabyte
        }
    }
}
