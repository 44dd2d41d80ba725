import TallyQuantities
import TallySyntax
import TallyPricing
import TallyLanguage
import TallyRender

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What Tally needs of the file system and standard streams, on POSIX calls:
/// every failure carries the system's reason.
package enum FileSystem {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String

        /// The reason `errno` gives now.
        static func system() -> Failure { Failure(description: String(cString: strerror(errno))) }
    }

    enum Kind { case file, directory, other }

    /// What is at `path` and its size in bytes, following symbolic links;
    /// nil when nothing is there.
    static func status(_ path: String) -> (kind: Kind, size: Int)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        return (kind, Int(info.st_size))
    }

    /// Why a script could not be read.
    enum ReadFailure: Error, Equatable, CustomStringConvertible {
        case missing
        case directory
        /// A FIFO, a device or a socket.
        case notRegular
        /// The file opened lies outside this real path.
        case outside(String)
        case tooLarge
        case notText
        case system(String)

        var description: String {
            switch self {
            case .missing: "no such file"
            case .directory: "it is a directory"
            case .notRegular: "it is not a regular file"
            case .outside(let root): "it is outside \(root)"
            case .tooLarge: "it is larger than the \(Commands.maximumScriptBytes >> 20) MiB a script may be"
            case .notText: "it is not UTF-8 text"
            case .system(let reason): reason
            }
        }
    }

    /// Reads the regular file at `path` as UTF-8 text, from one descriptor,
    /// so what is checked is what is read: opened without blocking (a FIFO
    /// never hangs), then its type, and with a `root` its real path, are
    /// taken from the descriptor itself, so a swap of any component in
    /// between cannot lead the read elsewhere. At most `limit` bytes. Returns
    /// the text and the real path of the file read.
    /// With `streams`, a FIFO or a device is read too, as `cat` would: a
    /// FIFO waits for its writer, and either is read to its end or past
    /// `limit`. An anonymous one (opened through a link into `/proc`) lies
    /// in no tree.
    static func readText(_ path: String, root: String?, limit: Int, streams: Bool = false) -> Result<(text: String, realPath: String), ReadFailure> {
        // Not even opened when it visibly leads out (a device's open may act).
        if let root, let resolved = realPath(path), !Path.isInside(resolved, root) { return .failure(.outside(root)) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .system(String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        let kind = info.st_mode & S_IFMT
        switch kind {
        case S_IFREG: break
        case S_IFDIR: return .failure(.directory)
        case S_IFIFO where streams, S_IFCHR where streams: break
        default: return .failure(.notRegular)
        }
        let stream = kind != S_IFREG
        let opened = openedPath(fd)
        if let root, !(stream && opened == nil) {
            guard let opened else { return .failure(.system("cannot tell where it leads")) }
            guard Path.isInside(opened, root) else { return .failure(.outside(root)) }
        }
        let size = stream ? 0 : Int(info.st_size)
        guard size <= limit else { return .failure(.tooLarge) }
        let bytes = stream ? readStream(fd, fifo: kind == S_IFIFO, limit: limit + 1) : readAll(fd, limit: limit + 1, expected: size)
        guard let bytes else { return .failure(.system(String(cString: strerror(errno)))) }
        guard bytes.count <= limit else { return .failure(.tooLarge) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notText) }
        return .success((text, opened ?? path))
    }

    /// A FIFO or device opened without blocking, read blocking: a FIFO is
    /// opened again through its descriptor (the same one, not its path, so
    /// nothing can be swapped in), which waits for a writer as `cat` does.
    private static func readStream(_ fd: Int32, fifo: Bool, limit: Int) -> [UInt8]? {
        #if os(Linux)
        if fifo {
            let blocking = open("/proc/self/fd/\(fd)", O_RDONLY | O_NOCTTY | O_CLOEXEC)
            guard blocking >= 0 else { return nil }
            defer { close(blocking) }
            return readAll(blocking, limit: limit, expected: 0)
        }
        #endif
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 else { return nil }
        return readAll(fd, limit: limit, expected: 0)
    }

    /// The descriptor a path names outright: `/dev/stdin` is 0, `/dev/fd/N`
    /// and `/proc/self/fd/N` are N (what a shell's `<(…)` passes); nil for
    /// any other path.
    static func descriptor(named path: String) -> Int32? {
        if path == "/dev/stdin" { return STDIN_FILENO }
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
            let digits = path.utf8.dropFirst(prefix.utf8.count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let n = Int32(String(decoding: digits, as: UTF8.self)) else { return nil }
            return n
        }
        return nil
    }

    /// The real path of an open file, from the kernel: nil when it cannot say.
    static func openedPath(_ fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        #if os(Linux)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0, buffer[0] == CChar(UInt8(ascii: "/")) else { return nil }
        #else
        guard fcntl(fd, F_GETPATH, &buffer) == 0, let n = buffer.firstIndex(of: 0) else { return nil }
        #endif
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The real path of `path`: every symbolic link, `.` and `..` resolved;
    /// nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The working directory's real path, nil when it is gone.
    static func currentDirectory() -> String? {
        guard let cwd = getcwd(nil, 0) else { return nil }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// Whether anything, even a dangling symbolic link, is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Up to `limit` bytes of a descriptor, read to its end or to the limit;
    /// `expected` is a hint for the buffer's size. Nil on a read error, with `errno` set.
    static func readAll(_ fd: Int32, limit: Int, expected: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expected, 0), limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, wanted) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// Writes all of `text` to a file descriptor, through short writes and
    /// interruptions; false on an error.
    @discardableResult
    package static func write(_ text: String, to fd: Int32) -> Bool {
        (try? writeAll(text, to: fd)) != nil
    }

    /// Writes all of `text` to a file descriptor, or throws the system's reason.
    package static func writeAll(_ text: String, to fd: Int32) throws(Failure) {
        var text = text
        guard text.withUTF8({ writeFully($0, to: fd) }) else { throw .system() }
    }

    /// Replaces the file at `path` whole, or not at all: the text goes to a
    /// new temporary file in the same directory, with a name nobody can
    /// guess or plant a link at (`O_EXCL|O_NOFOLLOW`), is synced, then
    /// renamed over the target. Only a regular file is replaced, keeping its
    /// permissions; a new file gets `mode`, less the umask.
    static func writeAtomically(_ text: String, to path: String, mode: mode_t = 0o644) throws(Failure) {
        var info = stat()
        var keptMode: mode_t?
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: keptMode = info.st_mode & 0o777
            case S_IFLNK: throw Failure(description: "it is a symbolic link, and Tally replaces only regular files")
            case S_IFDIR: throw Failure(description: "it is a directory")
            default: throw Failure(description: "it is not a regular file, and Tally replaces only regular files")
            }
        } else if errno != ENOENT {
            throw .system()
        }
        let directory = Path.directory(of: path)
        let prefix = (directory.isEmpty ? "." : directory) + "/.tally-"
        var generator = SystemRandomNumberGenerator()
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<8 {
            temporary = prefix + String(generator.next() as UInt64, radix: 16) + String(generator.next() as UInt64, radix: 16) + ".tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, keptMode ?? mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw .system() }
        var text = text
        var done = text.withUTF8 { writeFully($0, to: fd) }
        if done, let keptMode { done = fchmod(fd, keptMode) == 0 }
        if done { done = fsync(fd) == 0 }
        let failure = done ? nil : Failure.system()
        let closed = close(fd) == 0
        guard done, closed, rename(temporary, path) == 0 else {
            let reason = failure ?? .system()
            unlink(temporary)
            throw reason
        }
        // So the rename itself survives a crash.
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}

/// Writes all of `buffer` to a file descriptor, through short writes and
/// interruptions; false on an error, with `errno` set.
private func writeFully(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Bool {
    guard let base = buffer.baseAddress else { return true }
    var offset = 0
    while offset < buffer.count {
        let n = write(fd, base + offset, buffer.count - offset)
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { return false }
        offset += n
    }
    return true
}

/// Runs a program with no shell between, as `tally diff` runs `git show`.
enum ChildProcess {
    struct Output {
        /// The exit status; 128 plus the signal's number when a signal ended it.
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// An output passed the limit: the child was killed, and what it
        /// wrote is cut short.
        var exceeded = false
    }

    /// Runs `arguments[0]`, found on `PATH`, with standard input from
    /// /dev/null, and collects both its outputs. Past `limit` bytes of
    /// either, the child is killed. `LC_ALL=C`, so its messages
    /// can be recognised.
    static func run(_ arguments: [String], limit: Int = .max) throws(FileSystem.Failure) -> Output {
        guard !arguments.isEmpty else { throw FileSystem.Failure(description: "no program to run") }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw .system() }
        guard pipe(&errPipe) == 0 else {
            let failure = FileSystem.Failure.system()
            close(outPipe[0]); close(outPipe[1])
            throw failure
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // The child starts with no signal blocked and every handler at its default.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        var envp: [UnsafeMutablePointer<CChar>?] = [strdup("LC_ALL=C")]
        var inherited = environ
        while let entry = inherited.pointee {
            if strncmp(entry, "LC_ALL=", 7) != 0 { envp.append(strdup(entry)) }
            inherited += 1
        }
        envp.append(nil)
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw FileSystem.Failure(description: String(cString: strerror(spawned)))
        }
        var output = Output(status: 0, stdout: [], stderr: [])
        // Both pipes at once, so a child filling one is never blocked on the other.
        var reading: [(fd: Int32, isOut: Bool)] = [(outPipe[0], true), (errPipe[0], false)]
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !reading.isEmpty {
            var fds = reading.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            var finished: [Int32] = []
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 {
                    finished.append(entry.fd)
                } else if reading[index].isOut {
                    output.stdout += chunk[0..<n]
                } else {
                    output.stderr += chunk[0..<n]
                }
            }
            for fd in finished { close(fd) }
            reading.removeAll { finished.contains($0.fd) }
            if output.stdout.count > limit || output.stderr.count > limit {
                output.exceeded = true
                kill(pid, SIGKILL)
                break
            }
        }
        for entry in reading { close(entry.fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw .system() }
        }
        let signal = status & 0x7f
        output.status = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return output
    }
}
