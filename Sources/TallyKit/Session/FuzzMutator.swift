import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

/// Mutates Tally scripts the way an attacker edits a pull request: it keeps
/// them mostly well formed (words swapped for words of the same class, whole
/// lines duplicated, moved or spliced in from another script, statements of
/// every kind added) and adds what breaks naive tools (floods of one token,
/// hostile strings, deep nesting, other line ends). libFuzzer calls it as its
/// custom mutator (`Scripts/fuzz`); `MutatedInputTests` runs 2,000 of its
/// outputs through every command and output format.
///
/// It scans text itself rather than with `Lexer`, so it never depends on the
/// code it is testing.
package struct FuzzMutator {
    /// SplitMix64: deterministic, so a seed names an input exactly.
    package struct Random {
        var state: UInt64
        package init(seed: UInt64) { state = seed }
        package mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        package mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
        package mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    /// Scripts to splice lines from.
    let donors: [[UInt8]]

    package init(donors: [[UInt8]] = []) {
        self.donors = donors
    }

    // MARK: What it puts in

    static let numbers = [
        "0", "1", "3000", "40k", "1.5M", "2B", "0.5", "60%", "100%", "0%", "150%", "2k..5k", "40%..60%",
        "99999999999999999999999999999999999999999", "340282366920938463463374607431768211455",
        "0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001%", "$0", "$5", "$8k",
        "$0.000000000000000000000000001", "$99999999999999999999999999999999999999", "1_000", "1e5", "-1",
    ]
    static let names = [
        "sonnet-4.5", "haiku-4.5", "opus-4.5", "nova-micro", "nova-pro", "nova-canvas", "llama-3.3-70b", "titan-embed-v2",
        "cohere-rerank-3.5", "cohere-command", "mistral-large", "us-east-1", "eu-central-1", "us-gov-west-1", "global",
        "regional", "batch", "flex", "priority", "on-demand", "provisioned", "1-month", "6-month", "no-commitment", "total",
        "chat", "triage", "docs", "peak", "_", "x", "tokens", "requests", "words", "characters", "images", "day", "month",
        "hour", "year", "minute", "GB", "units", "steps", "content", "topics", "pii", "grounding", "team", "low", "high",
        "min", "max", "abs", "requests", "input", "output", "cache", "write", "ttl", "5min", "1h", "model", "mode",
        "region", "endpoint", "agent", "guardrails", "guardrail-text", "guardrail-scope", "user-turn", "retries", "contingency", "tag", "storage",
        "ingest", "retrievals", "reranker", "rerank", "chunks", "structured", "parsing", "training", "import-units",
        "active", "agentcore", "usage", "logs", "where", "sessions", "session", "vcpu", "memory", "records", "strategy",
        "data-automation", "documents", "audio", "video", "fields", "standard", "custom", "across", "by", "over", "growth", "let", "workload", "knowledge-base", "customization", "price",
        "show", "assert", "import", "compare", "advise", "forecast", "with", "in", "and", "or", "not", "true", "false",
    ]
    /// Strings that forge or break output formats if escaped on Characters or
    /// not at all.
    static let strings = [
        "x\r\n::error file=README.md,line=1::forged", "a\nb", "\r", "\u{1B}]0;title\u{07}", "\u{1B}[2J\u{1B}[31mred",
        "a|b|c", "<script>alert(1)</script>", "]]>", "\u{FFFE}\u{FFFF}", "line\u{2028}break", "%0A%25", "a,b\"c",
        "\u{202E}txet", "# heading", "| x | y |", "&amp;", "\u{0}", "\u{85}next", "::warning::w", "\\", "",
    ]
    static let statements = [
        "workload chat < model sonnet-4.5; requests 3000/day; cache 60% >",
        "workload w < model nova-micro; requests 1k..2k/day; input 300 tokens; output 20 tokens; mode batch >",
        "knowledge-base docs < storage 50 GB; retrievals 100k/month; reranker cohere-rerank-3.5; rerank 20k/month >",
        "customization tuned < model cohere-command; training 50M tokens/month; mode provisioned 1 unit 1-month >",
        "agentcore bot < sessions 10k/day; session 60 seconds; active 30%; vcpu 1; memory 2 GB; records 20k; events 1M/month >",
        "data-automation claims < documents 200k pages/month; audio 75k minutes/month; output custom; fields 45 >",
        "price sonnet-4.5 < input $2.5/1M tokens; source \"quote\" >",
        "let peak = 3000/day", "show total", "show total by tag team", "show chat with < model haiku-4.5 >",
        "show chat / requests(chat)", "show chat in $/day", "assert total < $8k/month, \"budget\"",
        "assert chat < $1/month, \"x\r\n::error::forged\"", "compare chat across model nova-pro, haiku-4.5",
        "compare chat, chat with < cache 80% >", "advise total", "forecast total over 12 months growth 8%/month",
        "import \"other.tally\"", "import \"../../etc/passwd\"", "region eu-central-1", "show low(total), high(total)",
    ]
    /// Runs repeated many times: each once broke a renderer, the lexer or memory.
    static let floods = [
        "@", "\u{0}", "(", ")", "<", ">", "99999999999999999999999999999999999999999 ", "a", "1 + ",
        "with < model nova-micro > ", "\"", "\n", "\r", "#", "$", "..", "é", "\u{1B}", "show x\n", "- ",
    ]

    // MARK: Mutating

    /// One mutated copy of `input`, at most `maxSize` bytes.
    package func mutate(_ input: [UInt8], maxSize: Int, random: inout Random) -> [UInt8] {
        var text = input
        for _ in 0...random.below(3) {
            text = mutateOnce(text, maxSize: maxSize, random: &random)
        }
        return text.count <= maxSize ? text : Array(text.prefix(maxSize))
    }

    func mutateOnce(_ input: [UInt8], maxSize: Int, random: inout Random) -> [UInt8] {
        var lines = FuzzMutator.lines(input)
        switch random.below(12) {
        case 0, 1, 2:
            return replaceWord(input, random: &random)
        case 3:
            return replaceString(input, random: &random)
        case 4:
            guard !lines.isEmpty else { break }
            let i = random.below(lines.count)
            lines.insert(lines[i], at: random.below(lines.count + 1))
        case 5:
            guard !lines.isEmpty else { break }
            lines.remove(at: random.below(lines.count))
        case 6:
            guard lines.count > 1 else { break }
            lines.swapAt(random.below(lines.count), random.below(lines.count))
        case 7:
            let donor = donors.isEmpty ? Array(random.pick(FuzzMutator.statements).utf8) : random.pick(donors)
            let donorLines = FuzzMutator.lines(donor)
            guard !donorLines.isEmpty else { break }
            lines.insert(random.pick(donorLines), at: random.below(lines.count + 1))
        case 8:
            lines.insert(Array((random.pick(FuzzMutator.statements) + "\n").utf8), at: random.below(lines.count + 1))
        case 9:
            return flood(input, maxSize: maxSize, random: &random)
        case 10:
            return changeLineEnds(input, random: &random)
        default:
            return nest(input, maxSize: maxSize, random: &random)
        }
        return lines.flatMap { $0 }
    }

    /// Lines with their line ends, so joining them gives the text back.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            lines.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "$") || b == UInt8(ascii: "%")
    }

    /// Byte ranges of the words (names, numbers, money) outside strings and comments.
    static func words(_ bytes: [UInt8]) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\n") { i += 1 }
                i += 1
            } else if b == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else if isWordByte(b) {
                let start = i
                while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
                words.append(start..<i)
            } else {
                i += 1
            }
        }
        return words
    }

    /// Byte ranges of string literals' contents.
    static func strings(_ bytes: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else if bytes[i] == UInt8(ascii: "\"") {
                let start = i + 1
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\n") { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "\"") { found.append(start..<i) }
                i += 1
            } else {
                i += 1
            }
        }
        return found
    }

    /// A number is replaced by a number, any other word by a name or keyword.
    func replaceWord(_ input: [UInt8], random: inout Random) -> [UInt8] {
        let words = FuzzMutator.words(input)
        guard !words.isEmpty else { return Array(random.pick(FuzzMutator.statements).utf8) }
        let range = random.pick(words)
        let first = input[range.lowerBound]
        let isNumber = (first >= 48 && first <= 57) || first == UInt8(ascii: "$")
        let pool = isNumber && random.below(4) != 0 ? FuzzMutator.numbers : FuzzMutator.names
        var output = input
        output.replaceSubrange(range, with: Array(random.pick(pool).utf8))
        return output
    }

    func replaceString(_ input: [UInt8], random: inout Random) -> [UInt8] {
        let hostile = Array(random.pick(FuzzMutator.strings).utf8)
        let literals = FuzzMutator.strings(input)
        var output = input
        if literals.isEmpty {
            output += Array("\nassert 1 > 2, \"".utf8) + hostile + Array("\"\n".utf8)
        } else {
            output.replaceSubrange(random.pick(literals), with: hostile)
        }
        return output
    }

    func flood(_ input: [UInt8], maxSize: Int, random: inout Random) -> [UInt8] {
        let unit = Array(random.pick(FuzzMutator.floods).utf8)
        let room = max(0, maxSize - input.count) / max(1, unit.count)
        let count = min(room, random.pick([1, 10, 200, 5_000, 20_000]))
        var output = input
        let at = random.below(input.count + 1)
        output.insert(contentsOf: (0..<count).flatMap { _ in unit }, at: at)
        return output
    }

    func changeLineEnds(_ input: [UInt8], random: inout Random) -> [UInt8] {
        let end: [UInt8] = random.below(2) == 0 ? [13] : [13, 10]
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2)
        for b in input {
            if b == UInt8(ascii: "\n") { output += end } else { output.append(b) }
        }
        return output
    }

    /// Wraps a word in brackets or `with < … >` many levels deep.
    func nest(_ input: [UInt8], maxSize: Int, random: inout Random) -> [UInt8] {
        let words = FuzzMutator.words(input)
        let depth = random.pick([2, 64, 127, 128, 129, 1_000])
        let (open, close) = random.below(2) == 0 ? ("(", ")") : ("", " with < cache 10% >")
        guard !words.isEmpty, input.count + depth * (open.utf8.count + close.utf8.count) <= maxSize else { return input }
        let range = random.pick(words)
        var output = Array(input[..<range.lowerBound])
        for _ in 0..<depth { output += Array(open.utf8) }
        output += input[range]
        for _ in 0..<depth { output += Array(close.utf8) }
        output += input[range.upperBound...]
        return output
    }
}
