// `tally catalog import --aws-price-list`: AWS's own Bedrock price list as Tally `region` and `price` declarations.
import TallySyntax
import TallyPricing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns the bulk offer files `AmazonBedrock` and `AmazonBedrockFoundationModels`
/// into `price` blocks: one per offer, model, region, endpoint and effective
/// date, each rate's SKU named in the block's `source`. A SKU whose usage type
/// is not a Tally rate is listed, never dropped.
package enum AWSPriceListImport {
    /// An offer file larger than this is refused (AWS's Bedrock offers are tens of MB).
    package static let maximumFileBytes = 128 << 20

    package struct Unmapped: Sendable, Equatable {
        package let offer: String
        package let sku: String
        package let region: String
        package let usageType: String
        package let reason: String

        package var line: String {
            "\(offer) SKU \(AWSPriceListOffer.comment(sku)) (\(AWSPriceListOffer.comment(region)), "
                + "\(AWSPriceListOffer.comment(usageType))): \(SourceText.comment(reason))"
        }
    }

    package struct Result: Sendable {
        package var text: String
        package var skusRead: Int
        package var skusMapped: Int
        package var blocks: Int
        /// Sorted by offer and SKU.
        package var unmapped: [Unmapped]
    }

    /// One rate ready to write.
    struct Line {
        let kind: RateKind
        let value: String
        let sku: String
    }

    /// Where a block applies.
    struct BlockKey: Hashable {
        let region: String
        let model: String
        let endpoint: Endpoint?
        let since: String
        let offer: Int
    }

    /// A SKU read as a rate, before its block is known.
    struct Mapped {
        let region: String
        let model: String
        let meter: AWSUsageType.Meter
        let since: String
        let offer: Int
        let usageType: String
        let line: Line
    }

    package static func declarations(files: [(name: String, json: Data)], catalog: Catalog) throws(Diagnostic) -> Result {
        var offers: [AWSPriceListOffer] = []
        for file in files { offers.append(try AWSPriceListOffer(json: file.json, file: file.name)) }
        let names = ModelNames(catalog: catalog)

        var rates: [Mapped] = []
        var unmapped: [Unmapped] = []
        var read = 0
        var mapped = 0
        for (index, offer) in offers.enumerated() {
            for sku in offer.unpricedTerms {
                unmapped.append(Unmapped(offer: offer.code, sku: sku, region: "-", usageType: "-", reason: "an on-demand price with no product"))
            }
            for product in offer.products {
                read += 1
                let region = product.attributes["regionCode"] ?? ""
                let usageType = product.attributes["usagetype"] ?? ""
                func skip(_ reason: String) {
                    unmapped.append(Unmapped(offer: offer.code, sku: product.sku, region: region.isEmpty ? "-" : region,
                                             usageType: usageType.isEmpty ? "-" : usageType, reason: reason))
                }
                guard let price = product.price else { skip(product.priceProblem ?? "no on-demand price"); continue }
                guard LiteLLMImport.isRegion(Substring(region)) else { skip("no regionCode naming an AWS region"); continue }
                guard let model = names.model(attributes: product.attributes, offer: offer.code, usageType: usageType) else {
                    skip("no model or servicename attribute")
                    continue
                }
                let meter: AWSUsageType.Meter
                switch AWSUsageType.meter(usageType: usageType, unit: price.unit) {
                case .success(let m): meter = m
                case .failure(let why): skip(why.reason); continue
                }
                guard let amount = ExactDecimal.text(price.usd, timesPowerOfTen: meter.shift) else {
                    throw Diagnostic(.io, "\(offer.file): \(price.path): \(AWSPriceListOffer.quoted(price.usd)) per "
                        + "\(AWSPriceListOffer.comment(price.unit)) is too large a price to hold exactly", at: nil)
                }
                rates.append(Mapped(region: region, model: model, meter: meter, since: price.since, offer: index, usageType: usageType,
                                    line: Line(kind: meter.kind, value: value(amount, meter.measure), sku: product.sku)))
            }
        }

        // Where a model has a global token price in a region, its other token
        // prices there are the regional endpoint's; a price per hour or per
        // image holds on every endpoint.
        let perEndpoint = Set(rates.filter(\.meter.global).map { "\($0.region) \($0.model)" })
        var blocks: [BlockKey: [Line]] = [:]
        for rate in rates {
            let endpoint: Endpoint? = rate.meter.global ? .global
                : rate.meter.measure == .perToken && perEndpoint.contains("\(rate.region) \(rate.model)") ? .regional : nil
            let key = BlockKey(region: rate.region, model: rate.model, endpoint: endpoint, since: rate.since, offer: rate.offer)
            if let twin = blocks[key]?.first(where: { $0.kind == rate.meter.kind }) {
                unmapped.append(Unmapped(offer: offers[rate.offer].code, sku: rate.line.sku, region: rate.region, usageType: rate.usageType,
                                         reason: "sets \(rate.meter.kind) again, after SKU \(twin.sku)"))
                continue
            }
            blocks[key, default: []].append(rate.line)
            mapped += 1
        }
        unmapped.sort { ($0.offer, $0.sku) < ($1.offer, $1.sku) }
        // A model new to Tally is a text model unless it is priced per image only.
        var imageOnly: [String: Bool] = [:]
        for rate in rates where catalog.canonicalName(rate.model) == nil {
            imageOnly[rate.model] = (imageOnly[rate.model] ?? true) && rate.meter.measure == .perImage
        }
        let text = write(blocks, offers: offers, read: read, mapped: mapped, unmapped: unmapped,
                         imageModels: Set(imageOnly.filter(\.value).keys))
        return Result(text: text, skusRead: read, skusMapped: mapped, blocks: blocks.count, unmapped: unmapped)
    }

    static func value(_ amount: String, _ measure: RateKind.Measure) -> String {
        switch measure {
        case .perTime: "$\(amount)/hour"
        case .perImage: "$\(amount)/image"
        default: "$\(amount)/1M tokens"
        }
    }

    // MARK: The text

    /// Rates in the order a reader expects; any other kind follows by name.
    static let order = ["input", "output", "cache-read", "cache-write", "cache-write-1h", "batch-input", "batch-output",
                        "flex-input", "flex-output", "priority-input", "priority-output",
                        "provisioned-no-commitment", "provisioned-1-month", "provisioned-6-month", "image"]

    static func rank(_ kind: RateKind) -> (Int, String) {
        (order.firstIndex(of: kind.name) ?? order.count, kind.name)
    }

    static func write(_ blocks: [BlockKey: [Line]], offers: [AWSPriceListOffer], read: Int, mapped: Int, unmapped: [Unmapped],
                      imageModels: Set<String>) -> String {
        var text = "# Amazon Bedrock prices from AWS's price list: "
            + offers.map { "\($0.code) \(AWSPriceListOffer.comment($0.version)) (published \($0.published))" }.joined(separator: ", ") + ".\n"
        text += "# Generated by `tally catalog import --aws-price-list`: \(read) SKU\(read == 1 ? "" : "s") read, \(mapped) mapped, "
            + "\(unmapped.count) not mapped (listed at the end). Token rates are written per million tokens.\n"

        func place(_ e: Endpoint?) -> Int { e == .global ? 0 : e == .regional ? 1 : 2 }
        let keys = blocks.keys.sorted {
            ($0.region, $0.model, place($0.endpoint), $0.since, $0.offer) < ($1.region, $1.model, place($1.endpoint), $1.since, $1.offer)
        }
        var region: String?
        var kindWritten: Set<String> = []
        for key in keys {
            if key.region != region {
                text += "\nregion \(key.region)\n"
                region = key.region
            }
            let offer = offers[key.offer]
            let lines = (blocks[key] ?? []).sorted { rank($0.kind) < rank($1.kind) }
            text += "\nprice \(SourceText.stringLiteral(key.model)) <\n"
            if imageModels.contains(key.model), kindWritten.insert(key.model).inserted { text += "  kind image\n" }
            if let endpoint = key.endpoint { text += "  endpoint \(endpoint.rawValue)\n" }
            for line in lines { text += "  \(line.kind) \(line.value)\n" }
            let skus = lines.map { "\($0.kind) \($0.sku)" }.joined(separator: ", ")
            text += "  since \(SourceText.stringLiteral(key.since))\n"
            text += "  source \(SourceText.stringLiteral("AWS price list \(offer.code) \(offer.version): SKU \(skus)"))\n"
            text += "  as-of \(SourceText.stringLiteral(offer.published))\n>\n"
        }
        if !unmapped.isEmpty {
            text += "\n# Not mapped: \(unmapped.count) SKU\(unmapped.count == 1 ? "" : "s") whose price is not a Tally rate.\n"
            for entry in unmapped { text += "#   \(entry.line)\n" }
        }
        return text
    }
}

