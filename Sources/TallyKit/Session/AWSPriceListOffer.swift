// Reading one AWS Price List bulk offer file (JSON) for Amazon Bedrock: its SKUs and their on-demand prices.
import TallySyntax
import TallyPricing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One offer file: `formatVersion`, `offerCode`, `version`, `publicationDate`,
/// `products` (SKU → `productFamily`, `attributes`) and `terms.OnDemand`
/// (SKU → offer term → `effectiveDate`, `priceDimensions` → `unit`,
/// `pricePerUnit.USD`, `beginRange`, `endRange`). Anything else of the wrong
/// shape is an error naming the file and the JSON path.
struct AWSPriceListOffer {
    static let offerCodes = ["AmazonBedrock", "AmazonBedrockFoundationModels"]

    let file: String
    let code: String
    let version: String
    /// `publicationDate`'s day, `2026-11-20`.
    let published: String
    let products: [Product]
    /// SKUs priced in `terms.OnDemand` with no product, sorted.
    let unpricedTerms: [String]

    struct Product {
        let sku: String
        let attributes: [String: String]
        /// The SKU's on-demand price, nil when it has none.
        let price: Price?
        /// Why the price cannot be read as one rate (several terms or dimensions, a tiered range).
        let priceProblem: String?
    }

    struct Price {
        let unit: String
        /// `pricePerUnit.USD` as written: `0.0008000000`.
        let usd: String
        /// `effectiveDate`'s day.
        let since: String
        /// Where `usd` is, for messages.
        let path: String
    }

    init(json: Data, file: String) throws(Diagnostic) {
        self.file = file
        let root = try JSONValue.read(json, file: file)
        let top = try Self.object(root, "the top level", file)
        let format = try Self.string(top["formatVersion"], "formatVersion", file)
        guard format == "v1.0" else {
            throw Diagnostic(.io, "\(file): formatVersion: \(Self.quoted(format)) is not v1.0, the offer format Tally reads", at: nil)
        }
        code = try Self.string(top["offerCode"], "offerCode", file)
        guard Self.offerCodes.contains(code) else {
            throw Diagnostic(.io, "\(file): offerCode: \(Self.quoted(code)) is not \(Self.offerCodes.joined(separator: " or "))", at: nil)
        }
        version = try Self.string(top["version"], "version", file)
        published = try Self.day(try Self.string(top["publicationDate"], "publicationDate", file), "publicationDate", file)

        let productsObject = try Self.object(top["products"], "products", file)
        let terms = try Self.object(top["terms"], "terms", file)
        let onDemand = try Self.object(terms["OnDemand"], "terms.OnDemand", file)

        var products: [Product] = []
        for sku in productsObject.keys.sorted(by: LiteLLMImport.utf8Less) {
            let path = "products\(Self.key(sku))"
            let product = try Self.object(productsObject[sku], path, file)
            let named = try Self.string(product["sku"], path + ".sku", file)
            guard named == sku else {
                throw Diagnostic(.io, "\(file): \(path).sku: \(Self.quoted(named)) is not the product's key", at: nil)
            }
            var attributes: [String: String] = [:]
            for (name, value) in try Self.object(product["attributes"], path + ".attributes", file) {
                attributes[name] = try Self.string(value, path + ".attributes" + Self.key(name), file)
            }
            let (price, problem) = try Self.price(of: sku, onDemand[sku], file)
            products.append(Product(sku: sku, attributes: attributes, price: price, priceProblem: problem))
        }
        self.products = products
        unpricedTerms = onDemand.keys.filter { productsObject[$0] == nil }.sorted(by: LiteLLMImport.utf8Less)
    }

