import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

import CTallyCatalog

/// The price catalog that ships with Tally, compiled into the binary from
/// `Sources/TallyKit/Catalog/bedrock.tally`.
package enum BuiltinCatalog {
    package static let fileName = "bedrock.tally"

    /// The catalog, or the diagnostics that kept it from loading. Loaded once
    /// per process.
    package static let loaded: Result<Catalog, Diagnostics> = load()

    /// The catalog's text as built in.
    package static var text: String {
        var count: UInt = 0
        let bytes = tally_builtin_catalog(&count)
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(count)), as: UTF8.self)
    }

    static func load() -> Result<Catalog, Diagnostics> {
        let file = SourceFile(name: fileName, text: text)
        if let source = CatalogSource(file: file) { return .success(Catalog(source: source)) }
        return load(source: file)
    }

    /// The whole catalog, every block read now: what the lazy reading must
    /// agree with, and the check that every block is valid.
    package static func loadEagerly() -> Result<Catalog, Diagnostics> {
        load(source: SourceFile(name: fileName, text: text))
    }

    /// Builds a catalog from Tally source made of `region` and `price` statements.
    package static func load(source: SourceFile) -> Result<Catalog, Diagnostics> {
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
