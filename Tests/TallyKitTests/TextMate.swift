import Foundation

/// Enough of a TextMate tokenizer to scope Tally's grammar in the tests:
/// `match`, `begin`/`end`, `name`, `captures` (and `beginCaptures`,
/// `endCaptures`), `patterns` and `include` (`#key`, `$self`), one line at a
/// time with its `\n`, as vscode-textmate runs it. At each position the rule
/// whose regex matches earliest wins, the end of the open region on a tie,
/// else the first listed. The regexes run in NSRegularExpression (ICU), which
/// agrees with Oniguruma on the plain syntax the grammar keeps to.
final class TextMate {
    final class Rule {
        var match: NSRegularExpression?
        var begin: NSRegularExpression?
        var end: NSRegularExpression?
        var name: [String] = []
        var captures: [Int: [String]] = [:]
        var beginCaptures: [Int: [String]] = [:]
        var endCaptures: [Int: [String]] = [:]
        var patterns: [Rule] = []
        var include: String?
        /// The rules tried inside this one, includes and groups flattened.
        var candidates: [Rule] = []
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let root = Rule()
    private var repository: [String: Rule] = [:]

    init(json: [String: Any]) throws {
        for (key, value) in json["repository"] as? [String: Any] ?? [:] {
            repository[key] = try Self.rule(value, at: "repository.\(key)")
        }
        root.patterns = try (json["patterns"] as? [Any] ?? []).map { try Self.rule($0, at: "patterns") }
        for rule in [root] + Array(repository.values) { try resolve(rule) }
    }

