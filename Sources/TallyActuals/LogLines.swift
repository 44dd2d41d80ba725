#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into lines in bounded memory: a line longer than
/// `maximumLine` is reported by number and dropped, never held.
package struct LineSplitter {
    /// Bedrock moves bodies over 100 KB to `data/`; a record line of 16 MiB is not a log line.
    package static let maximumLine = 16 << 20

    private var carry: [UInt8] = []
    private var overlong = false
    package private(set) var lineNumber = 0
    /// Bytes of a line whose newline has not come yet.
    package var inLine: Bool { overlong || !carry.isEmpty }

    package init() {}

    /// Hands each complete line (without its `\n` or `\r\n`) to `line`, and
    /// the number of each overlong one to `tooLong`.
    package mutating func feed(_ chunk: UnsafeRawBufferPointer, line: (UnsafeBufferPointer<UInt8>, Int) -> Void, tooLong: (Int) -> Void) {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = chunk.count
        var start = 0
        while start < count {
            guard let hit = memchr(base + start, 0x0A, count - start) else {
                let rest = count - start
                if !overlong {
                    if carry.count + rest > LineSplitter.maximumLine {
                        overlong = true
                        carry = []
                    } else {
                        carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: rest))
                    }
                }
                return
            }
            let end = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            lineNumber += 1
            if overlong || carry.count + (end - start) > LineSplitter.maximumLine {
                overlong = false
                carry = []
                tooLong(lineNumber)
            } else if carry.isEmpty {
                LineSplitter.emit(UnsafeBufferPointer(start: base + start, count: end - start), lineNumber, line)
            } else {
                carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                carry.withUnsafeBufferPointer { LineSplitter.emit($0, lineNumber, line) }
                carry.removeAll(keepingCapacity: carry.capacity <= 1 << 20)
            }
            start = end + 1
        }
    }

    /// The stream is over: its last line, when it has no newline.
    package mutating func finish(line: (UnsafeBufferPointer<UInt8>, Int) -> Void, tooLong: (Int) -> Void) {
        if overlong {
            lineNumber += 1
            tooLong(lineNumber)
        } else if !carry.isEmpty {
            lineNumber += 1
            carry.withUnsafeBufferPointer { LineSplitter.emit($0, lineNumber, line) }
        }
        overlong = false
        carry = []
    }

    private static func emit(_ bytes: UnsafeBufferPointer<UInt8>, _ number: Int, _ line: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        if let last = bytes.last, last == 0x0D {
            line(UnsafeBufferPointer(rebasing: bytes.dropLast()), number)
        } else {
            line(bytes, number)
        }
    }
}

/// Why a log file could not be read to its end.
package enum LogReadError: Error, Sendable, CustomStringConvertible {
    case system(String)
    case gzip(GzipError)

    package var description: String {
        switch self {
        case .system(let reason): reason
        case .gzip(let error): error.description
        }
    }
}

