import TallyLanguage
import TallyPricing
import TallyQuantities
import TallyRender
import TallySyntax

/// Tally for programs that embed it: run cost scripts, estimate workloads and
/// quote single requests, with exact money. These are Tally's public API;
/// everything else is visible to Tally's own targets only.
///
/// ```swift
/// let catalog = try Tally.Catalog.builtin()
/// let price = try catalog.quote(Tally.Request(model: "sonnet-4.5", inputTokens: 2_000, outputTokens: 300))
/// print(price)                          // $0.0105
/// var session = try Tally.Session()
/// let run = session.run("workload chat < model nova-micro; requests 3000/day >")
/// print(run.estimates[0].monthly)       // $…
/// ```
public enum Tally {}

extension Tally {
    /// An exact rational number: money in dollars, a share, a count.
    public struct Exact: Sendable, Hashable, Comparable, CustomStringConvertible {
        let value: Rational

        init(_ value: Rational) { self.value = value }

        /// `numerator / denominator`; nil when the denominator is zero.
        public init?(_ numerator: Int, _ denominator: Int = 1) {
            guard let value = Rational(Int128(numerator), Int128(denominator)) else { return nil }
            self.value = value
        }

        /// A decimal as written: `0.6`, `1250`, `-3.5`.
        public init?(decimal text: String) {
            guard let value = Rational(decimalLiteral: Substring(text)) else { return nil }
            self.value = value
        }

        /// A percentage: `Exact(percent: 60)` is 0.6.
        public init?(percent: Int) { self.init(percent, 100) }

        public var numerator: Int128 { value.numerator }
        public var denominator: Int128 { value.denominator }

        /// Rounded half to even at `fractionDigits` decimals.
        public func decimal(fractionDigits: Int) -> String { value.decimalString(fractionDigits: fractionDigits) }

        /// As money: `$0.0105`, `$1,234.50`.
        public var description: String { Format.money(value) }

        public static func < (a: Exact, b: Exact) -> Bool { a.value < b.value }
    }

    /// A problem with what Tally was given, and where, when it came from source.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let message: String
        public let hints: [String]
        public let file: String?
        public let line: Int?
        public let column: Int?
        /// False for a warning.
        public let isError: Bool

        init(_ diagnostic: Diagnostic) {
            message = diagnostic.message
            hints = diagnostic.hints
            file = diagnostic.span?.file.name
            line = diagnostic.span?.line
            column = diagnostic.span?.column
            isError = diagnostic.severity == .error
        }

        init(_ message: String, hints: [String] = []) {
            self.message = message
            self.hints = hints
            (file, line, column, isError) = (nil, nil, nil, true)
        }

        public var description: String {
            let place = [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
            return (place.isEmpty ? "" : place + ": ") + message + hints.map { "\n  hint: " + $0 }.joined()
        }
    }

    /// A workload's monthly bill, line by line.
    public struct Estimate: Sendable {
        public struct Line: Sendable {
            /// `input`, `cache read`, `guardrail content`, `retries`, …
            public let label: String
            /// How much is billed per month, in `unit`.
            public let quantity: Exact
            public let unit: String
            /// The rate as people read it: `$3.00/1M tokens`.
            public let rate: String
            /// Dollars per month.
            public let monthly: Exact
        }

        public let name: String
        public let model: String
        public let region: String
        public let endpoint: String?
        public let mode: String
        /// Dollars per month, per day (a month is 730 hours) and per request.
        public let monthly: Exact
        public let perDay: Exact
        public let perRequest: Exact?
        /// The high end's monthly total, when the workload was given as ranges.
        public let monthlyHigh: Exact?
        public let lines: [Line]
        /// What the estimate assumed because it was not told.
        public let assumptions: [String]
        public let tags: [String: String]

