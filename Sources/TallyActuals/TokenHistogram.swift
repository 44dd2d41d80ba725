/// Counts of non-negative integers in log-spaced buckets, for percentiles in
/// memory bounded by the distinct buckets seen, not by the values.
///
/// Values below 128 have a bucket each (exact); above, each power of two is
/// split into 128 buckets, so a bucket is at most 1/128 of its lower end wide.
/// A percentile is read as its bucket's middle, kept within the smallest and
/// largest value the bucket saw: within 1/256 (0.4%) of the true value, and
/// exact when the bucket holds one distinct value (constant data).
package struct TokenHistogram: Sendable, Equatable {
    struct Bucket: Sendable, Equatable {
        var count: Int
        var least: Int64
        var most: Int64
    }

    static let subBuckets: Int64 = 128
    static let subBits = 7

    private(set) var buckets: [Int32: Bucket] = [:]
    package private(set) var count = 0

    package init() {}

    static func index(_ value: Int64) -> Int32 {
        guard value >= subBuckets else { return Int32(value) }
        let shift = (63 - value.leadingZeroBitCount) - subBits
        return Int32(subBuckets) + Int32(shift) * Int32(subBuckets) + Int32((value >> Int64(shift)) - subBuckets)
    }

    /// The first value of a bucket and its width.
    static func bounds(_ index: Int32) -> (low: Int64, width: Int64) {
        guard Int64(index) >= subBuckets else { return (Int64(index), 1) }
        let shift = (Int64(index) - subBuckets) / subBuckets
        let sub = (Int64(index) - subBuckets) % subBuckets
        return ((subBuckets + sub) << shift, Int64(1) << shift)
    }

    /// Adds a value (a negative one counts as zero: token counts are checked
    /// before); true when it opened a bucket.
    @discardableResult
    package mutating func add(_ value: Int64) -> Bool {
        let v = max(0, value)
        let i = TokenHistogram.index(v)
        count += 1
        if let b = buckets[i] {
            buckets[i] = Bucket(count: b.count + 1, least: min(b.least, v), most: max(b.most, v))
            return false
        }
        buckets[i] = Bucket(count: 1, least: v, most: v)
        return true
    }

    package var bucketCount: Int { buckets.count }

    package mutating func merge(_ other: TokenHistogram) {
        for (i, o) in other.buckets {
            if let b = buckets[i] {
                buckets[i] = Bucket(count: b.count + o.count, least: min(b.least, o.least), most: max(b.most, o.most))
            } else {
                buckets[i] = o
            }
        }
        count += other.count
    }

    /// The `percent`th percentile by nearest rank (the value at rank
    /// ⌈percent × count / 100⌉, at least 1); nil when empty.
    package func percentile(_ percent: Int) -> Int64? {
        guard count > 0 else { return nil }
        let p = Int128(min(100, max(0, percent)))
        let rank = max(1, (p * Int128(count) + 99) / 100)
        var seen: Int128 = 0
        for i in buckets.keys.sorted() {
            guard let b = buckets[i] else { continue }
            seen += Int128(b.count)
            if seen >= rank {
                if b.least == b.most { return b.least }
                let (low, width) = TokenHistogram.bounds(i)
                return min(b.most, max(b.least, low + width / 2))
            }
        }
        return nil
    }
}