/// Reads one open file or stream to its end, inflating it when it starts
/// with gzip's magic bytes (whatever its name), one line at a time.
package enum LogStream {
    static let chunk = 1 << 20

    /// A chunk-sized buffer left unzeroed: only what a read filled is looked
    /// at, and a walk opens thousands of files (zeroing a MiB each was 9% of a run).
    static func uninitializedChunk() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: chunk) { _, count in count = chunk }
    }

    /// `{`, or a CloudWatch export's `YYYY-` timestamp (when that much is there to see).
    static func startsRecord(_ bytes: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard let first = bytes.first, first != UInt8(ascii: "{") else { return true }
        let head = Array(bytes.prefix(5))
        let digits = head.prefix(4).allSatisfy { (48...57).contains($0) }
        return digits && (head.count < 5 || head[4] == UInt8(ascii: "-"))
    }

    /// With `sniff`, content that does not start as a record (`startsRecord`)
    /// is not a log: false, nothing read.
    /// With `sniffOnly`, stops once the sniff has decided (nothing is read as lines).
    /// `consumed` hears how many bytes of the file each chunk was, once its lines are handed on.
    package static func read(_ fd: Int32, sniff: Bool, sniffOnly: Bool = false, line: (UnsafeBufferPointer<UInt8>, Int) -> Void,
                             tooLong: (Int) -> Void, consumed: (Int) -> Void = { _ in }) throws(LogReadError) -> Bool {
        var buffer = LogStream.uninitializedChunk()
        var splitter = LineSplitter()
        var inflater: GzipInflater?
        var decided = false
        var isLog = true
        var first = true
        func plain(_ bytes: UnsafeRawBufferPointer) {
            guard isLog else { return }
            if sniff, !decided, let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
                decided = true
                isLog = LogStream.startsRecord(bytes[start...])
                if !isLog { return }
            }
            if sniffOnly { return }
            splitter.feed(bytes, line: line, tooLong: tooLong)
        }
        while isLog, !(sniffOnly && decided) {
            var filled = 0
            // A whole chunk, or the end: so the magic bytes are never split.
            while filled < chunk {
                let n = buffer.withUnsafeMutableBytes { space -> Int in
                    guard let base = space.baseAddress else { return 0 }
                    return systemRead(fd, base + filled, chunk - filled)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EAGAIN { usleep(1000); continue }
                    throw .system(String(cString: strerror(errno)))
                }
                if n == 0 { break }
                filled += n
            }
            if filled == 0 { break }
            if first {
                first = false
                if filled >= 2, buffer[0] == 0x1F, buffer[1] == 0x8B {
                    do throws(GzipError) { inflater = try GzipInflater() } catch { throw .gzip(error) }
                }
            }
            let failure: GzipError? = buffer.withUnsafeBytes { all in
                let bytes = UnsafeRawBufferPointer(rebasing: all[..<filled])
                guard let inflater else {
                    plain(bytes)
                    return nil
                }
                do throws(GzipError) { try inflater.inflate(bytes, sink: plain) } catch { return error }
                return nil
            }
            if let failure { throw .gzip(failure) }
            consumed(filled)
            if filled < chunk { break }
        }
        guard isLog else { return false }
        if sniffOnly { return true }
        if let inflater {
            do throws(GzipError) { try inflater.finish() } catch { throw .gzip(error) }
        }
        splitter.finish(line: line, tooLong: tooLong)
        return true
    }
}

extension LogStream {
    /// The first bytes of a regular file (for gzip's magic and the sniff), without moving its offset.
    package static func head(_ fd: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 8)
        let n = bytes.withUnsafeMutableBytes { space in space.baseAddress.map { pread(fd, $0, 8, 0) } ?? 0 }
        return Array(bytes.prefix(max(0, n)))
    }

    /// The lines of a plain file that start inside `range` (the line running
    /// across its end read to its newline), so byte ranges that tile a file
    /// read each line once. Returns how many lines there were. `consumed`
    /// hears the bytes of the range each chunk was.
    package static func read(_ fd: Int32, range: Range<Int64>, line: (UnsafeBufferPointer<UInt8>, Int) -> Void,
                             tooLong: (Int) -> Void, consumed: (Int) -> Void = { _ in }) throws(LogReadError) -> Int {
        var buffer = LogStream.uninitializedChunk()
        var position = range.lowerBound
        /// Up to `count` bytes at `position`; 0 at the end.
        func fill(_ count: Int) throws(LogReadError) -> Int {
            while true {
                let n = buffer.withUnsafeMutableBytes { space in space.baseAddress.map { pread(fd, $0, count, off_t(position)) } ?? 0 }
                if n >= 0 { return n }
                if errno != EINTR { throw .system(String(cString: strerror(errno))) }
            }
        }
        if position > 0 {
            // The first line that starts at or after the range's start.
            position -= 1
            while true {
                let n = try fill(chunk)
                if n == 0 { return 0 }
                if let k = buffer.prefix(n).firstIndex(of: 0x0A) {
                    position += Int64(k + 1)
                    break
                }
                position += Int64(n)
                if position >= range.upperBound { return 0 }
            }
        }
        var splitter = LineSplitter()
        while position < range.upperBound {
            let n = try fill(Int(min(Int64(chunk), range.upperBound - position)))
            if n == 0 { break }
            buffer.withUnsafeBytes { splitter.feed(UnsafeRawBufferPointer(rebasing: $0[..<n]), line: line, tooLong: tooLong) }
            position += Int64(n)
            consumed(n)
        }
        while splitter.inLine {
            let n = try fill(chunk)
            if n == 0 { break }
            let end = buffer.prefix(n).firstIndex(of: 0x0A).map { $0 + 1 } ?? n
            buffer.withUnsafeBytes { splitter.feed(UnsafeRawBufferPointer(rebasing: $0[..<end]), line: line, tooLong: tooLong) }
            position += Int64(end)
        }
        splitter.finish(line: line, tooLong: tooLong)
        return splitter.lineNumber
    }
}

private func systemRead(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, into, count)
}
