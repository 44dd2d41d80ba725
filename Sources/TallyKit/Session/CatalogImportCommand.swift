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

/// `tally catalog import`: another price list as Tally `price` declarations,
/// for a script to `import`.
extension Commands {
    /// `--litellm FILE`: LiteLLM's price map.
    /// With `progress` (a terminal's), `importing FILE · N s elapsed` while it reads.
    package static func importLiteLLM(path: String, asOf: String?, outputPath: String?, progress: TerminalProgress? = nil) -> CommandOutput {
        progress?.working("importing \(Path.lastComponent(path))")
        defer { progress?.end() }
        var output = CommandOutput()
        guard let data = readImported(path, limit: maximumScriptBytes, into: &output) else { return output }
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
        writeImported(result.text, to: outputPath, into: &output)
        return output
    }

    /// `--aws-price-list FILE…`: AWS's bulk offer files for Bedrock.
    package static func importAWSPriceList(paths: [String], outputPath: String?, progress: TerminalProgress? = nil) -> CommandOutput {
        progress?.working("importing " + paths.map(Path.lastComponent).joined(separator: ", "))
        defer { progress?.end() }
        var output = CommandOutput()
        var files: [(name: String, json: Data)] = []
        for path in paths {
            guard let data = readImported(path, limit: AWSPriceListImport.maximumFileBytes, into: &output) else { return output }
            files.append((Path.lastComponent(path), data))
        }
        guard let catalog = builtinCatalog(into: &output) else { return output }
        let result: AWSPriceListImport.Result
        do {
            result = try AWSPriceListImport.declarations(files: files, catalog: catalog)
        } catch {
            output.fail(DiagnosticRenderer().render(error))
            return output
        }
        for entry in result.unmapped { output.stderr += "tally: not mapped: \(entry.line)\n" }
        output.stderr += "tally: read \(result.skusRead) SKU\(result.skusRead == 1 ? "" : "s"); mapped \(result.skusMapped); "
            + "\(result.unmapped.count) not mapped\n"
        writeImported(result.text, to: outputPath, into: &output)
        return output
    }

    /// The built-in catalog, or nil after saying why it cannot be read.
    static func builtinCatalog(into output: inout CommandOutput) -> Catalog? {
        switch BuiltinCatalog.loaded {
        case .success(let loaded): return loaded
        case .failure(let errors):
            output.fail(DiagnosticRenderer().render(errors.all))
            return nil
        }
    }

    /// A price list's bytes, or nil after saying why not.
    static func readImported(_ path: String, limit: Int, into output: inout CommandOutput) -> Data? {
        switch FileSystem.readText(path, root: nil, limit: limit) {
        case .success(let read): return Data(read.text.utf8)
        case .failure(.tooLarge):
            output.fail("tally: error: cannot read \(path): it is larger than the \(limit >> 20) MiB Tally reads as a price list\n")
        case .failure(let failure):
            output.fail("tally: error: cannot read \(path): \(failure)\n")
        }
        return nil
    }

    static func writeImported(_ text: String, to outputPath: String?, into output: inout CommandOutput) {
        guard let outputPath else {
            output.stdout += text
            return
        }
        do {
            try FileSystem.writeAtomically(text, to: outputPath)
        } catch {
            output.fail("tally: error: cannot write \(outputPath): \(error)\n")
        }
    }
}
