#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file (or standard input) to read records from.
package struct LogInput: Sendable {
    package let path: String
    /// Found by walking a directory: read only when its content looks like a log.
    package let found: Bool
}

/// A path Tally saw and did not read, and why.
package struct SkippedPath: Sendable, Equatable {
    package let path: String
    package let reason: String
}

/// The files named on the command line, and the log files in the directories
/// named, walked in AWS's S3 layout: the permission-check object and `data/`
/// folders (request and response bodies) are skipped, and so are symbolic
/// links inside a directory, so a walk never leaves the tree it was given.
package enum LogSources {
    package static let permissionCheck = "amazon-bedrock-logs-permission-check"

    package struct Expansion: Sendable {
        package var inputs: [LogInput] = []
        package var skipped: [SkippedPath] = []
        /// Paths that could not be read: `PATH: reason`.
        package var errors: [String] = []
    }

    package static func expand(_ paths: [String]) -> Expansion {
        var result = Expansion()
        for path in paths {
            if path == "-" {
                result.inputs.append(LogInput(path: "-", found: false))
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                result.errors.append("\(path): \(String(cString: strerror(errno)))")
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                walk(path, into: &result)
            } else {
                result.inputs.append(LogInput(path: path, found: false))
            }
        }
        return result
    }

    /// Depth first, names in byte order, with an explicit stack.
    static func walk(_ root: String, into result: inout Expansion) {
        var pending = [root]
        while let directory = pending.popLast() {
            guard let handle = opendir(directory) else {
                result.errors.append("\(directory): \(String(cString: strerror(errno)))")
                continue
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(validating: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                guard let name else {
                    // Its path could not be written back byte for byte.
                    result.skipped.append(SkippedPath(path: directory + "/\u{FFFD}", reason: "name is not UTF-8"))
                    continue
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(handle)
            var subdirectories: [String] = []
            for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else {
                    result.errors.append("\(path): \(String(cString: strerror(errno)))")
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR where name == "data":
                    result.skipped.append(SkippedPath(path: path + "/", reason: "body in data/"))
                case S_IFDIR:
                    subdirectories.append(path)
                case S_IFREG where name == permissionCheck:
                    result.skipped.append(SkippedPath(path: path, reason: "permission-check object"))
                case S_IFREG:
                    result.inputs.append(LogInput(path: path, found: true))
                case S_IFLNK:
                    result.skipped.append(SkippedPath(path: path, reason: "symbolic link (not followed)"))
                default:
                    result.skipped.append(SkippedPath(path: path, reason: "not a regular file"))
                }
            }
            pending.append(contentsOf: subdirectories.reversed())
        }
    }

    /// Opens a regular file (or standard input for `-`) without blocking on a FIFO.
    package static func open(_ input: LogInput) -> Result<Int32, LogReadError> {
        if input.path == "-" { return .success(STDIN_FILENO) }
        let fd = Glibc.open(input.path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            return .failure(.system(reason))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return .failure(.system(info.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : "it is not a regular file"))
        }
        return .success(fd)
    }
}

extension LogSources {
    /// The files `tally usage` would read for `paths`, for an engine to read
    /// instead: directories walked as the native reader walks them, and a file
    /// found in a walk kept only when its content looks like a log (gzip
    /// inflated to tell). Standard input cannot be handed on.
    package static func files(_ paths: [String]) -> Expansion {
        var expansion = expand(paths)
        var kept: [LogInput] = []
        for input in expansion.inputs {
            guard input.path != "-" else {
                expansion.errors.append("-: standard input cannot be read by an engine")
                continue
            }
            guard input.found else { kept.append(input); continue }
            switch open(input) {
            case .failure(let error):
                expansion.errors.append("\(input.path): \(error)")
            case .success(let fd):
                defer { close(fd) }
                do throws(LogReadError) {
                    if try LogStream.read(fd, sniff: true, sniffOnly: true, line: { _, _ in }, tooLong: { _ in }) {
                        kept.append(input)
                    } else {
                        expansion.skipped.append(SkippedPath(path: input.path, reason: "not a log file"))
                    }
                } catch {
                    expansion.errors.append("\(input.path): \(error)")
                }
            }
        }
        expansion.inputs = kept
        return expansion
    }
}
