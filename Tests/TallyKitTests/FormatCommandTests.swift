import Foundation
import Testing
@testable import TallyKit
@testable import TallySyntax

/// `tally fmt` over a copy of the tree never changes what a script means:
/// every example and fixture, with its spaces changed at random, prints the
/// same before and after, and formats back to the committed file. Then the
/// command on the built binary.
@Suite(.serialized) struct FormatCommandTests {
    static let scripts = FormatterTests.scripts

    /// `text` with the spaces between its tokens, its indentation and its
    /// trailing spaces changed at random. With `tightening`, spaces the
    /// layout decides alone (around `+`, after `(`, …) are also dropped or
    /// added; spaces the layout keeps as written (`/`, a binary `-`, a unit
    /// against its number) only change in amount. Lines with a comment or a
    /// skipped character are kept. The tokens may come back otherwise.
    static func perturbed(_ text: String, seed: UInt64, tightening: Bool) -> String {
        let file = SourceFile(name: "perturbed", text: text)
        let tokens = Lexer.tokens(file)
        let roles = SourceLayout(tokens).roles
        var random = Generator(state: seed)
        func blanks(_ most: Int) -> [UInt8] {
            (0..<random.below(most + 1)).map { _ in random.below(4) == 0 ? UInt8(ascii: "\t") : UInt8(ascii: " ") }
        }
        var out: [UInt8] = []
        for line in SourceFormatter.split(file, tokens) {
            if line.comment != nil || line.hasSkippedText {
                out += file.bytes[line.bytes]
            } else if line.code != nil {
                out += blanks(4)
                for index in line.tokens {
                    if index > line.tokens.lowerBound {
                        let wasSpaced = tokens[index].span.start > tokens[index - 1].span.end
                        if tightening && decidedByLayout(index - 1, index, tokens, roles) {
                            let tight = random.below(2) == 0 && joinable(tokens[index - 1].span.text, tokens[index].span.text)
                            out += tight ? [] : [UInt8(ascii: " ")] + blanks(2)
                        } else if wasSpaced {
                            out += [UInt8(ascii: " ")] + blanks(2)
                        }
                    }
                    out += file.bytes[tokens[index].span.start..<tokens[index].span.end]
                }
                // Not into a string left open, which runs to the end of the line.
                if case .string = tokens[line.tokens.upperBound - 1].kind {} else { out += blanks(2) }
            } else {
                out += blanks(3)
            }
            if let ending = line.ending { out += file.bytes[ending] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether two tokens written together read back as the same two.
    static func joinable(_ left: String, _ right: String) -> Bool {
        let read = Lexer.tokens(SourceFile(name: "pair", text: left + right))
        return read.count == 3 && read[0].span.text == left && read[1].span.text == right
    }

    static func decidedByLayout(_ a: Int, _ b: Int, _ tokens: [Token], _ roles: [SourceLayout.Role]) -> Bool {
        let kept: Set<SourceLayout.Role> = [.binaryMinus, .strayClose]
        if kept.contains(roles[a]) || kept.contains(roles[b]) { return false }
        // A comma tight against the number after it groups digits (`$27,379.20`): as written.
        if case .comma = tokens[b].kind, b + 1 < tokens.count, tokens[b + 1].joinedToPrevious {
            switch tokens[b + 1].kind {
            case .number, .money, .percent: return false
            default: break
            }
        }
        switch (tokens[a].kind, tokens[b].kind) {
        case (.slash, _), (_, .slash), (.comma, _), (.number, .name): return false
        default: return true
        }
    }

    /// Output with columns masked (`file:12:_`) and source excerpts dropped:
    /// they follow the spaces.
    static func masked(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            let bar = line.drop(while: { $0 == " " || $0.isNumber })
            if bar.hasPrefix("| ") || bar == "|" { return nil }
            var out = "", digits = "", afterLine = false
            for character in line + "\n" {
                if character.isASCII && character.isNumber {
                    digits.append(character)
                    continue
                }
                if afterLine, !digits.isEmpty, out.hasSuffix(":") { digits = "_" }
                afterLine = character == ":" && !digits.isEmpty && out.hasSuffix(":")
                out += digits + String(character)
                digits = ""
            }
            return String(out.dropLast())
        }.joined(separator: "\n")
    }

    static func isCheck(_ path: String) -> Bool { path.contains("/Tests/Fixtures/check/") }

    static func printed(_ path: String) -> String {
        let output = isCheck(path) ? Commands.check(paths: [path]) : Commands.run(paths: [path])
        return "exit \(output.status)\n\(masked(output.stdout))\n\(masked(output.stderr))"
    }

    /// The values a script computes, from its JSON without the source text it quotes.
    static func values(_ path: String) -> String {
        let output = isCheck(path) ? Commands.check(paths: [path], format: .json) : Commands.run(paths: [path], format: .json)
        let quoting: Set<String> = ["expression", "column", "label", "name", "subject"]
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !quoting.contains($0.key) }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8), options: [.fragmentsAllowed])).map(strip)
        let data = json.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
        let headlines = masked(output.stderr).split(separator: "\n").filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        return "exit \(output.status)\n\(masked(String(decoding: data ?? Data(), as: UTF8.self)))\n\(headlines.joined(separator: "\n"))"
    }

    /// In a scratch copy of Examples/ and Tests/Fixtures/, so imports and logs resolve.
    static func withScratchTree(_ body: (_ directory: String, _ paths: [String]) throws -> Void) throws {
        let directory = try ReadmeTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory, scripts.map { directory + $0.dropFirst(Repository.root.count) })
    }

    @Test func formattingTheTreeChangesNothingPrinted() throws {
        try Self.withScratchTree { directory, paths in
            for (index, path) in paths.enumerated() {
                try Self.perturbed(Repository.read(path), seed: UInt64(index), tightening: false).write(toFile: path, atomically: false, encoding: .utf8)
            }
            let before = paths.map(Self.printed)
            let output = Commands.format(paths: [directory + "/Examples", directory + "/Tests/Fixtures"])
            #expect(output.status == 0 && output.stdout.isEmpty && output.stderr.isEmpty, "\(output.stderr)")
            for (index, path) in paths.enumerated() {
                #expect(Repository.read(path) == Repository.read(Self.scripts[index]), "\(path) formats back to another layout")
                #expect(Self.printed(path) == before[index], "\(path) prints otherwise once formatted")
            }
        }
    }

    @Test func formattingKeepsEveryValue() throws {
        try Self.withScratchTree { directory, paths in
            var kept = 0
            for (index, path) in paths.enumerated() {
                let original = Repository.read(path)
                var messy = Self.perturbed(original, seed: UInt64(index) &+ 1000, tightening: true)
                // Spaces dropped where the tokens would then read otherwise (`< =`).
                if !SourceFormatter.sameTokens(original, messy) {
                    messy = Self.perturbed(original, seed: UInt64(index), tightening: false)
                    kept += 1
                }
                try messy.write(toFile: path, atomically: false, encoding: .utf8)
            }
            #expect(kept <= paths.count / 10)
            let before = paths.map(Self.values)
            _ = Commands.format(paths: [directory + "/Examples", directory + "/Tests/Fixtures"])
            for (index, path) in paths.enumerated() {
                #expect(Repository.read(path) == Repository.read(Self.scripts[index]), "\(path) formats back to another layout")
                #expect(Self.values(path) == before[index], "\(path) computes otherwise once formatted")
            }
        }
    }

    // MARK: the command

    @Test func checkPassesOnTheCommittedTree() throws {
        let r = try TallyBinary.run(["fmt", "--check", "Examples", "Tests/Fixtures"])
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func checkThenRewrite() throws {
        let directory = try scratchDirectory("fmt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let messy = "workload w<model nova-micro;requests 1/day>\n"
        let tidy = "workload w < model nova-micro; requests 1/day >\n"
        try writeFile(messy, to: directory + "/plans/a.tally")
        try writeFile(tidy, to: directory + "/plans/sub/b.tally")
        try writeFile(messy, to: directory + "/plans/notes.txt")
        try writeFile(messy, to: directory + "/plans/.hidden/c.tally")
        try writeFile(messy, to: directory + "/elsewhere.tally")
        try FileManager.default.createSymbolicLink(atPath: directory + "/plans/link.tally", withDestinationPath: directory + "/elsewhere.tally")

        var r = try TallyBinary.run(["fmt", "--check", "plans"], directory: directory)
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr == "tally: plans/a.tally would be reformatted\n")
        #expect(Repository.read(directory + "/plans/a.tally") == messy)

        r = try TallyBinary.run(["fmt", "plans"], directory: directory)
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stderr)")
        #expect(Repository.read(directory + "/plans/a.tally") == tidy)
        for untouched in ["/plans/notes.txt", "/plans/.hidden/c.tally", "/elsewhere.tally"] {
            #expect(Repository.read(directory + untouched) == messy, "\(untouched)")
        }
        r = try TallyBinary.run(["fmt", "--check", "plans", "plans/sub/b.tally"], directory: directory)
        #expect(r.status == 0 && r.stderr.isEmpty)

        r = try TallyBinary.run(["fmt", "--check", "plans", "missing.tally"], directory: directory)
        #expect(r.status == 2 && r.stderr.contains("cannot read missing.tally"), "\(r.stderr)")
        r = try TallyBinary.run(["fmt", "--check", "elsewhere.tally", "missing.tally"], directory: directory)
        #expect(r.status == 2 && r.stderr.contains("tally: elsewhere.tally would be reformatted"), "\(r.stderr)")
    }

    @Test func standardInput() throws {
        var r = try TallyBinary.run(["fmt", "-"], stdin: "show  1+2")
        #expect(r.status == 0 && r.stdout == "show 1 + 2\n" && r.stderr.isEmpty)
        r = try TallyBinary.run(["fmt", "--check", "-"], stdin: "show  1+2")
        #expect(r.status == 1 && r.stdout.isEmpty && r.stderr == "tally: <stdin> would be reformatted\n")
        r = try TallyBinary.run(["fmt", "--check", "-"], stdin: "show 1 + 2\n")
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty)
    }
}
