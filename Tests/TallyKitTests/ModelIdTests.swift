import Testing
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing

/// Model ids as AWS, Anthropic and LiteLLM spell them resolve to the catalog's
/// models; an unknown id is never offered a model of another family.
@Suite struct ModelIdTests {
    static let spellings: [(String, String)] = [
        ("anthropic.claude-opus-4-5-20251101-v1:0", "opus-4.5"),
        ("anthropic.claude-opus-4-5-20251101-v1", "opus-4.5"),
        ("anthropic.claude-opus-4-5", "opus-4.5"),
        ("anthropic.claude-opus-4-6-v1", "opus-4.6"),
        ("anthropic.claude-sonnet-4-6", "sonnet-4.6"),
        ("anthropic.claude-sonnet-4-6-v1", "sonnet-4.6"),
        ("anthropic.claude-sonnet-4-5-20250929-v1:0", "sonnet-4.5"),
        ("anthropic.claude-haiku-4-5@20251001", "haiku-4.5"),
        ("amazon.nova-pro-v1", "nova-pro"),
        ("meta.llama3-3-70b-instruct-v1", "llama-3.3-70b"),
        ("mistral.mistral-large-2407-v1:0", "mistral-large"),
        ("deepseek.v3.2", "deepseek-v3.2"),
        ("zai.glm-4.7-flash", "glm-4.7-flash"),
        ("anthropic.claude-instant-v1", "claude-instant"),
        ("claude-sonnet-4-5-20250929-v1:0", "sonnet-4.5"),
        ("in.moonshotai.kimi-k3", "kimi-k3"),
        ("amazon.titan-image-generator-v1", "titan-image-generator"),
        ("amazon.titan-image-generator-v2:0", "titan-image"),
        ("stability.stable-image-core-v1:0", "stable-image-core"),
        ("stability.stable-image-core-v1:1", "stable-image-core"),
        // LiteLLM's keys; a region in the key does not select one.
        ("bedrock/anthropic.claude-sonnet-4-6", "sonnet-4.6"),
        ("bedrock/converse/anthropic.claude-sonnet-4-6", "sonnet-4.6"),
        ("bedrock/invoke/anthropic.claude-3-5-sonnet-20240620-v1:0", "sonnet-3.5"),
        ("bedrock/eu-west-1/minimax.minimax-m2.1", "minimax-m2.1"),
        ("bedrock/us-gov-west-1/anthropic.claude-sonnet-4-5-20250929-v1:0", "sonnet-4.5"),
        ("bedrock/us-gov-east-1/claude-sonnet-4-5-20250929-v1:0", "sonnet-4.5"),
        ("bedrock/us.anthropic.claude-sonnet-4-6", "sonnet-4.6"),
        // Short names.
        ("sonnet-4.5", "sonnet-4.5"), ("kimi-k2.5", "kimi-k2.5"), ("qwen3-coder-next", "qwen3-coder-next"),
    ]

    @Test(arguments: spellings)
    func aSpellingResolves(_ spelling: String, _ name: String) throws {
        let catalog = try BuiltinCatalog.loaded.get()
        #expect(catalog.model(named: spelling)?.name == name)
    }

    @Test(arguments: ["global", "us", "eu", "apac", "jp", "au", "us-gov"])
    func anInferenceProfileResolvesWithItsEndpoint(_ prefix: String) throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let id = prefix + ".anthropic.claude-sonnet-4-6"
        #expect(catalog.model(named: id)?.name == "sonnet-4.6")
        #expect(catalog.endpoint(forReference: id) == (prefix == "global" ? .global : .regional))
        #expect(catalog.endpoint(forReference: "bedrock/" + id) == (prefix == "global" ? .global : .regional))
    }

    @Test func everyModelAnswersToItsIdWithAndWithoutTheMinorVersion() throws {
        let catalog = try BuiltinCatalog.loaded.get()
        var checked = 0
        for model in catalog.sortedModels {
            guard let id = model.id else { continue }
            #expect(catalog.model(named: id)?.name == model.name, "\(id)")
            if let colon = id.lastIndex(of: ":"), id[id.index(after: colon)...].allSatisfy(\.isNumber) {
                let short = String(id[..<colon])
                #expect(catalog.model(named: short)?.name == model.name, "\(short)")
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test func notAModelKey() {
        #expect(Catalog.withoutLiteLLMPrefix("bedrock/") == nil)
        #expect(Catalog.withoutLiteLLMPrefix("bedrock/us-east-1/") == nil)
        #expect(Catalog.withoutLiteLLMPrefix("bedrock/us-east-1/1-month-commitment/cohere.command-text-v14") == nil)
        #expect(Catalog.withoutLiteLLMPrefix("sonnet-4.5") == nil)
        #expect(Catalog.withoutLiteLLMPrefix("bedrock/us-east-1/x") == "x")
    }

    /// The hint for an unknown id names a model of the family typed, or none.
    @Test(arguments: [
        ("anthropic.claude-opus-9", "opus"), ("anthropic.claude-sonnet-9-9", "sonnet"), ("opus-9", "opus"),
        ("meta.llama9-70b-instruct-v1:0", "llama"), ("amazon.nova-ultra-v1:0", "nova"), ("sonet-4.5", "sonnet"),
    ])
    func anUnknownIdIsOfferedItsOwnFamilyOnly(_ typed: String, _ family: String) throws {
        let catalog = try BuiltinCatalog.loaded.get()
        let offered = Suggestion.models(like: typed, in: catalog.allNames)
        #expect(!offered.isEmpty)
        for name in offered {
            let model = try #require(catalog.model(named: name))
            #expect(model.name.contains(family), "\(typed) offered \(name) (\(model.name))")
        }
        let outcome = runSource("workload w < model \"\(typed)\"; requests 1/day >\n")
        let diagnostic = try #require(outcome.diagnostics.first)
        #expect(diagnostic.message == "unknown model `\(typed)`")
        for hint in diagnostic.hints where hint.hasPrefix("did you mean") {
            let named = hint.split(separator: "`")[1]
            #expect(catalog.model(named: String(named))?.name.contains(family) == true, "\(hint)")
        }
    }

    @Test func anUnknownOpusIsNotOfferedALlama() throws {
        let outcome = runSource("workload w < model \"anthropic.claude-opus-9\"; requests 1/day >\n")
        let hints = try #require(outcome.diagnostics.first).hints
        #expect(hints == ["did you mean `anthropic.claude-opus-4`?"])
    }
}