        init(_ b: Breakdown) {
            name = b.name
            model = b.model
            region = b.region
            endpoint = b.endpoint?.rawValue
            mode = b.mode
            monthly = Exact(b.total)
            perDay = Exact(b.perDay)
            perRequest = b.perRequest.map(Exact.init)
            monthlyHigh = b.high.map { Exact($0.breakdown.total) }
            lines = b.lines.map { Line(label: $0.label, quantity: Exact($0.quantity), unit: $0.unit, rate: $0.rateText, monthly: Exact($0.amount)) }
            assumptions = b.assumptions
            tags = Dictionary(b.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// One model request, as a log records it.
    public struct Request: Sendable {
        /// A name Tally knows, an alias, a Bedrock model id or an inference profile (`global.…`).
        public var model: String
        public var region: String
        /// `global` or `regional`; nil: what the model id implies, else global.
        public var endpoint: String?
        /// `on-demand`, `batch`, `flex` or `priority`.
        public var mode: String
        public var inputTokens: Int
        public var outputTokens: Int
        /// Of the input tokens, those read from and written to the prompt cache.
        public var cacheReadTokens: Int
        public var cacheWriteTokens: Int
        /// Cache writes with the 1-hour lifetime instead of 5 minutes.
        public var cacheOneHour: Bool

        public init(model: String, region: String = "us-east-1", endpoint: String? = nil, mode: String = "on-demand",
                    inputTokens: Int, outputTokens: Int, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0, cacheOneHour: Bool = false) {
            self.model = model
            self.region = region
            self.endpoint = endpoint
            self.mode = mode
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.cacheReadTokens = cacheReadTokens
            self.cacheWriteTokens = cacheWriteTokens
            self.cacheOneHour = cacheOneHour
        }
    }

    /// Tally's price catalog: estimates and quotes without any source text.
    public struct Catalog: Sendable {
        let catalog: TallyPricing.Catalog

        /// The catalog built into Tally.
        public static func builtin() throws(Problem) -> Catalog {
            switch BuiltinCatalog.loaded {
            case .success(let catalog): return Catalog(catalog: catalog)
            case .failure(let errors): throw Problem(errors.all.first?.message ?? "the built-in catalog did not load")
            }
        }

        /// Every model's name, sorted.
        public var models: [String] { catalog.sortedModels.map(\.name) }

        /// The price of one request, exactly, by the rules and rates of a monthly estimate.
        public func quote(_ request: Request) throws(Problem) -> Exact {
            try quoter(model: request.model, region: request.region, endpoint: request.endpoint, mode: request.mode)
                .quote(inputTokens: request.inputTokens, outputTokens: request.outputTokens, cacheReadTokens: request.cacheReadTokens,
                       cacheWriteTokens: request.cacheWriteTokens, cacheOneHour: request.cacheOneHour)
        }

        /// The rates and rules of one model, place and mode, compiled once to
        /// price many requests: what `quote(_:)` does for each request alone.
        public func quoter(model name: String, region: String = "us-east-1", endpoint: String? = nil,
                           mode modeName: String = "on-demand") throws(Problem) -> Quoter {
            guard let model = catalog.model(named: name) else {
                throw Problem("unknown model \(name)", hints: ["see `tally models`"])
            }
            guard let mode = Tally.mode(modeName) else {
                throw Problem("unknown mode \(modeName)", hints: ["on-demand, batch, flex or priority"])
            }
            var chosen = catalog.endpoint(forReference: name) ?? .global
            if let endpoint {
                guard let e = Endpoint(rawValue: endpoint) else { throw Problem("unknown endpoint \(endpoint)", hints: ["global or regional"]) }
                chosen = e
            }
            let compiled = model.hasRates(region: region) ? RequestQuote(model: model, region: region, endpoint: chosen, mode: mode) : nil
            return Quoter(catalog: self, model: name, region: region, endpoint: endpoint, mode: modeName, compiled: compiled)
        }

        /// A workload's monthly estimate, as a script declaring it would get.
        public func estimate(_ workload: Workload) throws(Problem) -> Estimate {
            guard let model = catalog.model(named: workload.model) else {
                throw Problem("unknown model \(workload.model)", hints: ["see `tally models`"])
            }
            var w = TallyPricing.Workload(name: workload.name)
            w.model = model
            w.modelEndpoint = catalog.endpoint(forReference: workload.model)
            w.region = workload.region
            if let given = workload.endpoint {
                guard let endpoint = Endpoint(rawValue: given) else { throw Problem("unknown endpoint \(given)", hints: ["global or regional"]) }
                w.endpoint = endpoint
            }
            if let name = workload.mode {
                guard let mode = Tally.mode(name) else { throw Problem("unknown mode \(name)", hints: ["on-demand, batch, flex or priority"]) }
                w.mode = mode
            }
            guard let perSecond = workload.requestsPerMonth.value.divided(by: Units.month.factor) else {
                throw Problem("requests per month too large to hold exactly")
            }
            w.requestsPerSecond = perSecond
            w.inputTokens = workload.inputTokens?.value
            w.outputTokens = workload.outputTokens?.value
            (w.cacheRead, w.cacheWrite) = (workload.cacheRead.value, workload.cacheWrite.value)
            w.cacheTTL = workload.cacheOneHour ? .oneHour : .fiveMinutes
            w.agentSteps = workload.agentSteps?.value
            w.retries = workload.retries?.value
            w.contingency = workload.contingency?.value
            w.tags = workload.tags.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
            do {
                return Estimate(try Engine.estimate(w))
            } catch {
                throw Problem(error.wording.0, hints: error.wording.1)
            }
        }
    }

    /// A stream of model requests described in code, as a `workload` block would.
    public struct Workload: Sendable {
        public var name: String
        /// A name Tally knows, an alias, a Bedrock model id or an inference profile.
        public var model: String
        public var requestsPerMonth: Exact
        /// nil: us-east-1, as scripts assume.
        public var region: String?
        public var endpoint: String?
        public var mode: String?
        /// Tokens per request; nil: Tally's stated defaults (1,000 in, 300 out).
        public var inputTokens: Exact?
        public var outputTokens: Exact?
        /// Shares of the input read from and written to the prompt cache.
        public var cacheRead = Exact(.zero)
        public var cacheWrite = Exact(.zero)
        public var cacheOneHour = false
        /// Model calls per request, extra requests as a share, a multiplier for what estimates miss.
        public var agentSteps: Exact?
        public var retries: Exact?
        public var contingency: Exact?
        public var tags: [String: String] = [:]

        public init(name: String, model: String, requestsPerMonth: Exact) {
            self.name = name
            self.model = model
            self.requestsPerMonth = requestsPerMonth
        }
    }

    /// One model's requests priced without recompiling its rates: from `Catalog.quoter`.
    public struct Quoter: Sendable {
        let catalog: Catalog
        let model: String
        let region: String
        let endpoint: String?
        let mode: String
        /// The integer form; nil when the rates are not whole atto-dollars or the region has none.
        let compiled: RequestQuote?

        /// The price of one request of this model, place and mode, exactly.
        public func quote(inputTokens: Int, outputTokens: Int, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0,
                          cacheOneHour: Bool = false) throws(Problem) -> Exact {
            if let price = compiled?.price(input: inputTokens, output: outputTokens, cacheRead: cacheReadTokens,
                                           cacheWrite: cacheWriteTokens, oneHour: cacheOneHour) {
                return Exact(price)
            }
            // The estimate of one request a month says why, or prices what the quote cannot hold.
            guard inputTokens > 0, outputTokens >= 0, cacheReadTokens >= 0, cacheWriteTokens >= 0,
                  let read = Exact(cacheReadTokens, inputTokens), let written = Exact(cacheWriteTokens, inputTokens) else {
                throw Problem("a request needs input tokens, and no negative counts")
            }
            var one = Workload(name: model, model: model, requestsPerMonth: Exact(.one))
            (one.region, one.endpoint, one.mode) = (region, endpoint, mode)
            one.inputTokens = Exact(Rational(Int128(inputTokens)))
            one.outputTokens = Exact(Rational(Int128(outputTokens)))
            (one.cacheRead, one.cacheWrite, one.cacheOneHour) = (read, written, cacheOneHour)
            return try catalog.estimate(one).monthly
        }
    }

    static func mode(_ name: String) -> TallyPricing.Workload.Mode? {
        switch name {
        case "on-demand": .onDemand
        case let tier where RateKind.serviceTiers.contains(tier): .tier(tier)
        default: nil
        }
    }

    /// Runs cost scripts against the built-in catalog, keeping declarations
    /// from one run to the next, as the prompt does.
    public struct Session: Sendable {
        var session: TallyKit.Session

        /// A session that refuses `import`; `importRoot` lets scripts import
        /// files inside that directory.
        public init(importRoot: String? = nil) throws(Problem) {
            switch TallyKit.Session.standard() {
            case .success(var session):
                session.allowsRedefinition = true
                if let importRoot {
                    session.importRoot = importRoot
                } else {
                    session.importReader = { (path: String, span: Span) throws(Diagnostic) -> SourceFile in
                        throw Diagnostic(.io, "cannot import \"\(path)\": this program runs Tally without files", at: span)
                    }
                }
                self.session = session
            case .failure(let errors): throw Problem(errors.all.first?.message ?? "the built-in catalog did not load")
            }
        }

        /// What one run produced.
        public struct Run: Sendable {
            /// The workloads the source declared, estimated.
            public let estimates: [Estimate]
            /// Each `show`n or bare expression as written, and its value as Tally prints it.
            public let shown: [(source: String, value: String)]
            /// Each `assert`: as written, whether it held, and its line.
            public let assertions: [(source: String, passed: Bool, line: Int)]
            public let problems: [Problem]
            /// 0 ok, 1 an assertion failed, 2 the source was wrong: as `tally run` exits.
            public let exitStatus: Int32
        }

        public mutating func run(_ source: String, name: String = "<embedded>") -> Run {
            let outcome = session.run(SourceFile(name: name, text: source))
            let estimates = outcome.declaredWorkloads.compactMap { value -> Estimate? in
                guard case .workload(_, let breakdown) = value else { return nil }
                return Estimate(breakdown)
            }
            return Run(estimates: estimates,
                       shown: outcome.shown.map { ($0.source, Evaluator.describe($0.value)) },
                       assertions: outcome.assertions.map { ($0.source, $0.passed, $0.span.line) },
                       problems: outcome.diagnostics.map(Problem.init),
                       exitStatus: outcome.exitStatus)
        }
    }
}
