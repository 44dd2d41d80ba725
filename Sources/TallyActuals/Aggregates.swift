import TallyPricing
import TallyQuantities

extension Catalog {
    /// Every long-context threshold of every model, now or in its history,
    /// as whole tokens, lowest first; nil when one is not a whole number.
    package var contextThresholds: [Int64]? {
        var found: Set<Int64> = []
        for model in sortedModels {
            for scope in Array(model.rates.keys) + Array(model.earlier.keys) {
                guard let threshold = scope.threshold else { continue }
                guard threshold.isInteger, let whole = Int64(exactly: threshold.numerator) else { return nil }
                found.insert(whole)
            }
        }
        return found.sorted()
    }
}

/// One row of an engine's result: like calls summed (`AggregateQuery`).
package struct AggregateRow: Sendable {
    /// Column → value, NULL absent.
    package var values: [String: String] = [:]
    package var counts: [String: Int64] = [:]
    /// Every column the row has, NULL or not.
    package var columns: Set<String> = []
}

/// Reads the rows an engine returned for an `AggregateQuery` — JSON lines, a
/// JSON array of objects, or CSV with a header — and prices them into a
/// `UsageReport` with the same pricer and grouping as records read one by one.
package enum Aggregates {
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }

    /// Rows past this are refused: a result is groups, and groups are few.
    package static let maximumRows = 1_000_000
    /// A row's count of calls or lines past this is refused, so the sums of
    /// all rows' counts fit in 64 bits (10¹² calls a group is a thousand
    /// months of a billion calls).
    package static let maximumCount: Int64 = 1_000_000_000_000

    /// The rows in `bytes`, read as JSON when it starts with `{` or `[`, else as CSV.
    package static func rows(_ bytes: [UInt8]) throws(Failure) -> [AggregateRow] {
        let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } ?? bytes.endIndex
        guard start < bytes.endIndex else { return [] }
        if bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") { return try jsonRows(bytes) }
        return try csvRows(bytes)
    }

    static func isCount(_ column: String) -> Bool { AggregateQuery.sums.contains(column) }

    /// The sums that count calls or lines (the rest sum tokens).
    static let callCounts: Set<String> = ["records", "failed", "malformed", "outside_period"]

    /// Every row of an emitted query has these; a row without one is not
    /// such a row (a count left out would be read as none).
    static let required = AggregateQuery.baseKeys + AggregateQuery.sums + AggregateQuery.trailer

    static func jsonRows(_ bytes: [UInt8]) throws(Failure) -> [AggregateRow] {
        var rows: [AggregateRow] = []
        let result: Failure? = bytes.withUnsafeBufferPointer { buffer in
            var cursor = Cursor(bytes: buffer)
            cursor.skipSpace()
            let array = cursor.peek == UInt8(ascii: "[")
            if array { cursor.index += 1 }
            do throws(MalformedLine) {
                while true {
                    cursor.skipSpace()
                    if cursor.atEnd { return array ? Failure("the JSON array is not closed") : nil }
                    if array, cursor.peek == UInt8(ascii: "]") {
                        cursor.index += 1
                        cursor.skipSpace()
                        return cursor.atEnd ? nil : Failure("text after the JSON array")
                    }
                    guard rows.count < maximumRows else { return Failure("more than \(maximumRows) rows") }
                    rows.append(try object(&cursor))
                    cursor.skipSpace()
                    if array, cursor.peek == UInt8(ascii: ",") { cursor.index += 1 }
                }
            } catch {
                return Failure("row \(rows.count + 1): \(error.reason)")
            }
        }
        if let result { throw result }
        return rows
    }

    /// One flat object: strings, whole numbers and nulls.
    static func object(_ cursor: inout Cursor) throws(MalformedLine) -> AggregateRow {
        var row = AggregateRow()
        guard cursor.peek == UInt8(ascii: "{") else { throw MalformedLine("expected an object") }
        cursor.index += 1
        cursor.skipSpace()
        if cursor.peek == UInt8(ascii: "}") { cursor.index += 1; return row }
        while true {
            cursor.skipSpace()
            guard cursor.peek == UInt8(ascii: "\""), let key = try cursor.string() else { throw MalformedLine("expected a key") }
            cursor.skipSpace()
            guard cursor.peek == UInt8(ascii: ":") else { throw MalformedLine("expected ':' after a key") }
            cursor.index += 1
            cursor.skipSpace()
            switch cursor.peek {
            case UInt8(ascii: "\""):
                if let text = try cursor.string() { try row.set(key, text) }
            case UInt8(ascii: "n"):
                try cursor.skipNull()
                row.columns.insert(key)
            case let b? where (48...57).contains(b) || b == UInt8(ascii: "-"):
                let start = cursor.index
                while let b = cursor.peek, Cursor.isScalarByte(b) { cursor.index += 1 }
                try row.set(key, String(decoding: UnsafeBufferPointer(rebasing: cursor.bytes[start..<cursor.index]), as: UTF8.self))
            default:
                throw MalformedLine("\(key) is not a string, a whole number or null")
            }
            cursor.skipSpace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.index += 1
            case UInt8(ascii: "}"): cursor.index += 1; return row
            default: throw MalformedLine("expected ',' or '}' in an object")
            }
        }
    }

    /// CSV with a header; an empty field is no value.
    static func csvRows(_ bytes: [UInt8]) throws(Failure) -> [AggregateRow] {
        var header: [String]?
        var rows: [AggregateRow] = []
        var failure: Failure?
        var reader = CSVRecords()
        let take = { (record: CSVRecords.Record) in
            guard failure == nil else { return }
            if let problem = record.problem { failure = Failure("line \(record.line): \(problem)"); return }
            guard let columns = header else {
                header = record.fields
                return
            }
            guard record.fields.count == columns.count else {
                failure = Failure("line \(record.line): \(record.fields.count) fields under a header of \(columns.count)")
                return
            }
            guard rows.count < maximumRows else { failure = Failure("more than \(maximumRows) rows"); return }
            var row = AggregateRow()
            row.columns = Set(columns)
            do throws(MalformedLine) {
                for (column, field) in zip(columns, record.fields) where !field.isEmpty { try row.set(column, field) }
            } catch {
                failure = Failure("line \(record.line): \(error.reason)")
                return
            }
            rows.append(row)
        }
        bytes.withUnsafeBytes { reader.read($0, record: take) }
        reader.finish(record: take)
        if let failure { throw failure }
        return rows
    }

    /// The catalog's thresholds must all be among those the query bucketed
    /// prompts by, or a tier could not be told.
    static func checkThresholds(_ rows: [AggregateRow], catalog: [Int64]) throws(Failure) {
        guard let text = rows.lazy.compactMap({ $0.values["thresholds"] }).first else { return }
        let used = Set(text.split(separator: ",").compactMap { Int64($0) })
        if let missing = catalog.first(where: { !used.contains($0) }) {
            throw Failure("the query bucketed prompts by \(text.isEmpty ? "no threshold" : text), without the catalog's \(missing): "
                          + "emit the query again with this Tally")
        }
    }

    /// A row must have every column an emitted query returns.
    static func checkColumns(_ row: AggregateRow) throws(Failure) {
        if let missing = required.first(where: { !row.columns.contains($0) }) {
            throw Failure("a row has no column \(missing): the rows are not from `tally usage --emit-sql`")
        }
    }

    /// The rows priced, grouped as `options.by` says.
    package static func price(_ rows: [AggregateRow], catalog: Catalog, options: UsageOptions) throws(Failure) -> UsageReport {
        guard let thresholds = catalog.contextThresholds else { throw Failure("a long-context threshold of the catalog is not a whole number") }
        try checkThresholds(rows, catalog: thresholds)
        for key in options.by {
            guard let column = AggregateQuery.column(for: key) else { continue }
            if let row = rows.first, !row.hasColumn(column.name) {
                throw Failure("the rows have no column \(column.name): emit the query with --by \(key)")
            }
        }
        // Trino folds column names to lower case: a tag asked for is found either way.
        let askedTags = (options.by + options.filter.map { UsageKey.tag($0.key) }).compactMap { key -> String? in
            if case .tag(let name) = key { name } else { nil }
        }
        var worker = UsageRun.Worker(catalog: catalog, options: options)
        for row in rows {
            let count = { (name: String) -> Int in Int(clamping: row.counts[name] ?? 0) }
            worker.report.counts.malformed += count("malformed")
            worker.report.counts.outsidePeriod += count("outside_period")
            worker.report.counts.read += count("malformed") + count("outside_period") + count("records") + count("failed")
            guard count("records") + count("failed") > 0 else {
                try checkColumns(row)
                continue
            }
            guard let modelId = row.values["model_id"], !modelId.isEmpty else { throw Failure("a row of calls has no model_id") }
            guard let dayText = row.values["day"], let day = Instant(day: Array(dayText.utf8)) else {
                throw Failure("a row of calls has no day (YYYY-MM-DD)")
            }
            var record = UsageRecord()
            record.timestamp = day
            record.modelId = modelId
            record.region = row.values["region"]
            record.serviceTier = row.values["service_tier"]
            record.operation = row.values["operation"]
            record.accountId = row.values["account_id"]
            record.principalARN = row.values["principal_arn"]
            for (column, value) in row.values where column.hasPrefix("tag:") {
                let written = String(column.dropFirst(4))
                record.metadata.append((askedTags.first { $0.lowercased() == written.lowercased() } ?? written, value))
            }
            for (name, keyPath) in [("input_tokens", \UsageRecord.inputTokens), ("cache_read_tokens", \.cacheReadTokens),
                                    ("cache_write_tokens", \.cacheWriteTokens), ("output_tokens", \.outputTokens)] {
                guard let value = row.counts[name], value >= 0 else { throw Failure("a row's \(name) is missing or negative") }
                record[keyPath: keyPath] = value
            }
            let over = row.counts["prompt_over"] ?? 0
            guard over == 0 || thresholds.contains(over) else { throw Failure("prompt_over \(over) is not a threshold of the catalog") }
            try checkColumns(row)
            let first = row.values["first_time"].flatMap { Instant(iso8601: Array(($0 + "Z").utf8)) } ?? day
            let last = row.values["last_time"].flatMap { Instant(iso8601: Array(($0 + "Z").utf8)) } ?? day
            worker.account(record, records: count("records"), failed: count("failed"), promptOver: over, first: first, last: last)
        }
        var report = worker.report
        report.errors.sort()
        return report
    }
}

extension AggregateRow {
    /// Stores a column's value: counts as whole numbers, the rest as text.
    mutating func set(_ column: String, _ text: String) throws(MalformedLine) {
        columns.insert(column)
        if Aggregates.isCount(column) || column == "prompt_over" {
            guard let value = Int64(text), value >= 0 else { throw MalformedLine("\(column) is not a whole number: \(AggregateQuery.shown(text))") }
            if Aggregates.callCounts.contains(column), value > Aggregates.maximumCount {
                throw MalformedLine("\(column) is over \(Aggregates.maximumCount)")
            }
            counts[column] = value
        } else {
            values[column] = text
        }
    }

    func hasColumn(_ column: String) -> Bool {
        columns.contains { $0.lowercased() == column.lowercased() }
    }
}
