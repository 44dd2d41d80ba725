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

    /// The catalog, or the diagnostics that kept it from loading. Its index
    /// is built the first time a model is looked up (`Shelf`), so a command
    /// that prices nothing — `tally eval '1+1'` — never scans the catalog.
    package static let loaded: Result<Catalog, Diagnostics> = .success(Catalog(source: Shelf()))

    /// The index of the built-in catalog's blocks, built on first use (a
    /// static `let` is initialised once, thread-safely, when first read).
    static let index: CatalogSource? = CatalogSource(bytes: bytes) { SourceFile(name: fileName, text: text) }

    /// Should the byte-level index ever fail to read the built-in catalog,
    /// every block read at once instead (CatalogSourcesTests holds the index
    /// to reading it, and the eager reading to succeeding).
    static let eager: Catalog? = try? loadEagerly().get()

    /// The built-in catalog, read a model at a time on first use.
    struct Shelf: CatalogShelf {
        func owner(of name: String) -> String? {
            if let index = BuiltinCatalog.index { return index.owner(of: name) }
            return BuiltinCatalog.eager?.canonicalName(name)
        }

        var allNames: [String] {
            if let index = BuiltinCatalog.index { return index.allNames }
            return BuiltinCatalog.eager?.allNames ?? []
        }

        func model(named name: String) -> ModelPrice? {
            if let index = BuiltinCatalog.index { return index.model(named: name) }
            return BuiltinCatalog.eager?.model(named: name)
        }

        func candidates(mentioning needle: String) -> Set<String>? {
            BuiltinCatalog.index?.candidates(mentioning: needle)
        }

        var allModels: [ModelPrice] {
            if let index = BuiltinCatalog.index { return index.allModels }
            return BuiltinCatalog.eager?.sortedModels ?? []
        }
    }

    /// The catalog's bytes as built in: static, never freed.
    static var bytes: UnsafeBufferPointer<UInt8> {
        var count: UInt = 0
        let start = tally_builtin_catalog(&count)
        return UnsafeBufferPointer(start: start, count: Int(count))
    }

    /// The catalog's text as built in.
    package static var text: String {
        String(decoding: bytes, as: UTF8.self)
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
