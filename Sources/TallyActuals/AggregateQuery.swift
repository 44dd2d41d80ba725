/// The SQL engines Tally writes for.
package enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb, spark, athena
}

/// One query, for DuckDB, Spark or Athena (Trino), that reads invocation-log
/// lines where they are and returns the aggregates `tally usage --aggregates`
/// prices (`AggregateRow`): per day, model id, region, service tier,
/// long-context tier, cache use and the `--by` keys, the calls counted and
/// their four token classes summed as BIGINT. The engine only scans, checks,
/// groups and sums integers; prices are Tally's, exact. The fields come from
/// `LogField`, the description the native reader dispatches on.
package struct AggregateQuery: Sendable {
    /// Where the lines are.
    package enum Source: Sendable {
        /// Files (local paths or `s3://` globs), each a line a record.
        case files([String])
        /// A table with one string column, `line`, and optionally a date
        /// partition column holding `YYYY/MM/DD` (the S3 layout's folders).
        case table(String, datePartition: String?)
    }

    package struct Refusal: Error, Sendable, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }

    package let dialect: SQLDialect
    package let source: Source
    package let by: [UsageKey]
    package let from: Instant?
    package let to: Instant?
    /// Every long-context threshold of the catalog, lowest first.
    package let thresholds: [Int64]

    /// Grouping columns every query has, in order.
    package static let baseKeys = ["day", "model_id", "region", "service_tier", "prompt_over", "reads_cache", "writes_cache"]
    /// Summed columns, in order, after the grouping ones.
    package static let sums = ["records", "failed", "malformed", "outside_period",
                               "input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens"]
    /// The time columns and the constant list of thresholds the query bucketed prompts by.
    package static let trailer = ["first_time", "last_time", "thresholds"]

    /// The column a `--by` key needs beyond the base ones, if any, and the
    /// record's field it holds.
    package static func column(for key: UsageKey) -> (name: String, path: [String])? {
        switch key {
        case .model, .profile, .region, .day, .month: nil
        case .operation: ("operation", LogField.operation.path)
        case .principal: ("principal_arn", LogField.principalARN.path)
        case .account: ("account_id", LogField.accountId.path)
        case .tag(let name): ("tag:" + name, LogField.tagPath(name))
        }
    }

    package init(dialect: SQLDialect, source: Source, by: [UsageKey], from: Instant?, to: Instant?, thresholds: [Int64]) throws(Refusal) {
        switch source {
        case .files(let paths):
            guard dialect != .athena else {
                throw Refusal("Athena reads a table: --table NAME (a table of one string column, `line`; the README has its DDL)")
            }
            guard !paths.isEmpty else { throw Refusal("no log files to read") }
            for path in paths {
                guard path.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !"'\\`\"".unicodeScalars.contains($0) })
                else { throw Refusal("a path in a query may not hold quotes, backslashes, backticks or control characters: \(AggregateQuery.shown(path))") }
                // Spark reads a glob: its own characters would match other files.
                if dialect == .spark, path.unicodeScalars.contains(where: { "{}[]*?,".unicodeScalars.contains($0) }) {
                    throw Refusal("a path Spark reads may not hold { } [ ] * ? or a comma: \(AggregateQuery.shown(path))")
                }
                // DuckDB globs a path with * ? or [: a local file so named would read others, or none.
                // An s3:// path is passed as written, its glob meant.
                if dialect == .duckdb, !path.hasPrefix("s3://"), path.unicodeScalars.contains(where: { "*?[".unicodeScalars.contains($0) }) {
                    throw Refusal("a local path DuckDB reads may not hold * ? or [ (it would read them as a glob): \(AggregateQuery.shown(path))")
                }
            }
        case .table(let name, let partition):
            guard AggregateQuery.isName(name, dots: true) else {
                throw Refusal("--table takes a name of letters, digits and _ (db.table), not \(AggregateQuery.shown(name))")
            }
            if let partition, !AggregateQuery.isName(partition, dots: false) {
                throw Refusal("--date-partition takes a column name of letters, digits and _, not \(AggregateQuery.shown(partition))")
            }
        }
        var seen: Set<String> = []
        for case .tag(let name) in by {
            guard name.utf8.allSatisfy({ AggregateQuery.tagByte($0) }) else {
                throw Refusal("tag:\(AggregateQuery.shown(name)): a tag in a query takes letters, digits and _ . : / = + @ -")
            }
            // Trino folds column names to lower case.
            guard seen.insert(name.lowercased()).inserted else { throw Refusal("tag:\(name) twice, differing only in case") }
        }
        for instant in [from, to].compactMap({ $0 }) where instant.nanoseconds != 0 {
            throw Refusal("--from and --to in a query are whole seconds, not \(instant)")
        }
        self.dialect = dialect
        self.source = source
        self.by = by
        self.from = from
        self.to = to
        self.thresholds = thresholds
    }

    /// An identifier (letters, digits, `_`, not starting with a digit), or
    /// with `dots` up to three of them joined by `.` (`catalog.db.table`).
    static func isName(_ text: String, dots: Bool) -> Bool {
        guard text.utf8.count <= 255 else { return false }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= (dots ? 3 : 1) && parts.allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 95 }
                && !(48...57).contains(part.utf8.first ?? 48)
        }
    }

    static func tagByte(_ b: UInt8) -> Bool {
        (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || "_.:/=+@-".utf8.contains(b)
    }

    /// A value in a message: printable, and short.
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            out += scalar.value < 0x20 || scalar.value == 0x7F ? "?" : String(scalar)
        }
        return out.debugDescription
    }

    /// The grouping columns beyond the base ones, in `by` order, once each.
    package var extraKeys: [(name: String, path: [String])] {
        var columns: [(name: String, path: [String])] = []
        for key in by {
            if let column = AggregateQuery.column(for: key), !columns.contains(where: { $0.name == column.name }) { columns.append(column) }
        }
        return columns
    }

    /// Every column of the result, in order.
    package var columns: [String] { AggregateQuery.baseKeys + extraKeys.map(\.name) + AggregateQuery.sums + AggregateQuery.trailer }

    // MARK: - Text

    func quoted(_ identifier: String) -> String {
        dialect == .spark ? "`\(identifier)`" : "\"\(identifier)\""
    }

    /// A JSON path for `keys`: dots for plain names, brackets otherwise.
    func jsonPath(_ keys: [String]) -> String {
        var path = "$"
        for key in keys {
            if AggregateQuery.isName(key, dots: false) {
                path += "." + key
            } else {
                path += dialect == .spark ? "['\(key)']" : "[\"\(key)\"]"
            }
        }
        return path
    }

    /// A string literal of SQL: the text has been checked to hold no quote or backslash.
    func literal(_ text: String) -> String {
        dialect == .spark && text.contains("'") ? "\"\(text)\"" : "'\(text)'"
    }

    /// The scalar at `keys` in the JSON text `j`, as text; NULL when absent.
    func extract(_ keys: [String]) -> String {
        let path = literal(jsonPath(keys))
        return switch dialect {
        case .duckdb: "json_extract_string(j, \(path))"
        case .spark: "get_json_object(j, \(path))"
        case .athena: "json_extract_scalar(j, \(path))"
        }
    }

    /// Whether `expression` matches the regular expression `pattern` (which
    /// holds no backslash or quote, so it reads the same in every dialect).
    func matches(_ expression: String, _ pattern: String) -> String {
        switch dialect {
        case .duckdb: "regexp_matches(\(expression), '\(pattern)')"
        case .spark: "\(expression) RLIKE '\(pattern)'"
        case .athena: "regexp_like(\(expression), '\(pattern)')"
        }
    }

    /// A token count as the native reader reads one: digits only, no sign,
    /// no leading zero, no fraction or exponent (an engine's own cast would
    /// round 1.5 or read 1e3); NULL otherwise.
    func count(_ raw: String) -> String {
        "CASE WHEN \(matches(raw, "^(0|[1-9][0-9]{0,12})$")) THEN CAST(\(raw) AS BIGINT) END"
    }

    /// SQL for a record's `YYYY-MM-DDTHH:MM:SS`: its timestamp's day and time
    /// of day, the separator made `T` (compared with `seconds(_:)` of a bound).
    static let recordSeconds = "concat(substr(ts, 1, 10), 'T', substr(ts, 12, 8))"
    /// The same with the fraction of a second, if any, which still sorts as
    /// text: `…T10:00:02` < `…T10:00:02.25` < `…T10:00:02.5` < `…T10:00:03`.
    static let recordInstant = "concat(substr(ts, 1, 10), 'T', substr(ts, 12, 8), substr(ts, 20, length(ts) - 20))"

    var linesSource: String {
        switch source {
        case .files(let paths):
            switch dialect {
            case .duckdb:
                let list = paths.map { "'\($0)'" }.joined(separator: ", ")
                return "SELECT line FROM read_csv([\(list)], columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', "
                    + "quote = '', escape = '', auto_detect = false, compression = 'auto', strict_mode = false, "
                    + "max_line_size = \(LineSplitter.maximumLine), new_line = '\\n')"
            case .spark:
                // One source, a Hadoop glob: the files' common folder, then
                // each file's path below it in braces (a UNION of a source a
                // file is too deep for Spark's parser past a few hundred).
                return "SELECT value AS line FROM text.`\(AggregateQuery.glob(paths))`"
            case .athena:
                // Refused by init: Athena reads a table.
                return "SELECT line FROM (SELECT CAST(NULL AS VARCHAR) AS line) AS none WHERE 1 = 0"
            }
        case .table(let name, let partition):
            var text = "SELECT line FROM \(name)"
            var conditions: [String] = []
            if dialect == .athena {
                // Athena reads every object under a location: not the bodies
                // in data/, nor the permission-check object (the native walk's rule).
                conditions.append("\"$path\" NOT LIKE '%/data/%'")
                conditions.append("\"$path\" NOT LIKE '%/\(LogSources.permissionCheck)'")
            }
            if let partition {
                if let from { conditions.append("\(quoted(partition)) >= '\(AggregateQuery.folder(from))'") }
                // `to` is the first instant left out: its day is read only when it does not start it.
                if let to { conditions.append("\(quoted(partition)) <= '\(AggregateQuery.folder(Instant(seconds: to.seconds - 1)))'") }
            }
            if !conditions.isEmpty { text += " WHERE " + conditions.joined(separator: " AND ") }
            return text
        }
    }

    /// `DIR/{a/x.json.gz,b/y.json.gz}`: one Hadoop glob matching exactly `paths`.
    static func glob(_ paths: [String]) -> String {
        guard paths.count > 1, let first = paths.first else { return paths.first ?? "" }
        var common = first.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for path in paths.dropFirst() {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            var n = 0
            while n < common.count, n < parts.count, common[common.startIndex + n] == parts[parts.startIndex + n] { n += 1 }
            common = common.prefix(n)
        }
        let prefix = common.joined(separator: "/")
        let start = common.isEmpty ? 0 : prefix.utf8.count + 1
        let rest = paths.map { String(decoding: Array($0.utf8).dropFirst(start), as: UTF8.self) }
        return (common.isEmpty ? "" : prefix + "/") + "{" + rest.joined(separator: ",") + "}"
    }

    /// `2026/11/03`: a day as the S3 layout's folders name it.
    static func folder(_ instant: Instant) -> String {
        instant.dayText.replacingDashes()
    }

    /// `2026-11-03T14:05:09`: the first 19 characters of a record's timestamp.
    static func seconds(_ instant: Instant) -> String {
        String(instant.description.prefix(19))
    }

    /// An ISO-8601 UTC time as the native reader takes one (a day that
    /// exists, `T`, `t` or a space, a fraction of up to nine digits, `Z`).
    var timestampChecked: String {
        let pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,9})?Z$"
        let day = dialect == .spark ? "try_cast(substr(ts, 1, 10) AS DATE)" : "TRY_CAST(substr(ts, 1, 10) AS DATE)"
        return "\(matches("ts", pattern)) AND \(day) IS NOT NULL"
    }

    package var text: String {
        let maximum = LogScanner.maximumTokens
        func valid(_ name: String) -> String { "(\(name)_raw IS NULL OR (\(name)_n IS NOT NULL AND \(name)_n BETWEEN 0 AND \(maximum)))" }
        let object: String = switch dialect {
        case .duckdb: "CASE WHEN json_valid(o) THEN o END"
        case .spark: "o"
        case .athena: "CASE WHEN try(json_parse(o)) IS NOT NULL THEN o END"
        }
        let tier = [LogField.serviceTier, LogField.bodyServiceTier].flatMap { [extract($0.path + [LogField.Name.tierType]), extract($0.path)] }
        var fields = [
            "\(extract(LogField.timestamp.path)) AS ts",
            "\(extract(LogField.modelId.path)) AS model_id",
            "\(extract(LogField.region.path)) AS region",
            "coalesce(\(tier.joined(separator: ", "))) AS service_tier",
            "\(extract(LogField.errorCode.path)) AS error_code",
            "\(extract(LogField.inputTokens.path)) AS input_raw",
            "\(extract(LogField.cacheReadTokens.path)) AS cache_read_raw",
            "\(extract(LogField.cacheWriteTokens.path)) AS cache_write_raw",
            "\(extract(LogField.outputTokens.path)) AS output_raw",
        ]
        let extra = extraKeys
        for column in extra { fields.append("\(extract(column.path)) AS \(quoted(column.name))") }
        var period = ""
        if let from { period += " AND \(AggregateQuery.recordSeconds) >= '\(AggregateQuery.seconds(from))'" }
        if let to { period += " AND \(AggregateQuery.recordSeconds) < '\(AggregateQuery.seconds(to))'" }
        var promptOver = "0"
        if !thresholds.isEmpty {
            promptOver = "CASE " + thresholds.reversed().map { "WHEN prompt > \($0) THEN \($0)" }.joined(separator: " ") + " ELSE 0 END"
        }
        let keys: [(String, String)] = [
            ("day", "substr(ts, 1, 10)"),
            ("model_id", "model_id"),
            ("region", "region"),
            ("service_tier", "service_tier"),
            ("prompt_over", promptOver),
            ("reads_cache", "CASE WHEN coalesce(cache_read_n, 0) > 0 THEN 1 ELSE 0 END"),
            ("writes_cache", "CASE WHEN coalesce(cache_write_n, 0) > 0 THEN 1 ELSE 0 END"),
        ] + extra.map { (quoted($0.name), quoted($0.name)) }
        let succeeded = "inside = 1 AND is_failed = 0"
        var select = keys.map { "CASE WHEN inside = 1 THEN \($0.1) END AS \($0.0)" }
        select += [
            "CAST(SUM(CASE WHEN \(succeeded) THEN 1 ELSE 0 END) AS BIGINT) AS records",
            "CAST(SUM(CASE WHEN inside = 1 AND is_failed = 1 THEN 1 ELSE 0 END) AS BIGINT) AS failed",
            "CAST(SUM(CASE WHEN ok = 1 THEN 0 ELSE 1 END) AS BIGINT) AS malformed",
            "CAST(SUM(CASE WHEN ok = 1 AND inside = 0 THEN 1 ELSE 0 END) AS BIGINT) AS outside_period",
            "CAST(SUM(CASE WHEN \(succeeded) THEN coalesce(input_n, 0) ELSE 0 END) AS BIGINT) AS input_tokens",
            "CAST(SUM(CASE WHEN \(succeeded) THEN coalesce(cache_read_n, 0) ELSE 0 END) AS BIGINT) AS cache_read_tokens",
            "CAST(SUM(CASE WHEN \(succeeded) THEN coalesce(cache_write_n, 0) ELSE 0 END) AS BIGINT) AS cache_write_tokens",
            "CAST(SUM(CASE WHEN \(succeeded) THEN coalesce(output_n, 0) ELSE 0 END) AS BIGINT) AS output_tokens",
            "MIN(CASE WHEN inside = 1 THEN \(AggregateQuery.recordInstant) END) AS first_time",
            "MAX(CASE WHEN inside = 1 THEN \(AggregateQuery.recordInstant) END) AS last_time",
            "'\(thresholds.map(String.init).joined(separator: ","))' AS thresholds",
        ]
        let groups = (1...keys.count).map(String.init).joined(separator: ", ")
        return """
            -- Bedrock model-invocation logs summed for `tally usage --aggregates` (\(dialect.rawValue)): \
            calls and BIGINT token sums per day, model id, region, tier and group; Tally prices the result.
            WITH lines AS (
              \(linesSource)
            ),
            objects AS (
              SELECT \(object) AS j
              FROM (SELECT CASE WHEN position('{' IN line) BETWEEN 1 AND 65 THEN substr(line, position('{' IN line)) END AS o
                    FROM lines WHERE \(matches("line", "[^ \\t\\r]"))) AS t
            ),
            fields AS (
              SELECT
                \(fields.joined(separator: ",\n    "))
              FROM objects
            ),
            typed AS (
              SELECT *,
                \(count("input_raw")) AS input_n, \(count("cache_read_raw")) AS cache_read_n,
                \(count("cache_write_raw")) AS cache_write_n, \(count("output_raw")) AS output_n,
                CASE WHEN error_code IS NOT NULL THEN 1 ELSE 0 END AS is_failed
              FROM fields
            ),
            checked AS (
              SELECT *,
                CASE WHEN ts IS NOT NULL AND \(timestampChecked) AND model_id IS NOT NULL AND model_id <> ''
                  AND \(valid("input")) AND \(valid("cache_read")) AND \(valid("cache_write")) AND \(valid("output"))
                  AND (is_failed = 1 OR (input_raw IS NOT NULL AND output_raw IS NOT NULL))
                THEN 1 ELSE 0 END AS ok
              FROM typed
            ),
            marked AS (
              SELECT *,
                CASE WHEN ok = 1\(period) THEN 1 ELSE 0 END AS inside,
                coalesce(input_n, 0) + coalesce(cache_read_n, 0) + coalesce(cache_write_n, 0) AS prompt
              FROM checked
            )
            SELECT
              \(select.joined(separator: ",\n  "))
            FROM marked
            GROUP BY \(groups)
            ORDER BY \((1...keys.count).map { "\($0) NULLS LAST" }.joined(separator: ", "))

            """
    }
}

extension AggregateQuery {
    /// The query with each row as one JSON object (nulls kept), for a
    /// program whose plain output could be broken by a tab or a newline in a
    /// value (Spark's `spark-sql`).
    package var jsonRows: String {
        let fields = columns.map { "'\($0)', \(quoted($0))" }.joined(separator: ", ")
        switch dialect {
        case .spark:
            return "SELECT to_json(named_struct(\(fields)), map('ignoreNullFields', 'false')) AS row FROM (\n\(text)) AS r"
        case .duckdb, .athena:
            return text
        }
    }
}

extension String {
    fileprivate func replacingDashes() -> String { String(map { $0 == "-" ? "/" : $0 }) }
}
