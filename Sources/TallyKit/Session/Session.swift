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

/// What running one input produced.
package struct Outcome: Sendable {
    package var shown: [ShowItem] = []
    package var assertions: [AssertionResult] = []
    package var diagnostics: [Diagnostic] = []
    /// The value of the last bare expression.
    package var lastValue: Value?
    /// Workloads the input declared, in order.
    package var declaredWorkloads: [Value] = []

    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    package var failedAssertions: [AssertionResult] { assertions.filter { !$0.passed } }

    /// 0 ok, 1 an assertion failed, 2 the input was wrong.
    package var exitStatus: Int32 {
        if hasErrors { return 2 }
        return failedAssertions.isEmpty ? 0 : 1
    }
}

/// The state scripts and the prompt share: declarations, the catalog with a
/// script's overrides, and the rules for reading imported files. Front ends
/// (the command line, the REPL) drive Tally through this type.
package struct Session: Sendable {
    package private(set) var environment: Environment
    /// The REPL lets a name be declared again; scripts may not.
    package var allowsRedefinition = false
    /// Imports may not leave this directory; nil means the directory of each
    /// file run (so `eval -f A -f B` and `:load` bound each file by its own).
    package var importRoot: String?
    /// Reads imports instead of the file system (`tally diff --git` reads
    /// them at a revision): given the path as written and the `import`'s span.
    package var importReader: (@Sendable (String, Span) throws(Diagnostic) -> SourceFile)?
    /// `--set NAME=EXPR`: replaces the value of `let NAME` wherever it is run.
    package var overrides: [String: Expr] = [:]
    /// The overrides some `let` used.
    package private(set) var usedOverrides: Set<String> = []

    package init(catalog: Catalog) {
        environment = Environment(catalog: catalog)
    }

    /// A session over Tally's built-in catalog.
    package static func standard() -> Result<Session, Diagnostics> {
        BuiltinCatalog.loaded.map { Session(catalog: $0) }
    }

    /// Runs a whole input. With `transactional`, an input that reports any error
    /// leaves the session exactly as it was.
    package mutating func run(_ file: SourceFile, transactional: Bool = false) -> Outcome {
        DeepStack.run { runHere(file, transactional: transactional) }
    }

    mutating func runHere(_ file: SourceFile, transactional: Bool) -> Outcome {
        let (statements, syntaxErrors) = Parser.parse(file)
        var outcome = Outcome()
        if !syntaxErrors.isEmpty && transactional {
            outcome.diagnostics = syntaxErrors
            return outcome
        }
        var evaluator = Evaluator(environment: environment)
        evaluator.allowsRedefinition = allowsRedefinition
        let root = importRoot ?? Session.directory(of: file.name)
        if let importReader {
            evaluator.importer = importReader
        } else {
            evaluator.importer = { (path: String, span: Span) throws(Diagnostic) -> SourceFile in
                try Session.readImport(path, from: span, root: root)
            }
        }
        evaluator.actuals = { (query: UsageQuery, span: Span) throws(Diagnostic) -> Breakdown in
            try Session.readUsage(query, from: span, root: root)
        }
        evaluator.overrides = overrides
        evaluator.importKey = Session.canonicalKey
        let key = Session.canonicalKey(file.name)
        evaluator.importStack = [key]
        evaluator.environment.imported.insert(key)
        evaluator.run(consume statements)
        usedOverrides.formUnion(evaluator.usedOverrides)
        outcome.shown = evaluator.shown
        outcome.assertions = evaluator.assertions
        outcome.diagnostics = Diagnostic.bounded((syntaxErrors + evaluator.diagnostics).sorted(by: Session.sourceOrder))
        outcome.lastValue = evaluator.lastValue
        outcome.declaredWorkloads = evaluator.declaredWorkloads
        if !(transactional && outcome.hasErrors) {
            environment = evaluator.environment
        }
        return outcome
    }

    /// Binds `_` to the last result the prompt printed.
    package mutating func setLastResult(_ value: Value) {
        let file = SourceFile(name: "<prompt>", text: "_")
        environment.bind("_", .init(kind: .let, value: value, span: Span(file: file, start: 0, end: 1)))
    }

    /// Parses one expression on its own, as `--set` and `eval` take them.
    package static func parseExpression(_ file: SourceFile) -> Result<Expr, Diagnostics> {
        DeepStack.run { parseExpressionHere(file) }
    }

    static func parseExpressionHere(_ file: SourceFile) -> Result<Expr, Diagnostics> {
        let (tokens, lexical) = Lexer.tokenize(file)
        var parser = Parser(tokens: tokens)
        var diagnostics = lexical
        var expression: Expr?
        parser.skipSeparators()
        do throws(Diagnostic) {
            expression = try parser.parseExpression()
            parser.skipSeparators()
            if !parser.check(.end) { throw parser.endOfStatementError() }
        } catch {
            diagnostics.append(error)
        }
        diagnostics += parser.diagnostics
        guard diagnostics.isEmpty, let expression else { return .failure(Diagnostics(Diagnostic.bounded(diagnostics))) }
        return .success(expression)
    }

    /// Binds a value to a name directly, as `--set` does for a name no `let` declared.
    package mutating func define(_ name: String, _ expression: Expr) -> Result<Void, Diagnostics> {
        let evaluator = Evaluator(environment: environment)
        do {
            let value = try DeepStack.run { Result { () throws(Diagnostic) in try evaluator.evaluate(expression) } }.get()
            environment.bind(name, .init(kind: .let, value: value, span: expression.span, declaration: expression.span))
            return .success(())
        } catch {
            return .failure(Diagnostics([error]))
        }
    }

    /// Evaluates one expression against the session, changing nothing.
    package func evaluate(_ file: SourceFile) -> Result<Value, Diagnostics> {
        DeepStack.run { evaluateHere(file) }
    }

    func evaluateHere(_ file: SourceFile) -> Result<Value, Diagnostics> {
        let expression: Expr
        switch Session.parseExpressionHere(file) {
        case .success(let e): expression = e
        case .failure(let errors): return .failure(errors)
        }
        let evaluator = Evaluator(environment: environment)
        do throws(Diagnostic) {
            return .success(try evaluator.evaluate(expression))
        } catch {
            return .failure(Diagnostics(error.isFollowOn ? [] : [error]))
        }
    }

    static func sourceOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        guard let sa = a.span, let sb = b.span else { return a.span != nil && b.span == nil }
        if sa.file !== sb.file { return false }
        return sa.start < sb.start
    }

    static func directory(of path: String) -> String {
        let base = path.hasPrefix("<") ? FileManager.default.currentDirectoryPath : Path.directory(of: path)
        let absolute = base.isEmpty ? FileManager.default.currentDirectoryPath
            : Path.resolved(base, against: FileManager.default.currentDirectoryPath)
        return FileSystem.realPath(absolute) ?? absolute
    }

    /// Whether `path`, taken by its text alone against the real directory
    /// `base`, leaves `root`: checked before anything is looked up, so a
    /// script cannot learn whether something exists outside its tree.
    static func leavesByText(_ path: String, base: String, root: String) -> Bool {
        !Path.isInside(Path.normalized(Path.resolved(path, against: base)), root)
    }

    /// A file's identity for imports: its real path when it is on disk.
    static func canonicalKey(_ name: String) -> String {
        name.hasPrefix("<") ? name : (FileSystem.realPath(name) ?? name)
    }

    /// Reads `path`, relative to the importing file, refusing anything that
    /// resolves outside `root` (by `..` or by a symbolic link).
    static func readImport(_ path: String, from span: Span, root: String) throws(Diagnostic) -> SourceFile {
        let base = directory(of: span.file.name)
        let joined = Path.resolved(path, against: base)
        let read = leavesByText(path, base: base, root: root) ? .failure(.outside(root))
            : FileSystem.readText(joined, root: root, limit: Commands.maximumScriptBytes)
        switch read {
        case .success(let read):
            return SourceFile(name: relativeName(read.realPath), text: read.text)
        case .failure(let failure):
            let hints = if case .outside = failure { ["imports stay inside the directory of the script Tally was asked to run"] } else { [String]() }
            throw Diagnostic(.io, "cannot import \"\(path)\": \(failure)", at: span, hints: hints)
        }
    }

    /// A path relative to the working directory when it lies below it.
    static func relativeName(_ path: String) -> String {
        let cwd = FileSystem.realPath(FileManager.default.currentDirectoryPath) ?? FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
