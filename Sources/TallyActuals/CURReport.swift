import TallyQuantities
import TallyPricing

/// What a Cost and Usage Report billed for Bedrock tokens, grouped, beside
/// what Tally's catalog says the same usage costs: data only, the renderers
/// turn it into text, JSON, CSV or Markdown.
package struct CURReport: Sendable {
    /// A `--by` key.
    package enum Key: Sendable, Equatable {
        case model, tokenClass, tier, endpoint, region, day, month, usageType, account, principal, resource, operation, profile
        case tag(String)

        package static let names = ["model", "class", "tier", "endpoint", "region", "day", "month", "usage-type", "account",
                                    "principal", "resource", "operation", "profile", "tag:NAME"]

        package init?(_ text: String) {
            switch text {
            case "model": self = .model
            case "class": self = .tokenClass
            case "tier": self = .tier
            case "endpoint": self = .endpoint
            case "region": self = .region
            case "day": self = .day
            case "month": self = .month
            case "usage-type": self = .usageType
            case "account": self = .account
            case "principal": self = .principal
            case "resource": self = .resource
            case "operation": self = .operation
            case "profile": self = .profile
            default:
                guard text.hasPrefix("tag:"), text.count > 4, text.count <= 128 else { return nil }
                self = .tag(String(text.dropFirst(4)))
            }
        }

        package var name: String {
            switch self {
            case .model: "model"
            case .tokenClass: "class"
            case .tier: "tier"
            case .endpoint: "endpoint"
            case .region: "region"
            case .day: "day"
            case .month: "month"
            case .usageType: "usage-type"
            case .account: "account"
            case .principal: "principal"
            case .resource: "resource"
            case .operation: "operation"
            case .profile: "profile"
            case .tag(let name): "tag:\(name)"
            }
        }

        /// Without `--by`: the bill per model, token class, region and day.
        package static let standard: [Key] = [.model, .tokenClass, .region, .day]
    }

    package struct Counts: Sendable, Equatable {
        package var read = 0
        /// Bedrock token usage priced by the catalog.
        package var priced = 0
        /// Bedrock usage Tally could not price: listed in `unpriced`.
        package var unpriced = 0
        /// Rows of other services.
        package var notBedrock = 0
        /// Bedrock rows that are not usage: tax, credits, refunds, fees.
        package var otherLineItems = 0
        package var malformed = 0
    }

    package struct Group: Sendable {
        package let key: [String]
        package var rows: Int
        /// In tokens, whatever unit the rows counted in.
        package var tokens: Rational
        package var curUSD: Rational
        package var tallyUSD: Rational
        /// Tally's cost less the CUR's (set with the totals).
        package var difference = Rational.zero
        /// The difference as a share of the CUR's cost; nil when that is zero.
        package var differenceShare: Rational? { curUSD.isZero ? nil : difference.divided(by: curUSD.magnitude) }
        package var flagged = false

        package init(key: [String], rows: Int, tokens: Rational, curUSD: Rational, tallyUSD: Rational) {
            (self.key, self.rows, self.tokens, self.curUSD, self.tallyUSD) = (key, rows, tokens, curUSD, tallyUSD)
        }
    }

    package struct Unpriced: Sendable {
        package let usageType: String
        package let reason: String
        package var rows: Int
        package var curUSD: Rational
    }

    package struct Malformed: Sendable {
        package let file: String
        package let line: Int
        package let reason: String
    }

    package var files: [String] = []
    package var first: CatalogDay?
    package var last: CatalogDay?
    package var counts = Counts()
    package var by: [Key]
    package var tolerance: Rational
    package var groups: [Group] = []
    package var unpriced: [Unpriced] = []
    /// The first `CURBill.malformedShown`; the count is in `counts.malformed`.
    package var malformed: [Malformed] = []
    /// The CUR's cost of the usage priced, Tally's for the same usage.
    package var curPricedUSD = Rational.zero
    package var tallyUSD = Rational.zero
    package var differenceUSD = Rational.zero
    package var curUnpricedUSD = Rational.zero
    package var curOtherUSD = Rational.zero

    package var flaggedCount: Int { groups.count { $0.flagged } }
    /// Set when a sum cannot be held exactly: the report is then not printed.
    package var problem: String?

    /// Whether Tally's cost differs from the CUR's by more than the tolerance.
    package static func differs(tally: Rational, cur: Rational, tolerance: Rational) -> Bool {
        guard let difference = tally.subtracting(cur)?.magnitude else { return true }
        guard let allowed = cur.magnitude.multiplied(by: tolerance) else { return true }
        return difference > allowed
    }
}

extension CURReport.Key: CustomStringConvertible {
    package var description: String { name }
}