/// The name a price list model takes in Tally: the catalog's model when its
/// name, alias, id or display name matches, else the name as AWS gives it.
struct ModelNames {
    let catalog: Catalog
    /// Display names, lower-cased, → the model's name.
    let displayNames: [String: String]

    init(catalog: Catalog) {
        self.catalog = catalog
        var names: [String: String] = [:]
        for model in catalog.sortedModels {
            if let display = model.displayName { names[display.lowercased()] = model.name }
        }
        displayNames = names
    }

    /// `model` (or `titanModel`) of an `AmazonBedrock` product; the
    /// `servicename` less " (Amazon Bedrock Edition)" of a marketplace one.
    func model(attributes: [String: String], offer: String, usageType: String) -> String? {
        var given = attributes["model"] ?? attributes["titanModel"]
        if given == nil, offer == "AmazonBedrockFoundationModels", let service = attributes["servicename"] {
            let suffix = " (Amazon Bedrock Edition)"
            given = service.hasSuffix(suffix) ? String(service.dropLast(suffix.count)) : service
        }
        let trimmed = String((given ?? "").drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: SourceText.isControl) else { return nil }

        // A usage type such as `USE1-xai.grok-4.3-mantle-input-tokens` carries the Bedrock id.
        var candidates: [String] = []
        if let range = usageType.ranges(of: "-mantle-").first, let dash = usageType.firstIndex(of: "-"), dash < range.lowerBound {
            candidates.append(String(usageType[usageType.index(after: dash)..<range.lowerBound]))
        }
        candidates += [trimmed, trimmed.lowercased().split(separator: " ").joined(separator: "-")]
        for candidate in candidates {
            if let name = catalog.canonicalName(candidate) { return name }
        }
        return displayNames[trimmed.lowercased()] ?? trimmed
    }
}
