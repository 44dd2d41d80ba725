/// A moment in UTC, to the nanosecond, read from ISO-8601 text without a
/// calendar library.
package struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    package let seconds: Int64
    package let nanoseconds: Int32

    package init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    package static func < (a: Instant, b: Instant) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Days since 1970-01-01.
    package var day: Int64 { seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400 }

    /// `YYYY-MM-DDTHH:MM:SSZ`, or `YYYY-MM-DDTHH:MM:SS[.fff…]Z`; years 1000–9999
    /// only, so a timestamp is never absurd. nil for anything else.
    package init?(iso8601 text: some Collection<UInt8>) {
        let b = Array(text.prefix(40))
        guard b.count >= 20, b.count < 40, b.last == UInt8(ascii: "Z"), b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), year >= 1000, (1...12).contains(month),
              (1...Instant.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        var nanos = 0
        if b.count > 20 {
            // `.` and one to nine digits before the `Z`.
            let digits = b.count - 21
            guard b[19] == UInt8(ascii: "."), (1...9).contains(digits), let fraction = number(20..<(20 + digits)) else { return nil }
            nanos = fraction
            for _ in digits..<9 { nanos *= 10 }
        }
        let days = Instant.days(year: year, month: month, day: day)
        seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        nanoseconds = Int32(nanos)
    }

    /// A day as `YYYY-MM-DD`: its first instant.
    package init?(day text: some Collection<UInt8>) {
        guard text.count == 10 else { return nil }
        self.init(iso8601: Array(text) + Array("T00:00:00Z".utf8))
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `2026-11-03`
    package var dayText: String {
        let (y, m, d) = Instant.civil(day)
        return "\(y)-\(Instant.two(m))-\(Instant.two(d))"
    }

    /// `2026-11`
    package var monthText: String { String(dayText.prefix(7)) }

    /// `2026-11-03T14:05:09Z`, with the fraction when there is one.
    package var description: String {
        let inDay = Int(seconds - day * 86_400)
        var text = "\(dayText)T\(Instant.two(inDay / 3600)):\(Instant.two(inDay / 60 % 60)):\(Instant.two(inDay % 60))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }
}

/// The fields of one model-invocation log record that pricing and grouping
/// read; the bodies are never kept.
package struct UsageRecord: Sendable {
    package var timestamp = Instant(seconds: 0)
    package var accountId: String?
    /// `identity.arn`: who called.
    package var principalARN: String?
    /// Where the request was made, which sets its price.
    package var region: String?
    package var operation: String?
    package var modelId = ""
    package var inferenceRegion: String?
    /// Prompt tokens that neither read nor wrote the cache.
    package var inputTokens: Int64 = 0
    package var cacheReadTokens: Int64 = 0
    package var cacheWriteTokens: Int64 = 0
    package var outputTokens: Int64 = 0
    /// `errorCode` was present: a failed call, never priced.
    package var failed = false
    /// The requested service tier as written (`flex`, `priority`, …); nil: standard.
    package var serviceTier: String?
    /// `requestMetadata`, in the record's order.
    package var metadata: [(key: String, value: String)] = []

    package init() {}

    /// The role name of an `assumed-role/NAME/SESSION` ARN, a user's name, or the ARN itself.
    package var principal: String? {
        guard let arn = principalARN else { return nil }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count == 6 {
            let path = parts[5].split(separator: "/", omittingEmptySubsequences: false)
            if path.count >= 2, ["assumed-role", "user", "role"].contains(path[0]), !path[1].isEmpty { return String(path[1]) }
        }
        return arn
    }
}
