import Dispatch
import Synchronization
import TallyPricing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `tally usage` was asked.
package struct UsageOptions: Sendable {
    package var by: [UsageKey] = [.model]
    /// Records at or after this instant.
    package var from: Instant?
    /// Records before this instant.
    package var to: Instant?
    /// Cache writes priced at the 1-hour rate instead of the 5-minute one.
    package var oneHour = false
    /// Threads reading files at once.
    package var workers = 2
    /// Only records carrying each pair in `requestMetadata`, of this catalog
    /// model, made in this region (a `usage` declaration's `where`, `model`, `region`).
    package var filter: [(key: String, value: String)] = []
    package var model: String?
    package var region: String?
    /// Keep per-request distributions for `--as-workloads`.
    package var calibrate = false
    /// Failed calls counted in their group too, under their model's name (or
    /// id, when unknown): what `reconcile` reads as retries.
    package var groupFailed = false
    /// A plain file larger than this is read in pieces of this size, one a worker.
    package var pieceBytes: Int64 = 64 << 20
    /// Told of the bytes and records read as they are (progress on a terminal).
    package var observer: (any ReadObserver)?

    package init() {}
}

/// Reads, prices and sums invocation logs: each worker takes the next file
/// (or piece of a large plain file), with a pricer and a report of its own,
/// and the reports are merged.
package enum UsageRun {
    /// One unit of work: a whole input, or the lines starting in a byte range of one.
    struct Task: Sendable {
        let input: LogInput
        let index: Int
        let piece: Int
        let range: Range<Int64>?

        /// Malformed lines sort by input, then piece, then line.
        var order: Int { index << 20 | piece }
    }

    package static func run(_ paths: [String], catalog: Catalog, options: UsageOptions) -> UsageReport {
        let expansion = LogSources.expand(paths)
        var skipped = expansion.skipped
        let tasks = plan(expansion.inputs, options: options, skipped: &skipped)
        let next = Atomic<Int>(0)
        let reports = Mutex<[UsageReport]>([])
        let lineCounts = Mutex<[Int: Int]>([:])
        let workers = max(1, min(options.workers, tasks.count))
        options.observer?.begin(totalBytes: totalBytes(tasks))
        defer { options.observer?.end() }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var worker = Worker(catalog: catalog, options: options)
            var counted: [Int: Int] = [:]
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < tasks.count else { break }
                if let lines = worker.read(tasks[index]) { counted[tasks[index].order] = lines }
            }
            let report = worker.report
            reports.withLock { $0.append(report) }
            lineCounts.withLock { $0.merge(counted) { a, _ in a } }
        }
        var report = UsageReport(by: options.by)
        for part in reports.withLock({ $0 }) { report.merge(part) }
        // A piece numbers its lines from 1: add the lines of the pieces before it.
        let counts = lineCounts.withLock { $0 }
        report.malformed = report.malformed.map { m in
            let first = m.order & ~((1 << 20) - 1)
            let before = (first..<m.order).reduce(0) { $0 + (counts[$1] ?? 0) }
            return UsageReport.Malformed(order: m.order, file: m.file, line: m.line + before, reason: m.reason)
        }
        report.skipped = (skipped + report.skipped).sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        report.errors = expansion.errors + report.errors.sorted()
        return report
    }

    /// Every input whole, except a large plain regular file, cut into pieces
    /// (after the sniff a file found in a walk must pass).
    static func plan(_ inputs: [LogInput], options: UsageOptions, skipped: inout [SkippedPath]) -> [Task] {
        var tasks: [Task] = []
        for (index, input) in inputs.enumerated() {
            guard options.workers > 1, options.pieceBytes > 0, input.path != "-", case .success(let fd) = LogSources.open(input) else {
                tasks.append(Task(input: input, index: index, piece: 0, range: nil))
                continue
            }
            defer { close(fd) }
            var info = stat()
            let head = LogStream.head(fd)
            guard fstat(fd, &info) == 0, Int64(info.st_size) > options.pieceBytes, !(head.starts(with: [0x1F, 0x8B])) else {
                tasks.append(Task(input: input, index: index, piece: 0, range: nil))
                continue
            }
            let text = head.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            if input.found, !text.isEmpty, !text.withUnsafeBytes({ LogStream.startsRecord($0[...]) }) {
                skipped.append(SkippedPath(path: input.path, reason: "not a log file"))
                continue
            }
            let size = Int64(info.st_size)
            var start: Int64 = 0
            var piece = 0
            while start < size, piece < (1 << 20) - 1 {
                let end = piece == (1 << 20) - 2 ? size : min(size, start + options.pieceBytes)
                tasks.append(Task(input: input, index: index, piece: piece, range: start..<end))
                (start, piece) = (end, piece + 1)
            }
        }
        return tasks
    }

    struct Worker {
        var pricer: UsagePricer
        var report: UsageReport
        let options: UsageOptions

        init(catalog: Catalog, options: UsageOptions) {
            pricer = UsagePricer(catalog: catalog, oneHour: options.oneHour)
            report = UsageReport(by: options.by)
            self.options = options
        }

        /// Reads one task; for a piece, the number of lines it held.
        mutating func read(_ task: Task) -> Int? {
            let (input, order) = (task.input, task.order)
            let name = input.path == "-" ? "<stdin>" : input.path
            let fd: Int32
            switch LogSources.open(input) {
            case .success(let opened): fd = opened
            case .failure(let error):
                // Once, however many pieces of the file fail.
                report.fail("\(name): \(error)")
                return nil
            }
            defer { if input.path != "-" { close(fd) } }
            let line = { (bytes: UnsafeBufferPointer<UInt8>, number: Int) in self.line(bytes, number: number, file: name, order: order) }
            let tooLong = { (number: Int) in
                self.report.counts.read += 1
                self.report.addMalformed(order: order, file: name, line: number, reason: "longer than \(LineSplitter.maximumLine >> 20) MiB")
            }
            var told = (bytes: Int64(0), records: report.counts.read)
            let consumed = { (bytes: Int) in
                guard let observer = self.options.observer else { return }
                observer.advance(bytes: Int64(bytes), records: self.report.counts.read - told.records)
                told = (told.bytes + Int64(bytes), self.report.counts.read)
            }
            defer { if let observer = options.observer { tell(observer, task: task, fd: fd, told: told) } }
            do throws(LogReadError) {
                if let range = task.range {
                    return try LogStream.read(fd, range: range, line: line, tooLong: tooLong, consumed: consumed)
                }
                if !(try LogStream.read(fd, sniff: input.found, line: line, tooLong: tooLong, consumed: consumed)) {
                    report.skipped.append(SkippedPath(path: input.path, reason: "not a log file"))
                }
            } catch {
                report.fail("\(name): \(error)")
            }
            return nil
        }

        /// The rest of a task once it is over (its last line, or bytes a sniff,
        /// a skip or an error left unread), so the bytes done reach the total.
        func tell(_ observer: any ReadObserver, task: Task, fd: Int32, told: (bytes: Int64, records: Int)) {
            var size = told.bytes
            if let range = task.range {
                size = range.upperBound - range.lowerBound
            } else if task.input.path != "-" {
                var info = stat()
                if fstat(fd, &info) == 0 { size = Int64(info.st_size) }
            }
            observer.advance(bytes: max(0, size - told.bytes), records: report.counts.read - told.records)
        }

        mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int, file: String, order: Int) {
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            report.counts.read += 1
            let record: UsageRecord
            do {
                record = try LogScanner.scan(bytes)
            } catch {
                report.addMalformed(order: order, file: file, line: number, reason: error.reason)
                return
            }
            if let from = options.from, record.timestamp < from { report.counts.outsidePeriod += 1; return }
            if let to = options.to, !(record.timestamp < to) { report.counts.outsidePeriod += 1; return }
            account(record, records: record.failed ? 0 : 1, failed: record.failed ? 1 : 0, promptOver: nil,
                    first: record.timestamp, last: record.timestamp)
        }

        /// One record read, or like records an engine summed (`AggregateRow`):
        /// `records` calls that succeeded, with `record`'s tokens between them,
        /// and `failed` that did not. `promptOver`, for a sum, is the highest
        /// long-context threshold each of its prompts exceeded (0: none).
        mutating func account(_ record: UsageRecord, records: Int, failed: Int, promptOver: Int64?, first: Instant, last: Instant) {
            let calls = records + failed
            if let region = options.region, record.region != region { report.counts.filtered += calls; return }
            let resolution = pricer.resolve(record.modelId)
            if let model = options.model, resolution.model?.name != model { report.counts.filtered += calls; return }
            for pair in options.filter where resolution.tag(pair.key, of: record) != pair.value {
                report.counts.filtered += calls
                return
            }
            report.see(first)
            report.see(last)
            if failed > 0 {
                report.counts.failed += failed
                if options.groupFailed {
                    let model = resolution.model?.name ?? record.modelId
                    var totals = UsageTotals()
                    totals.failed = failed
                    report.add(totals, model: model, key: options.by.map { value(of: $0, record, model: model, resolution: resolution) })
                }
            }
            guard records > 0 else { return }
            switch pricer.price(record, resolution, promptOver: promptOver) {
            case .priced(let model, let charges):
                report.counts.priced += records
                let key = options.by.map { value(of: $0, record, model: model, resolution: resolution) }
                report.add(UsageTotals(record, charges: charges, records: records), model: model, key: key)
                if options.calibrate, let limit = report.calibration.observe(record, group: key, model: model, resolution: resolution) {
                    report.fail(limit)
                }
            case .unpriced(let reason):
                report.counts.unpriced += records
                let key = UsageReport.UnpricedKey(modelId: record.modelId, region: record.region ?? UsageKey.none, reason: reason)
                report.addUnpriced(UsageTotals(record, charges: nil, records: records), key: key)
            }
        }

        func value(of key: UsageKey, _ record: UsageRecord, model: String, resolution: UsagePricer.Resolution) -> String {
            let value: String? = switch key {
            case .model: model
            case .region: record.region
            case .day: record.timestamp.dayText
            case .month: record.timestamp.monthText
            case .operation: record.operation
            case .principal: record.principal
            case .profile: resolution.profile
            case .account: record.accountId
            case .tag(let name): resolution.tag(name, of: record)
            }
            return value ?? UsageKey.none
        }
    }
}
