import TallyQuantities
import TallySyntax
import TallyPricing
import TallyActuals

/// `tally usage --as-workloads`: the logs' priced records as workload
/// declarations, one per group and model (split further by region,
/// endpoint and tier where a group's records differ in them), each a range
/// from the 10th to the 90th percentile per request.
package enum CalibrationRenderer {
    package enum Failure: Error, Equatable, CustomStringConvertible {
        case noTime

        package var description: String {
            "the records cover no time (one instant): give --from and --to"
        }
    }

    static let low = 10, high = 90
    /// Unpriced model ids and malformed lines named in the header; the rest counted.
    static let listed = 20

    /// The script; `from` and `to` are the period asked for, else the first and last record.
    /// `declarations` names the script whose `profile` and `price` declarations priced the records.
    package static func script(_ report: UsageReport, catalog: Catalog, from: Instant?, to: Instant?,
                               oneHour: Bool = false, declarations: String? = nil) -> Result<String, Failure> {
        let samples = report.calibration.sortedSamples
        let start = from ?? report.first, end = to ?? report.last
        var days: Rational?
        if let start, let end {
            let nanos = (Int128(end.seconds) - Int128(start.seconds)) * 1_000_000_000 + Int128(end.nanoseconds) - Int128(start.nanoseconds)
            days = Rational(nanos, 86_400 * 1_000_000_000)
        }
        var out = header(report, records: samples.reduce(0) { $0 + $1.sample.records }, start: start, end: end, days: days)
        if let declarations {
            out += "# priced with the declarations of " + SourceText.comment(declarations) + ": import it first for the same rates\n"
        }
        guard !samples.isEmpty else { return .success(out + "# no priced records: nothing to calibrate\n") }
        guard let days, days > .zero else { return .failure(.noTime) }
        let names = workloadNames(samples.map(\.key), by: report.by)
        for (index, (key, sample)) in samples.enumerated() {
            out += "\n" + workload(names[index], key: key, sample: sample, by: report.by, days: days, catalog: catalog, oneHour: oneHour)
        }
        return .success(out)
    }

    static func header(_ report: UsageReport, records: Int, start: Instant?, end: Instant?, days: Rational?) -> String {
        let span = start.map { s in end.map { "\(s) to \($0)" } ?? "\(s)" } ?? "no records"
        let dayText = days.map { d in
            let text = d.decimalString(fractionDigits: 2, trimTrailingZeros: true, groupThousands: true)
            return " (\(text) \(text == "1" ? "day" : "days"))"
        } ?? ""
        let c = report.counts
        var out = """
            # measured by `tally usage --as-workloads` from \(count(records)) priced \(records == 1 ? "record" : "records"), \(span)\(dayText)
            # ranges are the 10th to 90th percentile per request (within 0.4%); requests per day to 3 significant digits
            # one workload per group and model, split by region, endpoint and tier where its records differ in them
            # left out: \(count(c.unpriced)) unpriced, \(count(c.failed)) failed, \(count(c.malformed)) malformed, \(count(c.outsidePeriod)) outside the period

            """
        let unpriced = report.unpriced.sorted { $0.key < $1.key }
        for (key, totals) in unpriced.prefix(listed) {
            out += "#   unpriced: " + SourceText.comment("\(key.modelId) in \(key.region), \(count(totals.records)) \(totals.records == 1 ? "record" : "records") (\(key.reason))") + "\n"
        }
        if unpriced.count > listed { out += "#   … and \(unpriced.count - listed) more unpriced model ids\n" }
        for line in report.malformed {
            out += "#   malformed: " + SourceText.comment("\(line.file):\(line.line) \(line.reason)") + "\n"
        }
        if c.malformed > report.malformed.count { out += "#   … and \(c.malformed - report.malformed.count) more malformed lines\n" }
        return out
    }

    static func workload(_ name: String, key: Calibration.Key, sample: Calibration.Sample, by: [UsageKey], days: Rational,
                         catalog: Catalog, oneHour: Bool) -> String {
        let perDay = Rational(sample.records).divided(by: days) ?? .zero
        var out = "# \(name): \(count(sample.records)) \(sample.records == 1 ? "record" : "records"), "
            + "\(perDay.decimalString(fractionDigits: 2, trimTrailingZeros: true, groupThousands: true)) a day\n"
        var place = ["model " + word(key.model), "region " + word(key.region)]
        if let endpoint = key.endpoint { place.append("endpoint " + endpoint.rawValue) }
        if let tier = key.tier { place.append("mode " + tier) }
        out += "workload \(name) <\n  " + place.joined(separator: "; ") + "\n"
        out += "  requests \(significant(perDay).decimalString(fractionDigits: 30, trimTrailingZeros: true))/day\n"
        var tokens = ["input " + range(sample.prompt) + " tokens"]
        if catalog.model(named: key.model)?.kind != .embedding { tokens.append("output " + range(sample.output) + " tokens") }
        if let cache = cache(sample) { tokens.append(cache + (oneHour && cache.contains(" write ") ? " ttl 1h" : "")) }
        out += "  " + tokens.joined(separator: "; ") + "\n"
        var tags: [String] = []
        for (i, k) in by.enumerated() {
            guard case .tag(let tagName) = k, i < key.group.count, key.group[i] != UsageKey.none else { continue }
            if isName(tagName) {
                tags.append(tagName + "=" + (isName(key.group[i]) ? key.group[i] : SourceText.stringLiteral(key.group[i])))
            } else {
                out += "  # " + SourceText.comment("tag \(tagName) is not a Tally name: left out") + "\n"
            }
        }
        if !tags.isEmpty { out += "  tag " + tags.joined(separator: " ") + "\n" }
        return out + ">\n"
    }

    /// `800..1400` or `1000` when both ends agree.
    static func range(_ histogram: TokenHistogram) -> String {
        let a = histogram.percentile(low) ?? 0, b = histogram.percentile(high) ?? 0
        return a == b ? "\(a)" : "\(a)..\(b)"
    }

    /// `cache 55%..72.5% write 1%..2%`, in tenths of a percent; nil without cache tokens.
    /// A write share is kept within what the read share leaves at either end.
    static func cache(_ sample: Calibration.Sample) -> String? {
        func tenths(_ h: TokenHistogram, _ p: Int) -> Int64 { min(1000, ((h.percentile(p) ?? 0) + 500) / 1000) }
        let r = (tenths(sample.cacheRead, low), tenths(sample.cacheRead, high))
        var w = (tenths(sample.cacheWrite, low), tenths(sample.cacheWrite, high))
        guard r.1 > 0 || w.1 > 0 else { return nil }
        w = (min(w.0, 1000 - r.1), min(w.1, 1000 - r.0))
        w.0 = min(w.0, w.1)
        func percent(_ t: Int64) -> String { "\(t / 10)" + (t % 10 == 0 ? "" : ".\(t % 10)") + "%" }
        func span(_ e: (Int64, Int64)) -> String { e.0 == e.1 ? percent(e.0) : percent(e.0) + ".." + percent(e.1) }
        return "cache " + span(r) + (w.1 > 0 ? " write " + span(w) : "")
    }

    /// Rounded half away from zero to three significant digits.
    static func significant(_ value: Rational) -> Rational {
        guard value > .zero else { return .zero }
        let digits = String(value.floor).count
        if value.floor > 0, digits > 3 {
            guard let scale = Rational(10).power(digits - 3), let scaled = value.divided(by: scale)?.rounded(fractionDigits: 0),
                  let back = scaled.multiplied(by: scale) else { return value }
            return back
        }
        var places = value.floor > 0 ? 3 - digits : 3
        var probe = value
        while probe < Rational(1), places < 30, let next = probe.multiplied(by: Rational(10)) {
            probe = next
            if probe < Rational(1) { places += 1 }
        }
        return value.rounded(fractionDigits: places) ?? value
    }

    static func count(_ n: Int) -> String { Rational(n).decimalString(fractionDigits: 0, groupThousands: true) }

    static func word(_ text: String) -> String { isName(text) ? text : SourceText.stringLiteral(text) }
}

