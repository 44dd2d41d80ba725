import Foundation
import Testing

/// Editors/vscode is the VS Code extension: its manifest names the language,
/// the grammar (a copy of Grammar/tally.tmLanguage.json, which
/// TextMateGrammarTests holds equal) and the server it starts, `tally lsp`.
@Suite struct EditorSupportTests {
    static let folder = Repository.root + "/Editors/vscode"

    static func object(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not a JSON object")
    }

    @Test func theVSCodeExtensionShipsTheSameGrammar() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: TextMateGrammarTests.path))
        let copy = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/syntaxes/tally.tmLanguage.json"))
        #expect(original == copy, "Editors/vscode/syntaxes/tally.tmLanguage.json differs: cp Grammar/tally.tmLanguage.json Editors/vscode/syntaxes/")
    }

    @Test func theManifestContributesTheLanguageTheGrammarAndTheSetting() throws {
        let manifest = try Self.object("package.json")
        #expect(manifest["name"] as? String == "tally")
        #expect(manifest["publisher"] as? String == "tally")
        #expect((manifest["engines"] as? [String: Any])?["vscode"] as? String == "^1.85.0")
        #expect(manifest["activationEvents"] as? [String] == ["onLanguage:tally"])
        #expect((manifest["dependencies"] as? [String: Any])?["vscode-languageclient"] as? String == "^9.0.1")
        let main = try #require(manifest["main"] as? String)
        #expect(FileManager.default.fileExists(atPath: Self.folder + "/" + main))

        let contributes = try #require(manifest["contributes"] as? [String: Any])
        let language = try #require((contributes["languages"] as? [[String: Any]])?.first)
        #expect(language["id"] as? String == "tally")
        #expect(language["extensions"] as? [String] == [".tally"])
        let configuration = try #require(language["configuration"] as? String)
        #expect(FileManager.default.fileExists(atPath: Self.folder + "/" + configuration))

        let grammar = try #require((contributes["grammars"] as? [[String: Any]])?.first)
        #expect(grammar["language"] as? String == "tally")
        #expect(grammar["scopeName"] as? String == "source.tally")
        #expect(grammar["path"] as? String == "./syntaxes/tally.tmLanguage.json")

        let settings = (contributes["configuration"] as? [String: Any])?["properties"] as? [String: Any]
        let path = try #require(settings?["tally.path"] as? [String: Any])
        #expect(path["default"] as? String == "tally")
    }

    @Test func theLanguageConfigurationIsJSON() throws {
        let configuration = try Self.object("language-configuration.json")
        #expect((configuration["comments"] as? [String: Any])?["lineComment"] as? String == "#")
        #expect(configuration["brackets"] as? [[String]] == [["(", ")"], ["<", ">"]])
        let closing = (configuration["autoClosingPairs"] as? [[String: Any]] ?? []).compactMap { $0["open"] as? String }
        // Not `<`: it is a comparison as often as a block (`assert total < …`).
        #expect(closing == ["(", "\""])
    }

    @Test func theExtensionStartsTallyLSP() {
        let script = Repository.read(Self.folder + "/extension.js")
        #expect(script.contains("args: ['lsp']"))
        #expect(script.contains("getConfiguration('tally').get('path', 'tally')"))
        #expect(script.contains("documentSelector: [{ language: 'tally' }]"))
    }
}
