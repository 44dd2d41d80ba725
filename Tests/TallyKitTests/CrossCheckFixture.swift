import Foundation
@testable import TallyKit
@testable import TallyLanguage
@testable import TallyPricing
@testable import TallyQuantities
@testable import TallyRender
@testable import TallySyntax

/// An oracle's answers for the cross-check, asked once and committed as
/// tab-separated text: Scripts/crosscheck writes it, CrossCheckTests reads it.
struct CrossCheckFixture: Equatable {

    /// A Tally model at one endpoint and how genai-prices knows it.
    struct Scope: Equatable {
        let model: String
        /// `global`, `regional`, or `-` for a model priced the same everywhere.
        let endpoint: String
        /// The model ref the oracle is asked about.
        let ref: String
        /// The oracle's model id the ref is priced as; nil when it is unknown.
        var oracleModel: String? = nil
        var rows: [Row] = []

        var key: String { "\(model) \(endpoint) \(ref)" }
    }

    struct Row: Equatable {
        let request: CrossCheckTests.Request
        /// The package's total price, an exact decimal string.
        let price: String
    }

    let oracle: Oracle
    var version: String
    /// The ids of every Bedrock model the package prices.
    var oracleModels: [String]
    var scopes: [Scope]

    struct Malformed: Error, CustomStringConvertible {
        let path: String
        let line: Int
        let text: String
        var description: String { "\(path):\(line): cannot read \"\(text.prefix(80))\" (Scripts/crosscheck rewrites the file)" }
    }

    static func load(_ oracle: Oracle) throws -> CrossCheckFixture {
        try CrossCheckFixture(oracle, text: String(contentsOfFile: oracle.fixturePath, encoding: .utf8))
    }

    init(_ oracle: Oracle, version: String, oracleModels: [String], scopes: [Scope]) {
        self.oracle = oracle
        self.version = version
        self.oracleModels = oracleModels
        self.scopes = scopes
    }

    init(_ oracle: Oracle, text: String) throws {
        var version: String?
        var oracleModels: [String] = []
        var scopes: [Scope] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let malformed = Malformed(path: oracle.fixturePath, line: index + 1, text: String(line))
            switch fields.first {
            case nil, "": continue
            case let first? where first.hasPrefix("#"): continue
            case "version" where fields.count == 2 && version == nil: version = fields[1]
            case "oracle-model" where fields.count == 2: oracleModels.append(fields[1])
            case "scope" where fields.count == 5:
                scopes.append(Scope(model: fields[1], endpoint: fields[2], ref: fields[3], oracleModel: fields[4] == "-" ? nil : fields[4]))
            case _ where fields.count == 5:
                let counts = fields[0...3].compactMap { Int($0) }
                guard counts.count == 4, counts.allSatisfy({ $0 >= 0 }), let last = scopes.indices.last else { throw malformed }
                let request = CrossCheckTests.Request(ref: scopes[last].ref, input: counts[0], output: counts[1], cache_read: counts[2], cache_write: counts[3])
                scopes[last].rows.append(Row(request: request, price: fields[4]))
            default: throw malformed
            }
        }
        guard let version else { throw Malformed(path: oracle.fixturePath, line: 1, text: "(no version line)") }
        self.init(oracle, version: version, oracleModels: oracleModels, scopes: scopes)
    }

    var text: String {
        var lines = [
            "# \(oracle.name) \(version) \(oracle.function) answers for Tally's cross-check (Tests/TallyKitTests/CrossCheckTests.swift).",
            "# Written by Scripts/crosscheck; do not edit by hand. Under each scope, a request a line: input, output,",
            "# cache-read and cache-write tokens, and the package's total price in dollars.",
            "version\t\(version)",
        ]
        lines += oracleModels.map { "oracle-model\t\($0)" }
        for scope in scopes {
            lines.append("scope\t\(scope.model)\t\(scope.endpoint)\t\(scope.ref)\t\(scope.oracleModel ?? "-")")
            lines += scope.rows.map { r in
                "\(r.request.input)\t\(r.request.output)\t\(r.request.cache_read)\t\(r.request.cache_write)\t\(r.price)"
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A Python package that prices requests, run through its script in
/// Tests/CrossCheck: genai-prices 0.2.3 and LiteLLM 1.110.2.
struct Oracle: Equatable, Sendable {
    let name: String
    let version: String
    /// The package's pricing function, as the fixture's header names it.
    let function: String
    let script: String
    /// Python that exits 0 when the package is installed at that version.
    let check: String

    static let genaiPrices = Oracle(name: "genai-prices", version: "0.2.3", function: "calc_price", script: "genai_prices_check.py",
                                    check: "import sys, genai_prices; sys.exit(genai_prices.__version__ != '0.2.3')")
    static let litellm = Oracle(name: "litellm", version: "1.110.2", function: "cost_per_token", script: "litellm_check.py",
                                check: "import sys; from importlib.metadata import version; sys.exit(version('litellm') != '1.110.2')")

    var fixturePath: String { Repository.root + "/Tests/CrossCheck/\(name)-\(version).tsv" }

    struct Answer: Decodable {
        let version: String
        let models: [String]
        let refs: [String: String?]
        let prices: [String?]
    }

    /// The price-source venv that Scripts/lib/setup.sh makes, else python3.
    static let python: String = {
        if let chosen = ProcessInfo.processInfo.environment["TALLY_CROSSCHECK_PYTHON"] { return chosen }
        let venv = Repository.root + "/.build/oracles/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }()

    /// Whether that python has the package at its version.
    var available: Bool { (try? Self.run([Self.python, "-c", check]).status) == 0 }

    func ask(refs: [String], requests: [CrossCheckTests.Request]) throws -> Answer {
        struct Job: Encodable { let refs: [String]; let requests: [CrossCheckTests.Request] }
        let directory = NSTemporaryDirectory() + "tally-crosscheck-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inPath = directory + "/job.json"
        let outPath = directory + "/answer.json"
        try JSONEncoder().encode(Job(refs: refs, requests: requests)).write(to: URL(fileURLWithPath: inPath))
        let (status, stderr) = try Self.run([Self.python, Repository.root + "/Tests/CrossCheck/" + script, inPath, outPath])
        guard status == 0 else {
            throw Failure(description: "\(name) failed (Scripts/crosscheck installs \(name)==\(version) in .build/oracles): \(stderr)")
        }
        return try JSONDecoder().decode(Answer.self, from: Data(contentsOf: URL(fileURLWithPath: outPath)))
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }
}
