import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Tab completion for the prompt: what the word under the cursor could be,
/// from where it stands.
package struct Completion: Sendable, Equatable {
    /// Characters before the cursor that the candidates replace.
    package var replacing: Int
    /// Full words, sorted.
    package var candidates: [String]
    /// When several words match and the typed text is shorter than what they
    /// share, the one Tab completes to: a name the session declared, else one
    /// of the catalog's featured models (the seed's reference table).
    package var preferred: String?

    package init(replacing: Int, candidates: [String], preferred: String? = nil) {
        self.replacing = replacing
        self.candidates = candidates
        self.preferred = preferred
    }

    /// The longest text every candidate starts with.
    package var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    static let metaCommands = [":help", ":models", ":list", ":info", ":load", ":save", ":reset", ":quit"]

    /// Candidates for `line` up to `cursor`, after the lines of an unfinished
    /// input in `pending`.
    package static func complete(line: String, cursor: Int, pending: [String], session: Session) -> Completion {
        let before = String(line.prefix(max(0, min(cursor, line.count))))
        if pending.isEmpty, before.hasPrefix(":") {
            return meta(before, session: session)
        }
        let word = currentWord(before)
        let context = (pending + [String(before.dropLast(word.count))]).joined(separator: "\n")
        let words = candidates(after: context, session: session)
        let matches = Array(Set(words.filter { $0.hasPrefix(word) })).sorted()
        var completion = Completion(replacing: word.count, candidates: matches)
        if matches.count > 1, completion.commonPrefix.count > word.count {
            let declared = matches.filter { session.environment[$0] != nil }
            let featured = matches.filter { session.environment.catalog.model(named: $0)?.featured == true && session.environment.catalog.canonicalName($0) == $0 }
            if declared.count == 1 {
                completion.preferred = declared[0]
            } else if declared.isEmpty, featured.count == 1 {
                completion.preferred = featured[0]
            }
        }
        return completion
    }

    /// The name being typed: letters, digits, `_`, `-` and `.` back from the
    /// cursor.
    static func currentWord(_ text: String) -> String {
        var word = ""
        for character in text.reversed() {
            guard character.isLetter || character.isNumber || "_-.".contains(character) else { break }
            word.insert(character, at: word.startIndex)
        }
        return word
    }

    static func candidates(after context: String, session: Session) -> [String] {
        let tokens = Lexer.tokenize(SourceFile(name: "<completion>", text: context)).tokens.filter { $0.kind != .end }
        let environment = session.environment
        let catalog = environment.catalog
        // Bedrock ids hold `:` and must be quoted; complete the names that need no quotes.
        let models = catalog.allNames.filter { !$0.contains(":") }

        // Inside `< … >`: which block, and where in the current property.
        var blocks: [WorkloadSchema.Block] = []
        var propertyStart = true
        var propertyName: String?
        var argumentCount = 0
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .less where InputShape.opensBlock(tokens, at: index):
                let opener = tokens[max(0, index - 2)].kind
                switch opener {
                case .keyword(.knowledgeBase): blocks.append(.knowledgeBase)
                case .keyword(.customization): blocks.append(.customization)
                case .keyword(.price): blocks.append(.price)
                case .name("profile"): blocks.append(.profile)
                case .name(let word): blocks.append(WorkloadSchema.Block(rawValue: word) ?? .workload)
                default: blocks.append(.workload)
                }
                propertyStart = true
                propertyName = nil
            case .greater where !blocks.isEmpty:
                blocks.removeLast()
                propertyStart = false
                propertyName = nil
            case .semicolon, .newline:
                propertyStart = true
                propertyName = nil
            default:
                if !blocks.isEmpty {
                    if propertyStart {
                        if case .name(let n) = token.kind { propertyName = n } else if token.kind == .keyword(.region) { propertyName = "region" }
                        propertyStart = false
                        argumentCount = 0
                    } else {
                        argumentCount += 1
                    }
                }
            }
        }

        if let kind = blocks.last {
            if propertyStart {
                return WorkloadSchema.names(for: kind)
            }
            switch propertyName {
            case "model":
                return argumentCount == 0 ? models : []
            case "embedding":
                return catalog.sortedModels.filter { $0.kind == .embedding }.flatMap { [$0.name] + $0.aliases }
            case "reranker":
                return catalog.sortedModels.filter { $0.kind == .rerank }.flatMap { [$0.name] + $0.aliases }
            case "vector-store":
                return catalog.sortedModels.filter { $0.kind == .service }.map(\.name)
            case "mode":
                return argumentCount == 0 ? ["on-demand", "batch", "flex", "priority", "provisioned"] : RateKind.provisionedTerms + ["units"]
            case "endpoint":
                return Endpoint.allCases.map(\.rawValue)
            case "region":
                return catalog.regions
            case "guardrails":
                return RateKind.guardrailPolicies
            case "quality":
                return ["standard", "premium"]
            case "compute":
                return Engine.agentComputes
            case "strategy":
                return Engine.memoryStrategies
            case "output" where kind == .dataAutomation:
                return Engine.dataAutomationOutputs
            case "cache":
                return ["write", "ttl"]
            case "kind" where kind == .price:
                return ModelKind.allCases.map(\.rawValue)
            default:
                return expressionWords(environment)
            }
        }
        // At the start of a statement: keywords as well as names.
        let last = tokens.last?.kind
        if last == nil || last == .newline || last == .semicolon {
            return Keyword.allCases.map(\.rawValue) + expressionWords(environment)
        }
        if case .keyword(.region) = last {
            return catalog.regions
        }
        return expressionWords(environment) + ["in", "with", "and", "or", "not"]
    }

    static func expressionWords(_ environment: Environment) -> [String] {
        Array(environment.bindings.keys) + ["total", "true", "false"] + Evaluator.functions + Array(Units.byName.keys)
    }

    static func meta(_ text: String, session: Session) -> Completion {
        guard let space = text.firstIndex(of: " ") else {
            return Completion(replacing: text.count, candidates: metaCommands.filter { $0.hasPrefix(text) })
        }
        let command = String(text[..<space])
        let argument = String(text[text.index(after: space)...]).drop { $0 == " " }
        switch command {
        case ":load", ":save":
            return paths(String(argument))
        case ":info":
            let word = String(argument)
            let names = Array(session.environment.bindings.keys) + session.environment.catalog.allNames
            return Completion(replacing: word.count, candidates: Array(Set(names.filter { $0.hasPrefix(word) })).sorted())
        case ":models":
            let word = String(argument)
            return Completion(replacing: word.count, candidates: session.environment.catalog.sortedModels.map(\.name).filter { $0.hasPrefix(word) })
        case ":help":
            let word = String(argument)
            return Completion(replacing: word.count, candidates: Repl.helpTopics.filter { $0.hasPrefix(word) })
        default:
            return Completion(replacing: 0, candidates: [])
        }
    }

    /// Files and directories for `:load` and `:save`; directories end in `/`.
    static func paths(_ partial: String) -> Completion {
        let expanded = partial.hasPrefix("~/") ? FileManager.default.homeDirectoryForCurrentUser.path + String(partial.dropFirst()) : partial
        let directory: String
        let prefix: String
        if let slash = expanded.lastIndex(of: "/") {
            directory = String(expanded[...slash])
            prefix = String(expanded[expanded.index(after: slash)...])
        } else {
            directory = ""
            prefix = expanded
        }
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        var matches: [String] = []
        for name in listed where name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !name.hasPrefix(".")) {
            let isDirectory = FileSystem.status(directory + name)?.kind == .directory
            matches.append(name + (isDirectory ? "/" : ""))
        }
        return Completion(replacing: prefix.count, candidates: matches.sorted())
    }
}