    static func regex(_ pattern: String, at path: String) throws -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw Problem(description: "\(path): the regex /\(pattern)/ does not compile: \(error)")
        }
    }

    private static func scopes(_ value: Any?) -> [String] {
        (value as? String)?.split(separator: " ").map(String.init) ?? []
    }

    private static func captures(_ value: Any?) -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        for (key, capture) in value as? [String: Any] ?? [:] {
            if let index = Int(key) { result[index] = scopes((capture as? [String: Any])?["name"]) }
        }
        return result
    }

    private static func rule(_ value: Any, at path: String) throws -> Rule {
        guard let dictionary = value as? [String: Any] else { throw Problem(description: "\(path): a rule must be an object") }
        let rule = Rule()
        rule.include = dictionary["include"] as? String
        rule.name = scopes(dictionary["name"])
        if let match = dictionary["match"] as? String { rule.match = try regex(match, at: path) }
        if let begin = dictionary["begin"] as? String {
            rule.begin = try regex(begin, at: path)
            guard let end = dictionary["end"] as? String else { throw Problem(description: "\(path): a begin without an end") }
            rule.end = try regex(end, at: path)
        }
        rule.captures = captures(dictionary["captures"])
        rule.beginCaptures = captures(dictionary["beginCaptures"] ?? dictionary["captures"])
        rule.endCaptures = captures(dictionary["endCaptures"] ?? dictionary["captures"])
        rule.patterns = try (dictionary["patterns"] as? [Any] ?? []).enumerated().map { try Self.rule($1, at: "\(path).patterns[\($0)]") }
        return rule
    }

    private func resolve(_ rule: Rule) throws {
        var visited: Set<String> = []
        rule.candidates = try flatten(rule.patterns, visited: &visited)
        for child in rule.patterns { try resolve(child) }
    }

    private func flatten(_ patterns: [Rule], visited: inout Set<String>) throws -> [Rule] {
        var result: [Rule] = []
        for pattern in patterns {
            if let include = pattern.include {
                if include == "$self" {
                    if visited.insert(include).inserted { result += try flatten(root.patterns, visited: &visited) }
                    continue
                }
                guard include.hasPrefix("#"), let target = repository[String(include.dropFirst())] else {
                    throw Problem(description: "include \(include) names no rule of the repository")
                }
                if target.match != nil || target.begin != nil {
                    result.append(target)
                } else if visited.insert(include).inserted {
                    result += try flatten(target.patterns, visited: &visited)
                }
            } else if pattern.match != nil || pattern.begin != nil {
                result.append(pattern)
            } else {
                result += try flatten(pattern.patterns, visited: &visited)
            }
        }
        return result
    }

    /// The scopes of each UTF-16 unit of `text`; a line end (LF, CRLF or CR,
    /// as the lexer reads them) has none.
    func scopes(of text: String, base: String) throws -> [[String]] {
        var stack: [(rule: Rule, scopes: [String])] = [(root, [base])]
        var result: [[String]] = []
        let units = Array(text.utf16)
        var start = 0
        var i = 0
        while i <= units.count {
            guard i == units.count || units[i] == 10 || units[i] == 13 else { i += 1; continue }
            result += try scopeLine(String(decoding: units[start..<i], as: UTF16.self), stack: &stack)
            let ending = i == units.count ? 0 : (units[i] == 13 && i + 1 < units.count && units[i + 1] == 10 ? 2 : 1)
            result += [[String]](repeating: [], count: ending)
            i += max(ending, 1)
            start = i
        }
        return result
    }

    private func scopeLine(_ text: String, stack: inout [(rule: Rule, scopes: [String])]) throws -> [[String]] {
        let line = text + "\n"
        let length = (line as NSString).length
        var scopes = [[String]](repeating: [], count: length)
        var cache: [ObjectIdentifier: (from: Int, match: NSTextCheckingResult?)] = [:]
        func search(_ regex: NSRegularExpression, from position: Int) -> NSTextCheckingResult? {
            if let hit = cache[ObjectIdentifier(regex)], hit.from <= position, (hit.match?.range.location ?? Int.max) >= position {
                return hit.match
            }
            let match = regex.firstMatch(in: line, options: [.withTransparentBounds, .withoutAnchoringBounds],
                                         range: NSRange(location: position, length: length - position))
            cache[ObjectIdentifier(regex)] = (position, match)
            return match
        }
        func paint(_ range: NSRange, _ names: [String]) {
            guard range.location != NSNotFound else { return }
            for i in range.location..<min(range.location + range.length, length) { scopes[i] = names }
        }
        func paintCaptures(_ match: NSTextCheckingResult, _ captures: [Int: [String]]) {
            for index in captures.keys.sorted() where index < match.numberOfRanges {
                let range = match.range(at: index)
                guard range.location != NSNotFound else { continue }
                for i in range.location..<range.location + range.length { scopes[i] += captures[index] ?? [] }
            }
        }
        var position = 0
        var steps = 0
        while position < length {
            steps += 1
            if steps > 10 * length + 100 { throw Problem(description: "the grammar loops on the line \(text)") }
            let top = stack[stack.count - 1]
            var best: (match: NSTextCheckingResult, rule: Rule?)?
            if let end = top.rule.end, let match = search(end, from: position) { best = (match, nil) }
            for rule in top.rule.candidates {
                guard let regex = rule.match ?? rule.begin, let match = search(regex, from: position) else { continue }
                if match.range.location < best?.match.range.location ?? Int.max { best = (match, rule) }
            }
            guard let (match, rule) = best else {
                paint(NSRange(location: position, length: length - position), top.scopes)
                break
            }
            paint(NSRange(location: position, length: match.range.location - position), top.scopes)
            let after = match.range.location + match.range.length
            if let rule, rule.match != nil {
                paint(match.range, top.scopes + rule.name)
                paintCaptures(match, rule.captures)
                position = match.range.length == 0 ? after + 1 : after
                if match.range.length == 0, after < length { scopes[after] = top.scopes }
            } else if let rule {
                paint(match.range, top.scopes + rule.name)
                paintCaptures(match, rule.beginCaptures)
                stack.append((rule, top.scopes + rule.name))
                position = after
            } else {
                paint(match.range, top.scopes)
                paintCaptures(match, top.rule.endCaptures)
                stack.removeLast()
                position = after
            }
        }
        return Array(scopes.dropLast())
    }

    /// The groups of a regex that list plain words, `(?:in|with)` or
    /// `(region)`, each with the number of the capture group that holds it
    /// (itself or the nearest around it); words inside a lookaround only
    /// test what is around a match, so they are left out.
    static func wordGroups(in regex: String) -> [(words: [String], capture: Int?)] {
        let characters = Array(regex)
        var groups: [(words: [String], capture: Int?)] = []
        var open: [(start: Int, capture: Int?, lookaround: Bool)] = []
        var captureCount = 0
        var i = 0
        while i < characters.count {
            switch characters[i] {
            case "\\":
                i += 1
            case "[":
                i += 1
                while i < characters.count, characters[i] != "]" { i += characters[i] == "\\" ? 2 : 1 }
            case "(":
                let rest = String(characters[(i + 1)...].prefix(4))
                let lookaround = ["?=", "?!", "?<=", "?<!"].contains { rest.hasPrefix($0) }
                if rest.hasPrefix("?") {
                    open.append((i + (rest.hasPrefix("?:") ? 3 : 1), open.last?.capture, lookaround || open.last?.lookaround == true))
                } else {
                    captureCount += 1
                    open.append((i + 1, captureCount, open.last?.lookaround == true))
                }
            case ")":
                guard let group = open.popLast() else { break }
                let body = String(characters[group.start..<i])
                let isWords = !body.isEmpty && body.split(separator: "|", omittingEmptySubsequences: false).allSatisfy {
                    $0.first?.isLetter == true && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
                }
                if isWords, !group.lookaround { groups.append((body.split(separator: "|").map(String.init), group.capture)) }
            default:
                break
            }
            i += 1
        }
        return groups
    }
}
