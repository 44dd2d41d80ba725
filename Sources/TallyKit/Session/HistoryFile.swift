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
#if canImport(Glibc)
import Glibc
#endif

/// The prompt's history on disk: one entry a line, appended as each input is
/// accepted so a killed process loses nothing, readable by its owner only.
package struct HistoryFile: Sendable {
    package let path: String
    /// Entries kept; older ones are dropped when the file is loaded.
    package let limit: Int

    package static let defaultLimit = 1_000
    package static let largestLimit = 1_000_000

    /// The limit `TALLY_HISTORY_SIZE` asks for: a whole number from 1 to
    /// 1,000,000. Anything else gives a warning and the default; unset or
    /// empty, the default alone.
    package static func limit(from setting: String?) -> (limit: Int, warning: String?) {
        guard let setting, !setting.isEmpty else { return (defaultLimit, nil) }
        if let n = Int(setting), (1...largestLimit).contains(n) { return (n, nil) }
        return (defaultLimit, "tally: warning: TALLY_HISTORY_SIZE is not a whole number from 1 to 1,000,000; keeping the last 1,000 entries\n")
    }

    package init(path: String, limit: Int = HistoryFile.defaultLimit) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// `$TALLY_HISTORY`, else `$XDG_STATE_HOME/tally/history`, else
    /// `~/.local/state/tally/history`.
    package static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["TALLY_HISTORY"], !explicit.isEmpty { return explicit }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/tally/history" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/tally/history" }
        return nil
    }

    /// Whether an input belongs in the history: not blank, and not typed with
    /// a leading space (the shell convention for "keep this out").
    package static func records(_ input: String) -> Bool {
        !input.hasPrefix(" ") && !input.allSatisfy(\.isWhitespace)
    }

    /// The entries, oldest first. A file over the limit is trimmed on disk,
    /// through a temporary file renamed over it.
    package func load() -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return (try? locked {
            // Bounded like a script; a history that is not a regular file is not read.
            guard case .success(let read) = FileSystem.readText(path, root: nil, limit: Commands.maximumScriptBytes) else { return [] }
            var entries = read.text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            if entries.count > limit {
                entries = Array(entries.suffix(limit))
                try rewrite(entries)
            }
            return entries
        }) ?? []
    }

    /// Runs `body` holding an exclusive lock on `PATH.lock`, so two prompts
    /// never interleave a trim with an append: the trim renames a new file
    /// over the old, and an append to the old one would be lost.
    func locked<T>(_ body: () throws -> T) throws -> T {
        try ensureDirectory()
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HistoryError.cannotOpen(path + ".lock", String(cString: strerror(errno))) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw HistoryError.cannotOpen(path + ".lock", String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Appends one entry with a single `write`, creating the file (mode 0600)
    /// and its directory (0700) when needed.
    package func append(_ entry: String) throws {
        let line = entry.replacing("\n", with: " ") + "\n"
        try locked {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw HistoryError.cannotOpen(path, String(cString: strerror(errno))) }
            defer { close(fd) }
            let bytes = Array(line.utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw HistoryError.cannotWrite(path, String(cString: strerror(errno))) }
        }
    }

    func ensureDirectory() throws {
        let directory = Path.directory(of: path)
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    func rewrite(_ entries: [String]) throws {
        do throws(FileSystem.Failure) {
            try FileSystem.writeAtomically(entries.joined(separator: "\n") + "\n", to: path, mode: 0o600)
        } catch {
            throw HistoryError.cannotWrite(path, error.description)
        }
    }

    package enum HistoryError: Error, CustomStringConvertible {
        case cannotOpen(String, String)
        case cannotWrite(String, String)

        package var description: String {
            switch self {
            case .cannotOpen(let path, let why): "cannot open history \(path): \(why)"
            case .cannotWrite(let path, let why): "cannot write history \(path): \(why)"
            }
        }
    }
}
