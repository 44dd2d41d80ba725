#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hears how far a run of `tally usage` has read, from every worker at once:
/// the pricing core says what it did, and the caller decides what to show.
package protocol ReadObserver: Sendable {
    /// The work ahead: the bytes of every input, nil when one is a stream.
    func begin(totalBytes: Int64?)
    /// Bytes of the inputs read, and records (lines holding something) read with them.
    func advance(bytes: Int64, records: Int)
    /// The reading is over (the report is not written yet).
    func end()
}

extension UsageRun {
    /// The bytes `tasks` will read: a piece's range, a whole file's size; nil for standard input.
    static func totalBytes(_ tasks: [Task]) -> Int64? {
        var total: Int64 = 0
        for task in tasks {
            if let range = task.range {
                total += range.upperBound - range.lowerBound
                continue
            }
            guard task.input.path != "-" else { return nil }
            var info = stat()
            if stat(task.input.path, &info) == 0 { total += Int64(info.st_size) }
        }
        return total
    }
}
