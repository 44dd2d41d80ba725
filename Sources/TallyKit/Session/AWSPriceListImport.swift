// `tally catalog import --aws-price-list`: AWS's own Bedrock price list as Tally `region` and `price` declarations.
import TallySyntax
import TallyPricing
import TallyActuals

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns the bulk offer files `AmazonBedrock` and `AmazonBedrockFoundationModels`
/// into `price` blocks under `region` lines: one per SKU, whose `source` names
/// the offer, its version, the SKU and its usage type. A SKU whose usage type
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
        /// Sorted by offer and SKU.
        package var unmapped: [Unmapped]
    }

    /// One SKU's rate, ready to write as a block of its own, so that each
    /// rate's `source` names its SKU and usage type.
    struct Mapped {
        let region: String
        let model: String
        let meter: AWSUsageType.Meter
        let since: String
        let offer: Int
        let sku: String
        let usageType: String
        let value: String
        var endpoint: Endpoint? = nil
    }

    package static func declarations(files: [(name: String, json: Data)], catalog: Catalog) throws(Diagnostic) -> Result {
        var offers: [AWSPriceListOffer] = []
        for file in files { offers.append(try AWSPriceListOffer(json: file.json, file: file.name)) }
        let names = ModelNames(catalog: catalog)

        var rates: [Mapped] = []
        var unmapped: [Unmapped] = []
        var read = 0
        var newModelIDs: [String: String] = [:]
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
                guard let (model, id) = names.model(attributes: product.attributes, offer: offer.code, usageType: usageType) else {
                    skip("no model or servicename attribute")
                    continue
                }
                if let id, newModelIDs[model] == nil { newModelIDs[model] = id }
                let meter: AWSUsageType.Meter
                switch AWSUsageType.meter(usageType: usageType, unit: price.unit) {
                case .success(let m): meter = m
                case .failure(let why): skip(why.reason); continue
                }
                guard let amount = ExactDecimal.text(price.usd, timesPowerOfTen: meter.shift) else {
                    throw Diagnostic(.io, "\(offer.file): \(price.path): \(AWSPriceListOffer.quoted(price.usd)) per "
                        + "\(AWSPriceListOffer.comment(price.unit)) is too large a price to hold exactly", at: nil)
                }
                rates.append(Mapped(region: region, model: model, meter: meter, since: price.since, offer: index, sku: product.sku,
                                    usageType: usageType, value: value(amount, meter.measure)))
            }
        }

        // Where a model has a global token price in a region, its other token
        // prices there are the regional endpoint's; a price per hour or per
        // image holds on every endpoint.
        let perEndpoint = Set(rates.filter(\.meter.global).map { "\($0.region) \($0.model)" })
        // The first of two SKUs for one rate is kept whatever the order of the files.
        rates.sort { (offers[$0.offer].code, offers[$0.offer].version, $0.sku) < (offers[$1.offer].code, offers[$1.offer].version, $1.sku) }
        var written: [String: String] = [:]
        var blocks: [Mapped] = []
        for var rate in rates {
            rate.endpoint = rate.meter.global ? .global
                : rate.meter.measure == .perToken && perEndpoint.contains("\(rate.region) \(rate.model)") ? .regional : nil
            let scope = "\(rate.region) \(rate.model) \(rate.endpoint?.rawValue ?? "-") \(rate.meter.kind) \(rate.since)"
            if let twin = written[scope] {
                unmapped.append(Unmapped(offer: offers[rate.offer].code, sku: rate.sku, region: rate.region, usageType: rate.usageType,
                                         reason: "sets \(rate.meter.kind) again, after SKU \(twin)"))
                continue
            }
            written[scope] = rate.sku
            blocks.append(rate)
        }
        unmapped.sort { ($0.offer, $0.sku) < ($1.offer, $1.sku) }
        // A model new to Tally answers to its Bedrock id when the usage type
        // gives one, and is a text model unless it is priced per image only.
        var imageOnly: [String: Bool] = [:]
        for rate in blocks where catalog.canonicalName(rate.model) == nil {
            imageOnly[rate.model] = (imageOnly[rate.model] ?? true) && rate.meter.measure == .perImage
        }
        var firstLines: [String: [String]] = [:]
        var claimed: Set<String> = []
        for model in imageOnly.keys.sorted() {
            if imageOnly[model] == true { firstLines[model, default: []].append("kind image") }
            if let id = newModelIDs[model], imageOnly[id] == nil, claimed.insert(id).inserted {
                firstLines[model, default: []].append("id \(SourceText.stringLiteral(id))")
            }
        }
        let text = write(blocks, offers: offers, read: read, unmapped: unmapped, firstLines: firstLines)
        return Result(text: text, skusRead: read, skusMapped: blocks.count, unmapped: unmapped)
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

    static func write(_ blocks: [Mapped], offers: [AWSPriceListOffer], read: Int, unmapped: [Unmapped], firstLines: [String: [String]]) -> String {
        var text = "# Amazon Bedrock prices from AWS's price list: "
            + offers.map { "\($0.code) \(AWSPriceListOffer.comment($0.version)) (published \($0.published))" }.joined(separator: ", ") + ".\n"
        text += "# Generated by `tally catalog import --aws-price-list`: \(read) SKU\(read == 1 ? "" : "s") read, \(blocks.count) mapped "
            + "(a block each), \(unmapped.count) not mapped (listed at the end). Token rates are written per million tokens.\n"

        func place(_ e: Endpoint?) -> Int { e == .global ? 0 : e == .regional ? 1 : 2 }
        func before(_ a: Mapped, _ b: Mapped) -> Bool {
            let (ka, kb) = (rank(a.meter.kind), rank(b.meter.kind))
            if (a.region, a.model, place(a.endpoint)) != (b.region, b.model, place(b.endpoint)) {
                return (a.region, a.model, place(a.endpoint)) < (b.region, b.model, place(b.endpoint))
            }
            return (ka.0, ka.1, a.since, a.offer, a.sku) < (kb.0, kb.1, b.since, b.offer, b.sku)
        }
        var region: String?
        var introduced: Set<String> = []
        for rate in blocks.sorted(by: before) {
            if rate.region != region {
                text += "\nregion \(rate.region)\n"
                region = rate.region
            }
            let offer = offers[rate.offer]
            text += "\nprice \(SourceText.stringLiteral(rate.model)) <\n"
            if let lines = firstLines[rate.model], introduced.insert(rate.model).inserted {
                for line in lines { text += "  \(line)\n" }
            }
            if let endpoint = rate.endpoint { text += "  endpoint \(endpoint.rawValue)\n" }
            text += "  \(rate.meter.kind) \(rate.value)\n"
            text += "  since \(SourceText.stringLiteral(rate.since))\n"
            let source = "AWS price list \(offer.code) \(offer.version), SKU \(rate.sku) (\(rate.usageType))"
            text += "  source \(SourceText.stringLiteral(source))\n"
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
    /// With the Bedrock id a usage type such as `USE1-xai.grok-4.3-mantle-input-tokens` carries.
    func model(attributes: [String: String], offer: String, usageType: String) -> (name: String, id: String?)? {
        var given = attributes["model"] ?? attributes["titanModel"]
        if given == nil, offer == "AmazonBedrockFoundationModels", let service = attributes["servicename"] {
            let suffix = " (Amazon Bedrock Edition)"
            given = service.hasSuffix(suffix) ? String(service.dropLast(suffix.count)) : service
        }
        let words = (given ?? "").split(separator: " ")
        let trimmed = words.joined(separator: " ")
        guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: SourceText.isControl) else { return nil }

        var id: String?
        if let range = usageType.ranges(of: "-mantle-").first, let dash = usageType.firstIndex(of: "-"), dash < range.lowerBound {
            let text = String(usageType[usageType.index(after: dash)..<range.lowerBound])
            if text.contains("."), !text.unicodeScalars.contains(where: SourceText.isControl) { id = text }
        }
        let candidates: [String?] = [id, trimmed, trimmed.lowercased().split(separator: " ").joined(separator: "-")]
        for candidate in candidates.compactMap({ $0 }) {
            if let name = catalog.canonicalName(candidate) { return (name, nil) }
        }
        // AWS writes `Nova 2.0 Lite` where the catalog says `Nova 2 Lite`.
        let whole = words.map { (word: Substring) -> Substring in
            let integer = word.dropLast(2)
            return word.hasSuffix(".0") && !integer.isEmpty && integer.allSatisfy(\.isNumber) ? integer : word
        }.joined(separator: " ")
        if let name = displayNames[trimmed.lowercased()] ?? displayNames[whole.lowercased()] { return (name, nil) }
        // The reviewed table a CUR is read with: the usage type's own model part.
        if let part = BedrockUsageType.modelPart(of: usageType), let name = BedrockUsageType.model(part, catalog: catalog) { return (name, nil) }
        return (trimmed, id)
    }
}
