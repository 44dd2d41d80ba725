import Foundation
import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// A checked operation that fails must become an error, not a stand-in value:
/// `x.divided(by: y) ?? .zero` or `reduce { $0.adding($1) ?? $0 }` turns an
/// overflow into a wrong figure. TallyRender may round for display and is not read.
@Suite struct ExactFallbackLintTests {
    /// What a fallback after a checked operation looks like.
    static let patterns: [(name: String, regex: String)] = [
        ("?? .zero", #"\?\?\s*(Rational)?\.zero\b"#),
        ("?? .one", #"\?\?\s*(Rational)?\.one\b"#),
        ("?? $0 (the running value)", #"\?\?\s*\$\d+(?![\w.])"#),
        ("checked operation then ??", #"\b(adding|subtracting|multiplied|divided|power|rounded)\(.*\?\?"#),
    ]

    /// Lines that match a pattern but fall back from a missing value, not from
    /// a failed operation. File (under Sources/) and the line, trimmed.
    static let allowed: [(file: String, line: String, reason: String)] = [
        ("TallyPricing/Advisor.swift", "let input = b.inputTokens ?? .zero",
         "a workload without input tokens (images) has none to cache"),
        ("TallyPricing/Engine.swift", "let steps = workload.agentSteps ?? .one",
         "no `agent-steps` property: one model call per request"),
        ("TallyPricing/Engine.swift", "try images(model, placement, requestsPerMonth: requestsPerMonth ?? .zero, mode: mode)",
         "no `requests` property: nothing is billed per request"),
        ("TallyPricing/Engine.swift", "try tokenLines(model, placement, requestsPerMonth: requestsPerMonth ?? .zero, steps: steps, input: input, output: output, mode: mode)",
         "no `requests` property: nothing is billed per request"),
        ("TallyPricing/Engine.swift", "try guardrailLines(placement: placement, requestsPerMonth: requestsPerMonth, input: inputTokens ?? .zero, output: outputTokens ?? .zero)",
         "a workload without token counts sends no text to guardrails"),
        ("TallyPricing/Engine.swift", "let perRequest = workload.imagesPerRequest ?? .one",
         "no `images` property: one image a request, as Bedrock bills"),
        ("TallyActuals/Reconcile.swift", "let steps = plan.agentSteps ?? .one",
         "no `agent` property: one model call per request, as the engine reads it"),
        ("TallyPricing/KnowledgeBase.swift", "let count = workload.customModels ?? .one",
         "no `models` property: one custom model"),
        ("TallyPricing/KnowledgeBase.swift", "let copies = workload.importCopies ?? .one",
         "no `copies` property: one model copy"),
        ("TallyLanguage/CostDiff.swift", "let beforeMonthly = before?.total ?? .zero",
         "a workload only in the new plan cost nothing before"),
        ("TallyLanguage/CostDiff.swift", "let afterMonthly = after?.total ?? .zero",
         "a workload only in the old plan costs nothing after"),
        ("TallyKit/Session/ModelsCommand.swift", "if a.threshold != b.threshold { return (a.threshold ?? .zero) < (b.threshold ?? .zero) }",
         "sorting: rates without a context threshold come first"),
        ("TallyKit/Session/ModelsCommand.swift", "rate.amount.multiplied(by: Rational(1_000_000)).map(Format.price) ?? Format.price(rate.amount) + \"/token\"",
         "display: a rate too fine to scale to 1M tokens is shown per token, labelled so"),
        ("TallyLanguage/EvaluatorOperators.swift", "let low = q.value.sign != q.upper.sign && !q.value.isZero && !q.upper.isZero ? .zero : (ends.min() ?? .zero)",
         "`abs`: `ends` always has two elements; no arithmetic is checked"),
    ]

    static let sources = Repository.root + "/Sources"

    static func matches(_ line: String) -> [String] {
        patterns.filter { line.range(of: $0.regex, options: .regularExpression) != nil }.map(\.name)
    }

    @Test func thePatternsCatchTheFallbacksTheyAreFor() {
        #expect(Self.matches("let cost = list.reduce(Rational.zero) { $0.adding($1.total) ?? $0 }") == ["?? $0 (the running value)", "checked operation then ??"])
        #expect(Self.matches("let perSecond = total.divided(by: Units.month.factor) ?? .zero") == ["?? .zero", "checked operation then ??"])
        #expect(Self.matches("total.multiplied(by: share) ?? total") == ["checked operation then ??"])
        #expect(Self.matches("let x = y ?? Rational.one") == ["?? .one"])
        #expect(Self.matches("months.lazy.map { $0.high ?? $0.cost }").isEmpty)
        #expect(Self.matches("guard let total = Rational.sum(values) else { throw overflow }").isEmpty)
    }

    @Test func noCheckedOperationFallsBackOutsideRendering() throws {
        var found: [String] = []
        var used = Set<Int>()
        // Every library target but rendering, and the two files that write
        // numbers and rates for display (Format, RateFormat): they may round.
        let files = Repository.files(under: Self.sources, extension: "swift").filter {
            $0.contains("/Tally") && !$0.contains("/TallyRender/") && !$0.hasSuffix("/Format.swift") && !$0.hasSuffix("/RateFormat.swift")
        }
        #expect(files.count > 30)
        for path in files {
            let relative = String(path.dropFirst(Self.sources.count + 1))
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, raw) in lines.enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("//") { continue }
                let hits = Self.matches(line)
                guard !hits.isEmpty else { continue }
                if let allowed = Self.allowed.firstIndex(where: { $0.file == relative && $0.line == line }) {
                    used.insert(allowed)
                } else {
                    found.append("\(relative):\(index + 1): \(hits.joined(separator: ", ")): \(line)")
                }
            }
        }
        #expect(found.isEmpty, "a failed checked operation must be an error, not a fallback:\n\(found.joined(separator: "\n"))")
        // An allowance that no longer matches a line is stale: remove it.
        let stale = Self.allowed.indices.filter { !used.contains($0) }.map { "\(Self.allowed[$0].file): \(Self.allowed[$0].line)" }
        #expect(stale.isEmpty, "stale allow-list entries:\n\(stale.joined(separator: "\n"))")
    }
}