extension CalibrationRenderer {
    /// Longest name written, before a number to make it unique.
    static let longestName = 64

    /// A name per sample: the group's values (a tag as `KEY-VALUE`), the
    /// model when the group has several, and the region, endpoint or tier
    /// that tell a group's samples of one model apart; made a Tally name and unique.
    static func workloadNames(_ keys: [Calibration.Key], by: [UsageKey]) -> [String] {
        var modelsPerGroup: [[String]: Set<String>] = [:]
        var placesPerModel: [[String]: (regions: Set<String>, endpoints: Set<String>, tiers: Set<String>)] = [:]
        for key in keys {
            modelsPerGroup[key.group, default: []].insert(key.model)
            var places = placesPerModel[key.group + [key.model]] ?? ([], [], [])
            places.regions.insert(key.region)
            places.endpoints.insert(key.endpoint?.rawValue ?? "")
            places.tiers.insert(key.tier ?? "standard")
            placesPerModel[key.group + [key.model]] = places
        }
        var used: Set<String> = []
        return keys.map { key in
            var parts: [String] = []
            for (i, k) in by.enumerated() where i < key.group.count {
                let value = key.group[i] == UsageKey.none ? "none" : key.group[i]
                if case .tag(let tagName) = k { parts.append(tagName + "-" + value) } else { parts.append(value) }
            }
            if !by.contains(.model), (modelsPerGroup[key.group]?.count ?? 0) > 1 { parts.append(key.model) }
            if let places = placesPerModel[key.group + [key.model]] {
                if places.regions.count > 1 { parts.append(key.region) }
                if places.endpoints.count > 1 { parts.append(key.endpoint?.rawValue ?? "") }
                if places.tiers.count > 1 { parts.append(key.tier ?? "standard") }
            }
            var base = sanitized(parts.joined(separator: "-"))
            if base.isEmpty || !isName(base) || isReserved(base) { base = sanitized("w-" + base) }
            var name = base
            var n = 2
            while used.contains(name) {
                name = base + "-\(n)"
                n += 1
            }
            used.insert(name)
            return name
        }
    }

    /// Letters, digits and `_` kept; `.` and any other run between them as
    /// one `.` or `-`, so the lexer reads the whole as one name.
    static func sanitized(_ text: String) -> String {
        var out = ""
        var pending: Character?
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                if let p = pending, !out.isEmpty { out.append(p) }
                pending = nil
                out.unicodeScalars.append(scalar)
                if out.count >= longestName { break }
            } else if pending == nil || scalar != "." {
                pending = scalar == "." && pending == nil ? "." : "-"
            }
        }
        return out
    }

    /// Read by the lexer as one name (not a keyword, not a number).
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_",
              Keyword(rawValue: text) == nil else { return false }
        var previous: Unicode.Scalar = first
        for scalar in text.unicodeScalars.dropFirst() {
            let nameCharacter = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
            guard nameCharacter || ((scalar == "-" || scalar == ".") && previous != "-" && previous != ".") else { return false }
            previous = scalar
        }
        return previous != "-" && previous != "."
    }

    /// Names a declaration may not take: `total` and the units.
    static func isReserved(_ name: String) -> Bool {
        name == "total" || Units.byName[name] != nil
    }
}
