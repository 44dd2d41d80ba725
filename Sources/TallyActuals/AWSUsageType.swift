// What a Bedrock usage type (price list or CUR) meters, as a Tally rate name.
import TallyPricing

/// Reads a Bedrock `usagetype` (`USE1-NovaPro-input-tokens-batch`,
/// `USW2-MP:USW2_CacheWrite1hInputTokenCount_Global-Units`,
/// `USE1-Nova2.0Lite-ProvisionedThroughput-NoCommit-ModelUnits`) and the price
/// dimension's unit as the Tally rate it sets, or says why it cannot.
package enum AWSUsageType {
    /// What one SKU prices.
    package struct Meter: Equatable, Sendable {
        package let kind: RateKind
        /// `global` for a cross-region global SKU, nil otherwise (the
        /// importer decides between regional and none per model and region).
        package let global: Bool
        /// The factor from the SKU's unit to Tally's: 3 for `1K tokens`,
        /// written per million tokens.
        package let shift: Int
        package let measure: RateKind.Measure
    }

    /// The meter, or why the usage type is not one Tally has.
    package static func meter(usageType: String, unit: String) -> Result<Meter, Unmapped> {
        let words = self.words(usageType)
        let unitWord = unit.lowercased()
        if ["image", "images"].contains(unitWord) { return image(words) }
        if let start = phraseStart(words, ["provisioned", "throughput"]) { return provisioned(Array(words[(start + 2)...]), unitWord) }
        return token(words, unitWord)
    }

    package struct Unmapped: Error, Equatable, Sendable {
        package let reason: String
    }

    // MARK: Tokens

    /// Token meters, each a run of words; the longest is tried first.
    static let phrases: [(words: [String], meter: String)] = [
        (["cache", "read", "input", "token", "count"], "cache-read"),
        (["cache", "write", "input", "token", "count"], "cache-write"),
        (["cache", "read", "input", "tokens"], "cache-read"),
        (["cache", "write", "input", "tokens"], "cache-write"),
        (["cache", "read", "tokens"], "cache-read"),
        (["cache", "write", "tokens"], "cache-write"),
        (["cacheread", "tokens"], "cache-read"),
        (["cachewrite", "tokens"], "cache-write"),
        (["input", "token", "count"], "input"),
        (["output", "token", "count"], "output"),
        (["input", "tokens"], "input"),
        (["output", "tokens"], "output"),
    ]

    /// A token meter billed in another modality, which Tally does not price.
    static let modalities: Set<String> = ["speech", "audio", "image", "video", "voice"]

    static func token(_ allWords: [String], _ unit: String) -> Result<Meter, Unmapped> {
        // A cache write's lifetime may sit inside the phrase: `CacheWrite1hInputTokenCount`.
        var words = joiningLifetimes(allWords)
        var lifetime: String?
        if let at = phraseStart(words, ["cache", "write"]), at + 2 < words.count, isLifetime(words[at + 2]) {
            lifetime = words.remove(at: at + 2)
        }
        var found: (start: Int, length: Int, meter: String)?
        for start in words.indices where found == nil {
            for phrase in phrases where words[start...].starts(with: phrase.words) {
                found = (start, phrase.words.count, phrase.meter)
                break
            }
        }
        guard let found else { return .failure(Unmapped(reason: "no token, image or provisioned-throughput meter in the usage type")) }
        if found.start > 0, modalities.contains(words[found.start - 1]) {
            return .failure(Unmapped(reason: "\(words[found.start - 1]) tokens: Tally prices text tokens only"))
        }
        // A price list prices per 1K or 1M tokens; a rate per token would be too fine to be one.
        guard let power = tokensPerUnitPower(unit), power >= 3 else {
            return .failure(Unmapped(reason: "unit `\(unit)` is not 1K or 1M tokens"))
        }
        let shift = 6 - power

        var tier: String?
        var global = false
        var unread: [String] = []
        for word in words[(found.start + found.length)...] {
            switch word {
            case "standard", "units", "count", "cross", "region", "geo": continue
            case "global": global = true
            case _ where RateKind.serviceTiers.contains(word):
                guard tier == nil else { return .failure(Unmapped(reason: "two service tiers")) }
                tier = word
            case _ where isLifetime(word) && lifetime == nil: lifetime = word
            default: unread.append(word)
            }
        }
        guard unread.isEmpty else {
            return .failure(Unmapped(reason: "`\(unread.joined(separator: " "))` is not a meter Tally has"))
        }

        var name = found.meter
        if let lifetime {
            guard name == "cache-write" else { return .failure(Unmapped(reason: "a lifetime on a \(name) meter")) }
            switch lifetime {
            case "5m": break
            case "1h": name = "cache-write-1h"
            default: return .failure(Unmapped(reason: "a \(lifetime) cache write: Tally has 5m and 1h"))
            }
        }
        if let tier {
            guard name == "input" || name == "output" else {
                return .failure(Unmapped(reason: "\(name) in the \(tier) tier: Tally has \(tier) input and output rates only"))
            }
            name = "\(tier)-\(name)"
        }
        return .success(Meter(kind: RateKind(name), global: global, shift: shift, measure: .perToken))
    }

    /// A unit of tokens as a power of ten: `tokens` 0, `1K tokens` 3, `1M tokens` 6
    /// (lower-case); nil for any other unit. A CUR's usage amount counts these.
    package static func tokensPerUnitPower(_ unit: String) -> Int? {
        switch unit {
        case "tokens", "token": 0
        case "1k tokens", "k tokens", "1k token": 3
        case "1m tokens", "m tokens", "1m token": 6
        default: nil
        }
    }

    /// `1 hour` and `5 minutes` as words of a usage type (`…-token-count-1-hour`): `1h`, `5m`.
    static func joiningLifetimes(_ words: [String]) -> [String] {
        var joined: [String] = []
        for word in words {
            if let last = joined.last, !last.isEmpty, last.count <= 4, last.allSatisfy({ $0.isASCII && $0.isNumber }) {
                let unit: String? = ["hour", "hours", "hr"].contains(word) ? "h" : ["minute", "minutes", "min", "mins"].contains(word) ? "m" : nil
                if let unit {
                    joined[joined.count - 1] = last + unit
                    continue
                }
            }
            joined.append(word)
        }
        return joined
    }

    static func isLifetime(_ word: String) -> Bool {
        guard let last = word.last, last == "m" || last == "h" else { return false }
        let digits = word.dropLast()
        return !digits.isEmpty && digits.count <= 4 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: Provisioned throughput and images

    /// `ProvisionedThroughput-NoCommit-ModelUnits`, `-1MonthCommit-`, `-6MonthCommit-`: dollars per model unit per hour.
    static func provisioned(_ words: [String], _ unit: String) -> Result<Meter, Unmapped> {
        guard ["hour", "hours", "hrs", "hr"].contains(unit) else {
            return .failure(Unmapped(reason: "provisioned throughput in `\(unit)`, not per hour"))
        }
        var term: String?
        var unread: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let next = index + 1 < words.count ? words[index + 1] : ""
            switch word {
            case "no" where next == "commit" || next == "commitment": term = term == nil ? "no-commitment" : "?"; index += 1
            case "nocommit": term = term == nil ? "no-commitment" : "?"
            case "1" where next.hasPrefix("month"), "6" where next.hasPrefix("month"):
                term = term == nil ? "\(word)-month" : "?"
                index += 1
            case "commit", "commitment", "model", "units", "unit", "global", "standard": break
            default: unread.append(word)
            }
            index += 1
        }
        guard unread.isEmpty else {
            return .failure(Unmapped(reason: "provisioned throughput with `\(unread.joined(separator: " "))`"))
        }
        guard let term, RateKind.provisionedTerms.contains(term) else {
            return .failure(Unmapped(reason: "provisioned throughput without one term Tally has (no-commitment, 1-month, 6-month)"))
        }
        return .success(Meter(kind: RateKind.provisioned(term), global: false, shift: 0, measure: .perTime))
    }

    /// An image price by size (`1024`, `1024x1024`) and quality (`standard`, `premium`), or neither.
    static func image(_ words: [String]) -> Result<Meter, Unmapped> {
        var size: Int?
        var quality: String?
        for word in words {
            let first = word.split(separator: "x", omittingEmptySubsequences: false).first ?? ""
            if (3...5).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(first),
               word.count == first.count || word.dropFirst(first.count + 1).allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard size == nil || size == n else { return .failure(Unmapped(reason: "an image price with two sizes")) }
                size = n
            } else if word == "standard" || word == "premium" {
                guard quality == nil || quality == word else { return .failure(Unmapped(reason: "an image price with two qualities")) }
                quality = word
            }
        }
        switch (quality, size) {
        case let (quality?, size?):
            return .success(Meter(kind: RateKind.imageRate(quality: quality, size: size), global: false, shift: 0, measure: .perImage))
        case (nil, nil):
            return .success(Meter(kind: .image, global: false, shift: 0, measure: .perImage))
        default:
            return .failure(Unmapped(reason: "an image price with a size or a quality but not both"))
        }
    }

    // MARK: Words

    /// The usage type's words, lower-case, after its region prefix:
    /// `USW2-MP:USW2_CacheWrite1hInputTokenCount_Global-Units` → cache write 1h input token count global units.
    static func words(_ usageType: String) -> [String] {
        var rest = Substring(usageType)
        if let dash = rest.firstIndex(of: "-") { rest = rest[rest.index(after: dash)...] }
        if rest.hasPrefix("MP:") {
            rest = rest.dropFirst(3)
            if let underscore = rest.firstIndex(of: "_") { rest = rest[rest.index(after: underscore)...] }
        }
        var words: [String] = []
        var current = ""
        var previous: Character?
        func flush() {
            if !current.isEmpty { words.append(current.lowercased()) }
            current = ""
        }
        for c in rest {
            if c == "-" || c == "_" || c == ":" || c == " " {
                flush()
                previous = nil
                continue
            }
            if let p = previous {
                // NovaPro → nova pro; Claude3 → claude 3; 2.0Lite → 2.0 lite; but 1h and 30m stay whole.
                let camel = c.isUppercase && (p.isLowercase || p.isNumber)
                let letterToDigit = c.isNumber && p.isLetter
                if camel || letterToDigit { flush() }
            }
            current.append(c)
            previous = c
        }
        flush()
        return words
    }

    static func phraseStart(_ words: [String], _ phrase: [String]) -> Int? {
        words.indices.first { words[$0...].starts(with: phrase) }
    }
}
