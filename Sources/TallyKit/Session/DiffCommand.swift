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


package enum DiffFormat: String, CaseIterable, Sendable {
    case text, json, markdown, html
}

extension Commands {
    /// The workloads a script declares, or the diagnostics that stopped it.
    static func breakdowns(of file: SourceFile, session: Session) -> Result<[Breakdown], Diagnostics> {
        var session = session
        let outcome = session.run(file)
        if outcome.hasErrors { return .failure(Diagnostics(outcome.diagnostics)) }
        return .success(session.environment.workloads.map(\.1))
    }

    /// The workloads of a script on disk; on failure the diagnostics are
    /// written to `output` with status 2.
    static func breakdowns(at path: String, session: Session, into output: inout CommandOutput, color: Bool, allowOutside: Bool) -> [Breakdown]? {
        guard let file = readFile(path, allowOutside: allowOutside, into: &output, color: color) else { return nil }
        switch breakdowns(of: file, session: session) {
        case .success(let b): return b
        case .failure(let errors):
            output.fail(DiagnosticRenderer(color: color).render(errors.all))
            return nil
        }
    }

    /// `tally diff OLD NEW`
    package static func diff(old: String, new: String, format: DiffFormat = .text, failAbove: String? = nil, color: Bool = false, allowOutside: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        guard let session = standardSession(into: &output, color: color) else { return output }
        var sides: [[Breakdown]] = []
        for path in [old, new] {
            guard let b = breakdowns(at: path, session: session, into: &output, color: color, allowOutside: allowOutside) else { return output }
            sides.append(b)
        }
        do throws(InexactFigure) {
            let diff = try CostDiff(file: new, beforeLabel: old, afterLabel: new, before: sides[0], after: sides[1])
            return finishDiff([diff], format: format, failAbove: failAbove, color: color, output: output)
        } catch {
            return tooLarge(new, into: output)
        }
    }

    /// `tally diff --git REV FILE…`: each file at REV, read through git, against
    /// the working tree. A file only in the tree is all added, one only at REV
    /// all removed; one in neither is an error.
    package static func diffGit(revision: String, files: [String], format: DiffFormat = .text, failAbove: String? = nil, color: Bool = false, allowOutside: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        guard let standard = standardSession(into: &output, color: color) else { return output }
        var diffs: [CostDiff] = []
        for path in files {
            // Before: the file as committed at REV, its imports read at REV too.
            let treePath = Git.treePath(path)
            var before: [Breakdown]?
            switch Git.show(revision: revision, path: treePath) {
            case .failure(let failure):
                output.fail("tally: error: \(failure.message)\n")
                return output
            case .success(nil):
                break
            case .success(let text?):
                var session = standard
                session.importReader = { (importPath: String, span: Span) throws(Diagnostic) -> SourceFile in
                    try Git.readImport(importPath, from: span, revision: revision, of: treePath)
                }
                switch breakdowns(of: SourceFile(name: "\(revision):\(treePath)", text: text), session: session) {
                case .success(let b): before = b
                case .failure(let errors):
                    output.fail(DiagnosticRenderer(color: color).render(errors.all))
                    return output
                }
            }
            // After: the working tree. Anything at the path, even a dangling
            // link, is read (and its problems reported).
            var after: [Breakdown]?
            if FileSystem.exists(path) {
                guard let b = breakdowns(at: path, session: standard, into: &output, color: color, allowOutside: allowOutside) else { return output }
                after = b
            }
            if before == nil && after == nil {
                output.fail("tally: error: cannot read \(path): no such file in the working tree or at \(revision)\n")
                return output
            }
            do throws(InexactFigure) {
                diffs.append(try CostDiff(file: path, beforeLabel: revision, afterLabel: "working tree", before: before ?? [], after: after ?? []))
            } catch {
                return tooLarge(path, into: output)
            }
        }
        return finishDiff(diffs, format: format, failAbove: failAbove, color: color, output: output)
    }

    /// A diff whose totals cannot be held exactly is not shown: exit 2.
    static func tooLarge(_ file: String, into output: CommandOutput) -> CommandOutput {
        var output = output
        output.fail("tally: error: the cost totals of \(Escaping.visible(file)) cannot be computed exactly\n")
        return output
    }

    static func finishDiff(_ diffs: [CostDiff], format: DiffFormat, failAbove: String?, color: Bool, output: CommandOutput) -> CommandOutput {
        var output = output
        let all: CostDiff.Totals
        do throws(InexactFigure) {
            all = try CostDiff.Totals(diffs)
        } catch {
            return tooLarge("all files", into: output)
        }
        var limit: DiffLimit?
        if let failAbove {
            switch DiffLimit.parse(failAbove) {
            case .success(let l): limit = l
            case .failure(let errors):
                output.fail(DiagnosticRenderer(color: color).render(errors.all))
                return output
            }
        }
        switch format {
        case .text: output.stdout += DiffRenderer.text(diffs, all: all, color: color)
        case .json: output.stdout += DiffRenderer.json(diffs, all: all, limit: limit).rendered(indent: 2) + "\n"
        case .markdown: output.stdout += DiffRenderer.markdown(diffs, all: all)
        case .html: output.stdout += HTMLReport.diff(diffs, all: all)
        }
        if let limit, let breach = limit.breach(all) {
            output.stderr += "tally: the increase \(breach) is above --fail-above \(limit.text)\n"
            output.status = 1
        }
        return output
    }
}

