import CZlib

/// Why gzip input could not be inflated.
package enum GzipError: Error, Equatable, CustomStringConvertible {
    /// zlib refused to start (out of memory).
    case unavailable
    /// The bytes are not gzip, or are damaged; zlib's own message.
    case corrupt(String)
    /// The input ended inside a member.
    case truncated

    package var description: String {
        switch self {
        case .unavailable: "gzip: zlib could not start"
        case .corrupt(let message): "gzip: damaged input (\(message))"
        case .truncated: "gzip: the input ends inside a compressed member"
        }
    }
}

/// Streams gzip into plain bytes, chunk by chunk, in bounded memory. A file of
/// several gzip members (what `cat a.gz b.gz` makes) inflates to their
/// concatenation, as `gunzip` does.
package final class GzipInflater {
    private var stream = z_stream()
    private var output: [UInt8]
    /// Inside a member: input ending here is truncated.
    private var inMember = false

    package init(chunk: Int = 1 << 18) throws(GzipError) {
        output = [UInt8](repeating: 0, count: max(chunk, 4096))
        // 15 + 16: a 32 KiB window, gzip wrapper only.
        let status = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .unavailable }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates `input`, handing each run of plain bytes to `sink`.
    package func inflate(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) -> Void) throws(GzipError) {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        defer { stream.next_in = nil; stream.avail_in = 0 }
        while stream.avail_in > 0 {
            inMember = true
            let before = stream.avail_in
            let (status, produced) = output.withUnsafeMutableBytes { buffer -> (Int32, Int) in
                stream.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(buffer.count)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let produced = buffer.count - Int(stream.avail_out)
                stream.next_out = nil
                stream.avail_out = 0
                return (status, produced)
            }
            if produced > 0 {
                output.withUnsafeBytes { sink(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
            }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                inMember = false
                guard inflateReset(&stream) == Z_OK else { throw .unavailable }
            case Z_BUF_ERROR where produced > 0 || stream.avail_in != before:
                continue
            case Z_MEM_ERROR:
                throw .unavailable
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw .corrupt(message)
            }
        }
    }

    /// The input is over: an error when it stopped inside a member.
    package func finish() throws(GzipError) {
        if inMember { throw .truncated }
    }
}
