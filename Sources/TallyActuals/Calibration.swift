import TallyPricing

/// Per-request distributions of priced records, for `tally usage
/// --as-workloads`: one sample per group, model, region, endpoint and tier,
/// each a few sparse histograms, so memory grows with the samples and the
/// distinct buckets, never with the records.
package struct Calibration: Sendable {
    package struct Key: Sendable, Hashable, Comparable {
        /// The `--by` values, in order.
        package let group: [String]
        package let model: String
        package let region: String
        /// nil for a model priced the same on every endpoint.
        package let endpoint: Endpoint?
        /// `flex` or `priority`; nil for standard.
        package let tier: String?

        package static func < (a: Key, b: Key) -> Bool {
            if a.group != b.group { return a.group.lexicographicallyPrecedes(b.group) }
            return (a.model, a.region, a.endpoint?.rawValue ?? "", a.tier ?? "") < (b.model, b.region, b.endpoint?.rawValue ?? "", b.tier ?? "")
        }
    }

    package struct Sample: Sendable {
        package var records = 0
        /// The whole prompt: input, cache read and cache write tokens.
        package var prompt = TokenHistogram()
        package var output = TokenHistogram()
        /// Shares of the prompt, in millionths.
        package var cacheRead = TokenHistogram()
        package var cacheWrite = TokenHistogram()

        var buckets: Int { prompt.bucketCount + output.bucketCount + cacheRead.bucketCount + cacheWrite.bucketCount }

        mutating func merge(_ other: Sample) {
            records += other.records
            prompt.merge(other.prompt)
            output.merge(other.output)
            cacheRead.merge(other.cacheRead)
            cacheWrite.merge(other.cacheWrite)
        }
    }

    /// A share is counted in millionths of the prompt.
    package static let shareScale: Int128 = 1_000_000

    package private(set) var samples: [Key: Sample] = [:]
    /// Buckets held by this reader's histograms: hostile logs of ever-new
    /// token counts stop here (about 50 MB), not at the end of memory.
    package private(set) var buckets = 0
    package var maximumBuckets = 1_000_000

    package init() {}

    /// Counts a priced record; why not, when it would pass a limit.
    mutating func observe(_ record: UsageRecord, group: [String], model: String, resolution: UsagePricer.Resolution,
                          limit: Int = UsageReport.maximumGroups) -> String? {
        let tier = record.serviceTier == "flex" || record.serviceTier == "priority" ? record.serviceTier : nil
        let byEndpoint = resolution.model?.pricesByEndpoint ?? false
        let key = Key(group: group, model: model, region: record.region ?? UsageKey.none, endpoint: byEndpoint ? resolution.endpoint : nil, tier: tier)
        if samples[key] == nil, samples.count >= limit { return "more than \(limit) workloads to calibrate" }
        guard buckets < maximumBuckets else {
            return "more than \(maximumBuckets) distinct token counts (log buckets) to calibrate in one reader"
        }
        let read = Int128(record.cacheReadTokens), written = Int128(record.cacheWriteTokens)
        let prompt = Int128(record.inputTokens) + read + written
        buckets += samples[key, default: Sample()].add(prompt: prompt, output: record.outputTokens, read: read, written: written)
        return nil
    }

    package mutating func merge(_ other: Calibration) {
        for (key, sample) in other.samples {
            let before = samples[key]?.buckets ?? 0
            samples[key, default: Sample()].merge(sample)
            buckets += (samples[key]?.buckets ?? 0) - before
        }
    }

    package var sortedSamples: [(key: Key, sample: Sample)] {
        samples.map { (key: $0.key, sample: $0.value) }.sorted { $0.key < $1.key }
    }
}

extension Calibration.Sample {
    /// The buckets it opened.
    mutating func add(prompt: Int128, output tokens: Int64, read: Int128, written: Int128) -> Int {
        records += 1
        // Three counts each below 2^63 sum below 2^65: clamp what an Int64 cannot hold.
        let opened = [self.prompt.add(Int64(clamping: prompt)), output.add(tokens),
                      cacheRead.add(Calibration.share(read, of: prompt)), cacheWrite.add(Calibration.share(written, of: prompt))]
        return opened.filter { $0 }.count
    }
}

extension Calibration {
    /// `part` of `whole` in millionths, rounded down; 0 for an empty prompt.
    static func share(_ part: Int128, of whole: Int128) -> Int64 {
        guard whole > 0 else { return 0 }
        return Int64(clamping: part * shareScale / whole)
    }
}
