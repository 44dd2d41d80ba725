import Foundation

/// The price catalog that ships with Tally, read from TallyKit's resources.
public enum BuiltinCatalog {
    public static let fileName = "bedrock.tally"

    /// The catalog, or the diagnostics that kept it from loading. Loaded once
    /// per process.
    public static let loaded: Result<Catalog, Diagnostics> = load()

    /// Where the resource is: in the resource bundle beside the executable
    /// (where SwiftPM puts it), else in the source tree Tally was built from.
    static func resourcePath() -> String? {
        let bundleName = "tally_TallyKit.resources"
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let directory = Path.directory(of: executable)
            candidates.append("\(directory)/\(bundleName)/\(fileName)")
        }
        candidates.append(Bundle.main.bundlePath + "/\(bundleName)/\(fileName)")
        let sources = Path.directory(of: Path.directory(of: #filePath))
        candidates.append("\(sources)/Catalog/\(fileName)")
        return candidates.first(where: { FileManager.default.fileExists(atPath: $0) })
    }

    static func load() -> Result<Catalog, Diagnostics> {
        guard let path = resourcePath(), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(Diagnostics([Diagnostic(.io, "Tally's built-in catalog (\(fileName)) is missing from the installation", at: nil)]))
        }
        let file = SourceFile(name: fileName, text: text)
        if let source = CatalogSource(file: file) { return .success(Catalog(source: source)) }
        return load(source: file)
    }

    /// The whole catalog, every block read now: what the lazy reading must
    /// agree with, and the check that every block is valid.
    public static func loadEagerly() -> Result<Catalog, Diagnostics> {
        guard let path = resourcePath(), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(Diagnostics([Diagnostic(.io, "Tally's built-in catalog (\(fileName)) is missing from the installation", at: nil)]))
        }
        return load(source: SourceFile(name: fileName, text: text))
    }

    /// Builds a catalog from Tally source made of `region` and `price` statements.
    public static func load(source: SourceFile) -> Result<Catalog, Diagnostics> {
        let (statements, syntaxErrors) = Parser.parse(source)
        guard syntaxErrors.isEmpty else { return .failure(Diagnostics(syntaxErrors)) }
        var evaluator = Evaluator(environment: Environment(catalog: Catalog()))
        evaluator.isBuiltinCatalog = true
        for statement in statements {
            switch statement.kind {
            case .price, .region, .invalid: break
            default:
                return .failure(Diagnostics([Diagnostic(.syntax, "a catalog holds only `region` and `price` statements", at: statement.span)]))
            }
        }
        evaluator.run(statements)
        guard evaluator.diagnostics.isEmpty else { return .failure(Diagnostics(evaluator.diagnostics)) }
        return .success(evaluator.environment.catalog)
    }
}
