import TallyQuantities
import TallyPricing
import TallyActuals
import TallyRender

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tally usage --cur FILE…`: a CUR 2.0 data export (CSV, or gzip of it),
/// read as a stream, its Bedrock token usage priced by the catalog beside the
/// bill's own unblended cost.
extension Commands {
    package static func usageCUR(paths: [String], by: [String], tolerance: String?, format: RunFormat = .text,
                                 strict: Bool = false, color: Bool = false) -> CommandOutput {
        var output = CommandOutput()
        var keys: [CURReport.Key] = []
        for text in by {
            guard let key = CURReport.Key(text) else {
                output.fail("tally: error: --by takes \(CURReport.Key.names.joined(separator: ", ")) with --cur, not \"\(Escaping.visible(text))\"\n")
                return output
            }
            keys.append(key)
        }
        var share = Rational(1, 100) ?? .zero
        if let tolerance {
            guard let parsed = percentShare(tolerance) else {
                output.fail("tally: error: --tolerance takes a percentage such as 1% or 0.5%, not \"\(Escaping.visible(tolerance))\"\n")
                return output
            }
            share = parsed
        }
        guard let catalog = builtinCatalog(into: &output) else { return output }
        var bill = CURBill(catalog: catalog, by: keys.isEmpty ? CURReport.Key.standard : keys, tolerance: share)
        for path in paths {
            if let problem = readCUR(path, into: &bill) {
                output.fail("tally: error: \(Escaping.visible(problem))\n")
                return output
            }
        }
        let report = bill.finished()
        switch format {
        case .text: output.stdout += CURRenderer.text(report, color: color)
        case .json: output.stdout += CURRenderer.json(report)
        case .csv: output.stdout += CURRenderer.csv(report)
        case .markdown: output.stdout += CURRenderer.markdown(report)
        }
        if strict, report.counts.unpriced > 0 || report.flaggedCount > 0 {
            output.stderr += "tally: --strict: \(report.counts.unpriced) unpriced row\(report.counts.unpriced == 1 ? "" : "s"), "
                + "\(report.flaggedCount) group\(report.flaggedCount == 1 ? "" : "s") beyond the tolerance\n"
            output.status = 1
        }
        return output
    }

    /// `1%`, `0.5%` as a share; nil for anything else (or above 1,000%).
    static func percentShare(_ text: String) -> Rational? {
        guard text.hasSuffix("%"), let value = Rational(decimalLiteral: text.dropLast()), !text.contains("_"),
              value <= Rational(1000) else { return nil }
        return value.divided(by: Rational(100))
    }

    /// Streams one file into the bill; the reason it could not, if any.
    static func readCUR(_ path: String, into bill: inout CURBill) -> String? {
        var csv = CSVRecords()
        var columns: CURBill.Columns?
        var headerSeen = false
        func take(_ record: CSVRecords.Record) {
            guard headerSeen else {
                headerSeen = true
                columns = bill.header(record, file: path)
                return
            }
            if let columns { bill.add(record, columns: columns, file: path) }
        }
        var inflater: GzipInflater?
        var first = true
        let failure = FileSystem.stream(path) { chunk -> String? in
            if first {
                first = false
                if chunk.count >= 2, chunk[0] == 0x1f, chunk[1] == 0x8b {
                    do { inflater = try GzipInflater() } catch { return "\(path): \(error)" }
                }
            }
            if let inflater {
                do {
                    try inflater.inflate(chunk) { plain in csv.read(plain, record: take) }
                } catch {
                    return "\(path): \(error)"
                }
            } else {
                csv.read(chunk, record: take)
            }
            return bill.failure
        }
        if let failure { return failure }
        if let inflater {
            do { try inflater.finish() } catch { return "\(path): \(error)" }
        }
        csv.finish(record: take)
        if !headerSeen { return "\(path): it is empty: a CUR export starts with a header row" }
        return bill.failure
    }
}

extension FileSystem {
    /// Hands a regular file to `chunk` in pieces, from one descriptor opened
    /// without blocking (a FIFO never hangs); `chunk` may stop the read by
    /// returning a reason. The reason it stopped, if any.
    static func stream(_ path: String, chunk: (UnsafeRawBufferPointer) -> String?) -> String? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            return "cannot read \(path): " + (errno == ENOENT || errno == ENOTDIR ? "no such file" : String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return "cannot read \(path): \(String(cString: strerror(errno)))" }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "cannot read \(path): it is a directory"
        default: return "cannot read \(path): it is not a regular file"
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return "cannot read \(path): \(String(cString: strerror(errno)))" }
            if n == 0 { return nil }
            if let stop = buffer.withUnsafeBytes({ chunk(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) { return stop }
        }
    }
}
