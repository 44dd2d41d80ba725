import TallyQuantities

/// Amazon Bedrock Data Automation: documents per page, images per image,
/// audio and video per minute of media, each at the standard or the custom
/// output's rate; a custom blueprint's fields beyond those included bill per
/// field per unit.
extension Pricer {
    mutating func dataAutomation() throws(PricingError) -> Breakdown {
        guard let service = workload.parsingService else { throw fail(.missingService(.parsing)) }
        let custom: Bool
        if let given = workload.customOutput {
            custom = given
        } else {
            custom = false
            assumptions.append(.defaultOutput)
        }
        let placement = try place(service)
        let included = Engine.includedBlueprintFields
        var extraFields = Rational.zero
        if let fields = workload.blueprintFields {
            guard custom else { throw fail(.fieldsNeedCustomOutput, at: "fields", "output") }
            summary.append(.blueprintFields(fields, included: included))
            if fields > included, let extra = fields.subtracting(included) { extraFields = extra }
        } else if custom {
            assumptions.append(.defaultBlueprintFields(included: included))
        }
        let media: [(perSecond: Rational?, label: String, unit: String, standard: RateKind, custom: RateKind, property: String, perMinute: Bool)] = [
            (workload.pagesPerSecond, "documents", "pages", .page, .pageCustom, "documents", false),
            (workload.mediaImagesPerSecond, "images", "images", .image, .imageCustom, "images", false),
            (workload.audioPerSecond, "audio", "minutes", .audio, .audioCustom, "audio", true),
            (workload.videoPerSecond, "video", "minutes", .video, .videoCustom, "video", true),
        ]
        for medium in media {
            guard let perSecond = medium.perSecond else { continue }
            // Audio and video are seconds of media per second: billed in minutes.
            var units = try perMonth(perSecond)
            if medium.perMinute {
                guard let minutes = units.divided(by: Rational(60)) else { throw overflow }
                units = minutes
            }
            let scale = medium.perMinute ? Rational(60) : .one
            let r = try rate(service, custom ? medium.custom : medium.standard, placement, property: medium.property)
            try add("\(medium.label) (\(custom ? "custom" : "standard") output)", units, medium.unit, rate: r, scale: scale)
            if extraFields > .zero {
                let field = try rate(service, .extraField, placement, property: "fields")
                try add("\(medium.label): \(Format.count(extraFields)) fields beyond \(Format.count(included))", try product(units, extraFields),
                        "field-\(medium.unit)", rate: field)
            }
        }
        guard !lines.isEmpty else { throw fail(.dataAutomationProcessesNothing) }
        return try finish(service, placement, mode: custom ? "custom output" : "standard output")
    }
}
