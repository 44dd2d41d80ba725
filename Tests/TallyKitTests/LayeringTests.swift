import Foundation
import Testing

/// The layers are SwiftPM targets, and the compiler refuses an edge a target
/// did not declare. These tests hold the declared graph to the design: pricing
/// depends on quantities alone, and every `import` a source file makes is a
/// dependency its target declared, directly or through another.
@Suite struct LayeringTests {
    /// Each library target and what it may depend on, directly or not.
    static let allowed: [String: Set<String>] = [
        "TallyQuantities": [],
        "TallySyntax": ["TallyQuantities"],
        "TallyPricing": ["TallyQuantities"],
        "TallyLanguage": ["TallyQuantities", "TallySyntax", "TallyPricing"],
        "TallyActuals": ["TallyQuantities", "TallyPricing", "CZlib"],
        "TallyRender": ["TallyQuantities", "TallySyntax", "TallyPricing", "TallyLanguage", "TallyActuals", "CZlib"],
        "TallyKit": [
            "TallyQuantities", "TallySyntax", "TallyPricing", "TallyLanguage", "TallyActuals", "TallyRender", "CTallyCatalog",
            "CZlib",
        ],
    ]

    /// The targets and their direct dependencies, as `swift package dump-package` reports them.
    static func declaredGraph() throws -> [String: [String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Its own scratch path: `swift test` holds the lock on .build.
        let scratch = NSTemporaryDirectory() + "tally-layering-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        process.arguments = ["swift", "package", "--scratch-path", scratch, "dump-package"]
        process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        var graph: [String: [String]] = [:]
        for target in targets {
            let name = try #require(target["name"] as? String)
            var dependencies: [String] = []
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                // {"byName": ["X", null]}, {"target": ["X", null]} or {"product": ["X", "package", …]}
                for key in ["byName", "target", "product"] {
                    if let entry = dependency[key] as? [Any], let first = entry.first as? String { dependencies.append(first) }
                }
            }
            graph[name] = dependencies
        }
        return graph
    }

    static func closure(_ target: String, _ graph: [String: [String]]) -> Set<String> {
        var seen = Set<String>()
        var pending = graph[target] ?? []
        while let next = pending.popLast() {
            if seen.insert(next).inserted { pending += graph[next] ?? [] }
        }
        return seen
    }

    @Test func eachLibraryTargetDependsOnlyOnTheLayersBelowIt() throws {
        let graph = try Self.declaredGraph()
        for (target, allowed) in Self.allowed {
            #expect(graph[target] != nil, "no target \(target)")
            let reached = Self.closure(target, graph)
            #expect(reached.isSubset(of: allowed), "\(target) reaches \(reached.subtracting(allowed).sorted())")
        }
        // The pricing core: quantities, and nothing of syntax, language, rendering or the application.
        #expect(Self.closure("TallyPricing", graph) == ["TallyQuantities"])
    }

    @Test func everyImportIsADeclaredDependency() throws {
        let graph = try Self.declaredGraph()
        var offenders: [String] = []
        for target in Self.allowed.keys {
            let reachable = Self.closure(target, graph)
            let files = Repository.files(under: Repository.root + "/Sources/" + target, extension: "swift")
            #expect(!files.isEmpty, "no sources for \(target)")
            for path in files {
                for (index, line) in Repository.read(path).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let words = line.split(separator: " ")
                    guard words.count == 2, words[0] == "import", words[1].hasPrefix("Tally") || words[1].hasPrefix("CTally") else { continue }
                    if !reachable.contains(String(words[1])) { offenders.append("\(path):\(index + 1): \(line)") }
                }
            }
        }
        #expect(offenders.isEmpty, "imports of undeclared layers:\n\(offenders.joined(separator: "\n"))")
    }
}

/// Tally's public API is the facade: every other declaration is `package` at
/// most, so code outside the package sees `Tally.…` and nothing else.
@Suite struct PublicSurfaceTests {
    @Test func onlyTheFacadeIsPublic() {
        var offenders: [String] = []
        for path in Repository.files(under: Repository.root + "/Sources", extension: "swift")
        where path.contains("/Sources/Tally") && !path.hasSuffix("/TallyKit/Facade.swift") {
            for (index, line) in Repository.read(path).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.trimmingCharacters(in: .whitespaces).hasPrefix("public ") || line.contains(" public ") && !line.contains("//") {
                offenders.append("\(path):\(index + 1): \(line)")
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
        let facade = Repository.read(Repository.root + "/Sources/TallyKit/Facade.swift")
        #expect(facade.contains("public enum Tally"))
    }
}

/// Scripts/fuzz compiles every library target into one instrumented module:
/// its list of layers must name each of them, or a new target breaks fuzzing.
@Suite struct FuzzBuildTests {
    @Test func theFuzzBuildNamesEveryLibraryTarget() throws {
        let script = Repository.read(Repository.root + "/Scripts/fuzz")
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("layers=\"") })
        let layers = Set(line.dropFirst("layers=\"".count).dropLast().split(separator: " ").map(String.init))
        #expect(layers == Set(LayeringTests.allowed.keys))
    }
}
