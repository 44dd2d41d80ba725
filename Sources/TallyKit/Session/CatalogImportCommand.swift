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

/// `tally catalog import --litellm FILE`: LiteLLM's price map as Tally `price`
/// declarations, for a script to `import`.
extension Commands {
    package static func importLiteLLM(path: String, asOf: String?, outputPath: String?) -> CommandOutput {
        var output = CommandOutput()
        let data: Data
        switch FileSystem.readText(path, root: nil, limit: maximumScriptBytes) {
        case .success(let read): data = Data(read.text.utf8)
        case .failure(let failure):
            output.fail("tally: error: cannot read \(path): \(failure)\n")
            return output
        }
        let result: LiteLLMImport.Result
        do {
            result = try LiteLLMImport.declarations(json: data, sourceName: Path.lastComponent(path), asOf: asOf)
        } catch {
            output.fail(DiagnosticRenderer().render(error))
            return output
        }
        // What was left out, grouped so a 4,000-entry file reads in a few lines.
        var reasons: [String: Int] = [:]
        for skip in result.skipped {
            let reason = skip.reason.hasPrefix("not a Bedrock entry") ? "not a Bedrock entry" : skip.reason
            reasons[reason, default: 0] += 1
        }
        output.stderr += "tally: imported \(result.imported.count) Bedrock entr\(result.imported.count == 1 ? "y" : "ies")"
        if !reasons.isEmpty {
            output.stderr += "; skipped " + reasons.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .map { "\($0.value) (\($0.key))" }.joined(separator: ", ")
        }
        output.stderr += "\n"
        if let outputPath {
            do {
                try FileSystem.writeAtomically(result.text, to: outputPath)
            } catch {
                output.fail("tally: error: cannot write \(outputPath): \(error)\n")
            }
        } else {
            output.stdout += result.text
        }
        return output
    }
}
