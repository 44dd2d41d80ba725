import TallySyntax
import TallyRender

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Commands {
    /// `tally fmt`: lays out each script (`SourceFormatter`) and rewrites the
    /// ones that change, quietly, as `gofmt -w` does; a directory is walked
    /// for `*.tally` files. `-` formats standard input to standard output.
    /// With `check`, nothing is written: each script that would change is
    /// named and the status is 1. Status 2 when one could not be read or written.
    package static func format(paths: [String], check: Bool = false, color: Bool = false, allowOutside: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        let diagnostics = DiagnosticRenderer(color: color)
        for path in paths {
            var scripts: [String] = [path]
            if path != "-", FileSystem.status(path)?.kind == .directory {
                let walk = scriptFiles(under: path)
                scripts = walk.files
                for problem in walk.problems { output.fail("tally: error: cannot read \(Escaping.visible(problem))\n") }
            }
            for script in scripts {
                let file: SourceFile
                switch readFile(script, allowOutside: allowOutside, streams: script == "-") {
                case .success(let read): file = read
                case .failure(let d):
                    output.fail(diagnostics.render(d))
                    continue
                }
                let formatted = SourceFormatter.format(file.text)
                if script == "-" && !check {
                    output.stdout += formatted
                    continue
                }
                guard formatted != file.text else { continue }
                if check {
                    output.stderr += "tally: \(Escaping.visible(script == "-" ? "<stdin>" : script)) would be reformatted\n"
                    output.status = max(output.status, 1)
                    continue
                }
                do {
                    try FileSystem.writeAtomically(formatted, to: script)
                } catch {
                    output.fail("tally: error: cannot write \(Escaping.visible(script)): \(error)\n")
                }
            }
        }
        return output
    }

    /// The `*.tally` files in a directory and those below it, depth first,
    /// names in byte order. A walk follows no symbolic link, so it never
    /// leaves the tree, and skips hidden entries (`.git`, `.build`).
    static func scriptFiles(under root: String) -> (files: [String], problems: [String]) {
        var files: [String] = []
        var problems: [String] = []
        var pending = [root]
        while let directory = pending.popLast() {
            guard let handle = opendir(directory) else {
                problems.append("\(directory): \(FileSystem.Failure.system())")
                continue
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(validating: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if let name, !name.hasPrefix(".") { names.append(name) }
            }
            closedir(handle)
            var subdirectories: [String] = []
            for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: subdirectories.append(path)
                case S_IFREG where name.hasSuffix(".tally"): files.append(path)
                default: break
                }
            }
            pending.append(contentsOf: subdirectories.reversed())
        }
        return (files, problems)
    }
}