extension DiffLimit {
    package static func parse(_ text: String) -> Result<DiffLimit, Diagnostics> {
        switch Session.parseExpression(SourceFile(name: "--fail-above", text: text)) {
        case .failure(let errors): return .failure(errors)
        case .success(let expr):
            guard let session = try? Session.standard().get() else { return .failure(Diagnostics([])) }
            switch session.evaluate(SourceFile(name: "--fail-above", text: text)) {
            case .failure(let errors): return .failure(errors)
            case .success(let value):
                if let q = value.quantity, q.dimension.isDimensionless {
                    return .success(DiffLimit(text: text, share: q.value, perMonth: nil))
                }
                if let q = value.quantity, q.dimension == .moneyPerTime, let perMonth = q.per(Units.month) {
                    return .success(DiffLimit(text: text, share: nil, perMonth: perMonth))
                }
                return .failure(Diagnostics([Diagnostic(.dimension, "--fail-above takes a share such as 10% or money per time such as $500/month", at: expr.span)]))
            }
        }
    }
}

/// Reading files as they were at a git revision, without a checkout.
enum Git {
    /// The file's text at `revision`, nil when it did not exist there.
    struct Failure: Error {
        let message: String
    }

    /// `path` as git names it at a revision: relative to the working
    /// directory, with `./` so git reads it so. An absolute path (its
    /// directory's real path, so a symbolic link on the way does not matter)
    /// is made relative too: git would read `REV:/a/b` from the top of the tree.
    static func treePath(_ path: String) -> String {
        guard let cwd = FileSystem.currentDirectory() else { return path }
        var absolute = Path.normalized(Path.resolved(path, against: cwd))
        if path.hasPrefix("/"), let directory = FileSystem.realPath(Path.directory(of: absolute)) {
            absolute = Path.normalized(directory + "/" + Path.lastComponent(absolute))
        }
        return Path.relative(absolute, to: cwd)
    }

    /// The text of `path` (relative to the working directory) at `revision`,
    /// nil when it did not exist there; more than a script may be is an error.
    static func show(revision: String, path: String) -> Result<String?, Failure> {
        guard !revision.hasPrefix("-") else { return .failure(Failure(message: "not a revision: \(revision)")) }
        let spec = "\(revision):./\(path)"
        let output: ChildProcess.Output
        do throws(FileSystem.Failure) {
            output = try ChildProcess.run(["git", "show", "--no-textconv", spec], limit: Commands.maximumScriptBytes)
        } catch {
            return .failure(Failure(message: "cannot run git: \(error)"))
        }
        if output.exceeded { return .failure(Failure(message: "cannot read \(spec): \(FileSystem.ReadFailure.tooLarge)")) }
        if output.status == 0 { return .success(String(decoding: output.stdout, as: UTF8.self)) }
        let message = String(decoding: output.stderr, as: UTF8.self)
        if message.contains("exists on disk, but not in") || message.contains("does not exist in") {
            return .success(nil)
        }
        return .failure(Failure(message: "git show \(spec): " + message.trimmingWhitespaceAndNewlines()))
    }

    /// An `import` inside a file read at a revision: read at the same
    /// revision, relative to the importing file, never above its directory.
    static func readImport(_ path: String, from span: Span, revision: String, of root: String) throws(Diagnostic) -> SourceFile {
        let rootDirectory = Path.directory(of: root)
        let label = "\(revision):"
        let importing = span.file.name.hasPrefix(label) ? String(span.file.name.dropFirst(label.count)) : root
        var parts = Path.directory(of: importing).split(separator: "/").map(String.init)
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else {
                    throw Diagnostic(.io, "cannot import \"\(path)\": it is outside the script's directory", at: span)
                }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        let resolved = parts.joined(separator: "/")
        guard !path.hasPrefix("/"), rootDirectory.isEmpty || resolved.hasPrefix(rootDirectory + "/") else {
            throw Diagnostic(.io, "cannot import \"\(path)\": it is outside the script's directory", at: span)
        }
        switch show(revision: revision, path: resolved) {
        case .success(let text?): return SourceFile(name: "\(revision):\(resolved)", text: text)
        case .success(nil): throw Diagnostic(.io, "cannot import \"\(path)\": no such file at \(revision)", at: span)
        case .failure(let failure): throw Diagnostic(.io, "cannot import \"\(path)\": \(failure.message)", at: span)
        }
    }
}