    /// The single on-demand rate of a SKU, or why there is not one.
    static func price(of sku: String, _ value: JSONValue?, _ file: String) throws(Diagnostic) -> (Price?, String?) {
        guard let value else { return (nil, "no on-demand price") }
        let path = "terms.OnDemand\(key(sku))"
        let offers = try object(value, path, file)
        guard offers.count == 1, let (termCode, termValue) = offers.first else {
            return (nil, offers.isEmpty ? "no on-demand price" : "\(offers.count) on-demand offer terms")
        }
        let termPath = path + key(termCode)
        let term = try object(termValue, termPath, file)
        let since = try day(try string(term["effectiveDate"], termPath + ".effectiveDate", file), termPath + ".effectiveDate", file)
        let dimensions = try object(term["priceDimensions"], termPath + ".priceDimensions", file)
        guard dimensions.count == 1, let (rateCode, dimensionValue) = dimensions.first else {
            return (nil, dimensions.isEmpty ? "no price dimension" : "\(dimensions.count) price dimensions (a tiered price)")
        }
        let dimensionPath = termPath + ".priceDimensions" + key(rateCode)
        let dimension = try object(dimensionValue, dimensionPath, file)
        let unit = try string(dimension["unit"], dimensionPath + ".unit", file)
        let perUnit = try object(dimension["pricePerUnit"], dimensionPath + ".pricePerUnit", file)
        let usdPath = dimensionPath + ".pricePerUnit.USD"
        let usd = try string(perUnit["USD"], usdPath, file)
        guard ExactDecimal.text(usd, timesPowerOfTen: 0) != nil else {
            throw Diagnostic(.io, "\(file): \(usdPath): \(quoted(usd)) is not a price Tally holds exactly "
                + "(a non-negative decimal, at most \(ExactDecimal.maximumIntegerDigits) digits before the point "
                + "and \(ExactDecimal.maximumFractionDigits) after)", at: nil)
        }
        let begin = try optionalString(dimension["beginRange"], dimensionPath + ".beginRange", file) ?? "0"
        let end = try optionalString(dimension["endRange"], dimensionPath + ".endRange", file) ?? "Inf"
        guard ExactDecimal.text(begin, timesPowerOfTen: 0) == "0", end == "Inf" else {
            return (nil, "a tiered price (from \(comment(begin)) to \(comment(end)) \(comment(unit)))")
        }
        return (Price(unit: unit, usd: usd, since: since, path: usdPath), nil)
    }

    // MARK: Shapes, with the path in each error

    static func object(_ value: JSONValue?, _ path: String, _ file: String) throws(Diagnostic) -> [String: JSONValue] {
        guard case .object(let object)? = value else { throw wrongType(value, "an object", path, file) }
        return object
    }

    static func string(_ value: JSONValue?, _ path: String, _ file: String) throws(Diagnostic) -> String {
        guard case .string(let text)? = value else { throw wrongType(value, "a string", path, file) }
        return text
    }

    static func optionalString(_ value: JSONValue?, _ path: String, _ file: String) throws(Diagnostic) -> String? {
        guard let value else { return nil }
        return try string(value, path, file)
    }

    /// `2026-11-01T00:00:00Z` → `2026-11-01`.
    static func day(_ text: String, _ path: String, _ file: String) throws(Diagnostic) -> String {
        let day = String(text.prefix(10))
        guard day.count == 10, CatalogDay(day) != nil, text.count == 10 || text.dropFirst(10).first == "T" else {
            throw Diagnostic(.io, "\(file): \(path): \(quoted(text)) is not a date such as 2026-11-01T00:00:00Z", at: nil)
        }
        return day
    }

    static func wrongType(_ value: JSONValue?, _ expected: String, _ path: String, _ file: String) -> Diagnostic {
        let found: String
        switch value {
        case nil: found = "nothing"
        case .null?: found = "null"
        case .bool?: found = "a boolean"
        case .number?: found = "a number"
        case .string?: found = "a string"
        case .array?: found = "an array"
        case .object?: found = "an object"
        case .unreadable?: found = "an unreadable value"
        }
        return Diagnostic(.io, "\(file): \(path): expected \(expected), found \(found)", at: nil)
    }

    /// A key in a path: `["JRTCKXETXF"]`, one line and at most 64 characters.
    static func key(_ name: String) -> String { "[" + quoted(name) + "]" }

    static func quoted(_ text: String) -> String {
        let short = text.count > 64 ? String(text.prefix(64)) + "…" : text
        return SourceText.stringLiteral(short)
    }

    static func comment(_ text: String) -> String {
        SourceText.comment(text.count > 64 ? String(text.prefix(64)) + "…" : text)
    }
}
