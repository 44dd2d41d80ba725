import TallyQuantities
import TallyPricing

/// Reads CUR 2.0 rows (one `CSVRecords.Record` at a time, the header first in
/// each file) into sums per usage type, day and grouping, in memory bounded by
/// the number of those, then prices them with the catalog: `report()`.
package struct CURBill {
    package static let required = ["line_item_product_code", "line_item_usage_type", "line_item_usage_amount",
                                   "line_item_unblended_cost", "line_item_usage_start_date"]
    package static let bedrockProducts: Set<String> = ["AmazonBedrock", "AmazonBedrockService", "AmazonBedrockAgentCore"]
    package static let malformedShown = 20
    /// Past this many sums (usage type × day × grouping), the input is refused.
    package static let maximumCells = 200_000
    package static let maximumUnpricedListed = 1_000

    /// A file's columns, from its header.
    package struct Columns {
        let index: [String: Int]
        let count: Int
        /// The columns every row reads, looked up once.
        let product, usageType, amount, cost, start, lineItemType, unit: Int?

        init(index: [String: Int], count: Int) {
            (self.index, self.count) = (index, count)
            (product, usageType, amount, cost) = (index["line_item_product_code"], index["line_item_usage_type"],
                                                  index["line_item_usage_amount"], index["line_item_unblended_cost"])
            (start, lineItemType, unit) = (index["line_item_usage_start_date"], index["line_item_line_item_type"], index["pricing_unit"])
        }

        subscript(_ name: String, in fields: [String]) -> String? { self[index[name], in: fields] }

        subscript(_ column: Int?, in fields: [String]) -> String? {
            column.flatMap { $0 < fields.count ? fields[$0] : nil }
        }
    }

    struct Cell {
        let usage: BedrockUsageType
        let usageType: String
        let day: CatalogDay
        let key: [String]
        var rows = 0
        var tokens = Rational.zero
        var cur = Rational.zero
    }

    struct CellKey: Hashable {
        let usageType: String
        let day: CatalogDay
        let key: [String]
    }

    let catalog: Catalog
    var report: CURReport
    var cells: [CellKey: Cell] = [:]
    var unpriced: [String: CURReport.Unpriced] = [:]
    var usageTypes: [String: Result<BedrockUsageType, AWSUsageType.Unmapped>] = [:]
    /// Set when the input cannot be read on: a missing column, too many sums.
    package private(set) var failure: String?

    package init(catalog: Catalog, by: [CURReport.Key], tolerance: Rational) {
        self.catalog = catalog
        report = CURReport(by: by, tolerance: tolerance)
    }

    /// The header of `file`: its columns, or nil after recording why it will not do.
    package mutating func header(_ record: CSVRecords.Record, file: String) -> Columns? {
        report.files.append(file)
        var index: [String: Int] = [:]
        for (i, name) in record.fields.enumerated() where index[name] == nil { index[name] = i }
        if let problem = record.problem {
            failure = "\(file):\(record.line): the header cannot be read: \(problem)"
            return nil
        }
        let missing = CURBill.required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            failure = "\(file):\(record.line): the header has no column " + missing.map { "`\($0)`" }.joined(separator: ", ")
                + " (a CUR 2.0 data export names \(missing.count == 1 ? "it" : "them"))"
            return nil
        }
        return Columns(index: index, count: record.fields.count)
    }

    package mutating func add(_ record: CSVRecords.Record, columns: Columns, file: String) {
        guard failure == nil else { return }
        report.counts.read += 1
        func malformed(_ reason: String) { noteMalformed(file: file, line: record.line, reason: reason) }
        if let problem = record.problem { return malformed(problem) }
        let fields = record.fields
        guard fields.count == columns.count else {
            return malformed("\(fields.count) field\(fields.count == 1 ? "" : "s") where the header has \(columns.count)")
        }
        let product = columns[columns.product, in: fields] ?? ""
        let usageType = columns[columns.usageType, in: fields] ?? ""
        guard let cost = CURNumbers.decimal(columns[columns.cost, in: fields] ?? "") else {
            return malformed("unblended cost `\(Self.clipped(columns[columns.cost, in: fields] ?? ""))` is not a decimal")
        }
        guard CURBill.bedrockProducts.contains(product) else {
            report.counts.notBedrock += 1
            return
        }
        if let type = columns[columns.lineItemType, in: fields], !type.isEmpty, type != "Usage" {
            report.counts.otherLineItems += 1
            guard let sum = report.curOtherUSD.adding(cost) else { return fail("the costs of other line items do not fit") }
            report.curOtherUSD = sum
            return
        }
        let amountText = columns[columns.amount, in: fields] ?? ""
        guard let amount = CURNumbers.decimal(amountText) else {
            return malformed("usage amount `\(Self.clipped(amountText))` is not a decimal")
        }
        let dateText = columns[columns.start, in: fields] ?? ""
        guard let day = CURNumbers.day(dateText) else {
            return malformed("usage start date `\(Self.clipped(dateText))` is not a date")
        }
        report.first = min(report.first ?? day, day)
        report.last = max(report.last ?? day, day)

        if product == "AmazonBedrockAgentCore" {
            return addUnpriced(usageType, "AgentCore: Tally compares model tokens only", cost)
        }
        let usage: BedrockUsageType
        switch readUsageType(usageType) {
        case .success(let read): usage = read
        case .failure(let why): return addUnpriced(usageType, why.reason, cost)
        }
        guard let unit = columns[columns.unit, in: fields], !unit.isEmpty else {
            return addUnpriced(usageType, "no pricing_unit: the usage amount's unit is unknown", cost)
        }
        guard let power = AWSUsageType.tokensPerUnitPower(unit.lowercased()), let scale = Rational(10).power(power),
              let tokens = amount.multiplied(by: scale) else {
            return addUnpriced(usageType, "unit `\(Self.clipped(unit))` is not tokens, 1K or 1M tokens", cost)
        }
        let key = report.by.map { value(of: $0, usage: usage, usageType: usageType, day: day, fields: fields, columns: columns) }
        let cellKey = CellKey(usageType: usageType, day: day, key: key)
        var cell = cells[cellKey] ?? Cell(usage: usage, usageType: usageType, day: day, key: key)
        guard cells[cellKey] != nil || cells.count < CURBill.maximumCells else {
            return fail("more than \(CURBill.maximumCells) sums of usage type, day and grouping")
        }
        guard let t = cell.tokens.adding(tokens), let c = cell.cur.adding(cost) else {
            return malformed("the sums of usage type `\(Self.clipped(usageType))` no longer fit exactly")
        }
        cell.rows += 1
        cell.tokens = t
        cell.cur = c
        cells[cellKey] = cell
    }

    /// A usage type read once: an export repeats a few hundred of them.
    mutating func readUsageType(_ usageType: String) -> Result<BedrockUsageType, AWSUsageType.Unmapped> {
        if let known = usageTypes[usageType] { return known }
        let read = BedrockUsageType.read(usageType, catalog: catalog)
        if usageTypes.count < CURBill.maximumUnpricedListed * 10 { usageTypes[usageType] = read }
        return read
    }

    mutating func noteMalformed(file: String, line: Int, reason: String) {
        report.counts.malformed += 1
        if report.malformed.count < CURBill.malformedShown { report.malformed.append(.init(file: file, line: line, reason: reason)) }
    }

    mutating func fail(_ message: String) {
        if failure == nil { failure = message }
    }

    mutating func addUnpriced(_ usageType: String, _ reason: String, _ cost: Rational) {
        report.counts.unpriced += 1
        let listed = unpriced.count < CURBill.maximumUnpricedListed || unpriced[usageType + "\n" + reason] != nil
        let (type, why) = listed ? (usageType, reason) : ("(others)", "more usage types than Tally lists")
        var entry = unpriced[type + "\n" + why] ?? .init(usageType: type, reason: why, rows: 0, curUSD: .zero)
        guard let sum = entry.curUSD.adding(cost) else { return fail("the costs of usage type `\(Self.clipped(usageType))` do not fit") }
        entry.rows += 1
        entry.curUSD = sum
        unpriced[type + "\n" + why] = entry
    }

    func value(of key: CURReport.Key, usage: BedrockUsageType, usageType: String, day: CatalogDay, fields: [String],
               columns: Columns) -> String {
        func column(_ name: String) -> String {
            let text = columns[name, in: fields] ?? ""
            return text.isEmpty ? "(none)" : text
        }
        switch key {
        case .model: return usage.model
        case .tokenClass: return usage.tokenClass
        case .tier: return usage.tier ?? "standard"
        case .endpoint: return usage.endpoint.rawValue
        case .region: return usage.region
        case .day: return day.description
        case .month: return String(day.description.prefix(7))
        case .usageType: return usageType
        case .account: return column("line_item_usage_account_id")
        case .principal: return column("line_item_iam_principal")
        case .resource: return column("line_item_resource_id")
        case .operation: return column("line_item_operation")
        case .profile:
            // An application inference profile is the resource its usage is billed to.
            let resource = columns["line_item_resource_id", in: fields] ?? ""
            return resource.contains(":application-inference-profile/") ? resource : "(none)"
        case .tag(let name):
            for candidate in ["resourceTags/\(name)", "resourceTags/user:\(name)"] where columns.index[candidate] != nil {
                return column(candidate)
            }
            return CURTags.value(of: name, in: columns["resource_tags", in: fields] ?? "") ?? "(none)"
        }
    }

    static func clipped(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(28)) + "…" + String(text.suffix(28))
    }
}
