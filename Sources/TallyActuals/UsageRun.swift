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

    package init() {}
}

/// Reads, prices and sums invocation logs: each worker takes the next file,
/// with a pricer and a report of its own, and the reports are merged.
package enum UsageRun {
    package static func run(_ paths: [String], catalog: Catalog, options: UsageOptions) -> UsageReport {
        let expansion = LogSources.expand(paths)
        let inputs = expansion.inputs
        let next = Atomic<Int>(0)
        let reports = Mutex<[UsageReport]>([])
        let workers = max(1, min(options.workers, inputs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var worker = Worker(catalog: catalog, options: options)
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < inputs.count else { break }
                worker.read(inputs[index], order: index)
            }
            let report = worker.report
            reports.withLock { $0.append(report) }
        }
        var report = UsageReport(by: options.by)
        for part in reports.withLock({ $0 }) { report.merge(part) }
        report.skipped = (expansion.skipped + report.skipped).sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        report.errors = expansion.errors + report.errors.sorted()
        return report
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

        mutating func read(_ input: LogInput, order: Int) {
            let name = input.path == "-" ? "<stdin>" : input.path
            let fd: Int32
            switch LogSources.open(input) {
            case .success(let opened): fd = opened
            case .failure(let error):
                report.errors.append("\(name): \(error)")
                return
            }
            defer { if input.path != "-" { close(fd) } }
            do {
                let isLog = try LogStream.read(fd, sniff: input.found, line: { bytes, number in
                    self.line(bytes, number: number, file: name, order: order)
                }, tooLong: { number in
                    self.report.counts.read += 1
                    self.report.addMalformed(order: order, file: name, line: number, reason: "longer than \(LineSplitter.maximumLine >> 20) MiB")
                })
                if !isLog { report.skipped.append(SkippedPath(path: input.path, reason: "not a log file")) }
            } catch {
                report.errors.append("\(name): \(error)")
            }
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
            report.see(record.timestamp)
            if record.failed {
                report.counts.failed += 1
                return
            }
            let resolution = pricer.resolve(record.modelId)
            switch pricer.price(record, resolution) {
            case .priced(let model, let charges):
                report.counts.priced += 1
                let key = options.by.map { value(of: $0, record, model: model, profile: resolution.profile) }
                report.add(UsageTotals(record, charges: charges), model: model, key: key)
            case .unpriced(let reason):
                report.counts.unpriced += 1
                let key = UsageReport.UnpricedKey(modelId: record.modelId, region: record.region ?? UsageKey.none, reason: reason)
                report.addUnpriced(UsageTotals(record, charges: nil), key: key)
            }
        }

        func value(of key: UsageKey, _ record: UsageRecord, model: String, profile: String) -> String {
            let value: String? = switch key {
            case .model: model
            case .region: record.region
            case .day: record.timestamp.dayText
            case .month: record.timestamp.monthText
            case .operation: record.operation
            case .principal: record.principal
            case .profile: profile
            case .account: record.accountId
            case .tag(let name): record.metadata.first { $0.key == name }?.value
            }
            return value ?? UsageKey.none
        }
    }
}
