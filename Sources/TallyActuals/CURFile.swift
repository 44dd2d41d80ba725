#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CURBill {
    /// Streams one export into the bill, through the log reader's file and
    /// gzip handling (gzip by its magic bytes); the reason it could not be
    /// read, if any. Lines are joined again for the CSV reader, since a
    /// quoted field may hold a line break.
    package mutating func read(_ path: String) -> String? {
        let fd: Int32
        switch LogSources.open(LogInput(path: path, found: false)) {
        case .success(let opened): fd = opened
        case .failure(let error): return "cannot read \(path): \(error)"
        }
        defer { close(fd) }
        var csv = CSVRecords()
        var columns: Columns?
        var headerSeen = false
        func take(_ record: CSVRecords.Record) {
            guard headerSeen else {
                headerSeen = true
                columns = header(record, file: path)
                return
            }
            if let columns { add(record, columns: columns, file: path) }
        }
        let newline: [UInt8] = [0x0A]
        do throws(LogReadError) {
            _ = try LogStream.read(fd, sniff: false, line: { bytes, _ in
                guard failure == nil else { return }
                csv.read(UnsafeRawBufferPointer(bytes), record: take)
                newline.withUnsafeBytes { csv.read($0, record: take) }
            }, tooLong: { number in
                guard failure == nil else { return }
                report.counts.read += 1
                noteMalformed(file: path, line: number, reason: "a line longer than \(LineSplitter.maximumLine >> 20) MiB")
                newline.withUnsafeBytes { csv.read($0, record: take) }
            })
        } catch {
            return "\(path): \(error)"
        }
        if failure == nil { csv.finish(record: take) }
        if !headerSeen { return failure ?? "\(path): it is empty: a CUR export starts with a header row" }
        return failure
    }
}
