// `tally lsp`'s wire: JSON-RPC messages framed by `Content-Length` headers
// (the Language Server Protocol's base protocol) on two descriptors.
import TallySyntax
import TallyRender

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads framed messages from a descriptor and writes framed replies.
/// Bounded: a header past 8 KiB or a body past `maximumBody` ends the
/// connection with an error rather than being held.
struct LSPConnection {
    static let maximumHeader = 8 << 10
    static let maximumBody = 80 << 20

    enum ReadError: Error, Equatable, CustomStringConvertible {
        case closed
        case malformed(String)

        var description: String {
            switch self {
            case .closed: "the client closed the connection"
            case .malformed(let why): why
            }
        }
    }

    let input: Int32
    let output: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    /// Waits up to `milliseconds` (-1: for ever) for input; true when some
    /// is buffered or readable.
    func waitForInput(milliseconds: Int32) -> Bool {
        if start < buffer.count { return true }
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        while true {
            let n = poll(&descriptor, 1, milliseconds)
            if n < 0, errno == EINTR { continue }
            return n > 0
        }
    }

    /// The next message's body, reading as needed.
    mutating func read() throws(ReadError) -> [UInt8] {
        while true {
            if let (bodyStart, length) = try frame(), buffer.count - bodyStart >= length {
                let body = Array(buffer[bodyStart..<(bodyStart + length)])
                start = bodyStart + length
                if start > 1 << 16, start * 2 > buffer.count {
                    buffer.removeFirst(start)
                    start = 0
                }
                return body
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw .closed }
            buffer += chunk[0..<n]
        }
    }

    /// Where the buffered message's body starts and how long it is, once its
    /// header is complete; nil while it is not.
    private func frame() throws(ReadError) -> (Int, Int)? {
        let available = buffer.count - start
        guard available > 0 else { return nil }
        let end = Swift.min(buffer.count, start + LSPConnection.maximumHeader)
        var i = start
        while i + 3 < end {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { break }
            i += 1
        }
        guard i + 3 < end else {
            if available >= LSPConnection.maximumHeader { throw .malformed("a message header longer than 8 KiB") }
            return nil
        }
        var length: Int?
        for line in String(decoding: buffer[start..<i], as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw .malformed("a header line without `:`") }
            if parts[0].lowercased() == "content-length" {
                guard let n = Int(parts[1].filter { $0 != " " && $0 != "\t" }), n >= 0 else {
                    throw .malformed("a Content-Length that is not a count")
                }
                length = n
            }
        }
        guard let length else { throw .malformed("a message without Content-Length") }
        guard length <= LSPConnection.maximumBody else { throw .malformed("a message larger than \(LSPConnection.maximumBody >> 20) MiB") }
        return (i + 4, length)
    }

    /// Writes one message; false when the client has gone.
    @discardableResult
    func write(_ message: JSON) -> Bool {
        let body = message.rendered()
        return FileSystem.write("Content-Length: \(body.utf8.count)\r\n\r\n" + body, to: output)
    }
}
