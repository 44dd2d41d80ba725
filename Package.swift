// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tally",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tally", targets: ["tally"]),
        .library(name: "TallyKit", targets: ["TallyKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The built-in catalog, compiled into the binary (C's `#embed`), so
        // Tally links no resource bundle and with it no full Foundation.
        .target(name: "CTallyCatalog"),
        // The layers, each a target, so the compiler refuses a backward edge:
        // quantities ← syntax; quantities ← pricing; syntax + pricing ←
        // language ← render ← TallyKit (the application) ← the executables.
        .target(name: "TallyQuantities"),
        .target(name: "TallySyntax", dependencies: ["TallyQuantities"]),
        .target(name: "TallyPricing", dependencies: ["TallyQuantities"]),
        .target(name: "TallyLanguage", dependencies: ["TallySyntax", "TallyPricing"]),
        // Actuals: what Bedrock served (invocation logs, the Cost and Usage
        // Report), read as streams and priced by the pricing core.
        .target(name: "TallyActuals", dependencies: ["TallyPricing", "CZlib"]),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "TallyRender", dependencies: ["TallyLanguage", "TallyActuals"]),
        .target(
            name: "TallyKit",
            dependencies: ["TallyRender", "CTallyCatalog"],
            exclude: ["Catalog/bedrock.tally", "Catalog/disagreements.tsv", "Catalog/manifest.tsv"]
        ),
        // libedit for the interactive prompt, loaded with dlopen when the
        // prompt starts (its headers are needed to build: libedit-dev).
        .target(name: "CLineEditor"),
        .executableTarget(
            name: "tally",
            dependencies: [
                "TallyKit", "TallyRender", "TallyActuals", "TallyLanguage", "TallyPricing", "TallySyntax", "TallyQuantities",
                "CLineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The Swift runtime and FoundationEssentials linked in statically,
            // not loaded and relocated as shared libraries at every start, so
            // plain `swift build -c release` makes the binary Scripts/tally runs
            // (what --static-swift-stdlib does, for this executable alone; the
            // static FoundationEssentials needs its two C libraries named).
            swiftSettings: [.unsafeFlags(["-static-stdlib"])],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"]),
                .linkedLibrary("_FoundationCShims"),
                .linkedLibrary("_FoundationCollections"),
            ]
        ),
        // The fuzz target: `Scripts/fuzz` builds it with libFuzzer; a plain
        // build replays inputs, as `Scripts/test` does with the regressions.
        .executableTarget(
            name: "tally-fuzz",
            dependencies: ["TallyKit", "TallyRender", "TallyActuals", "TallyLanguage", "TallyPricing", "TallySyntax", "TallyQuantities"]
        ),
        // In-process measurements for `Scripts/bench`.
        .executableTarget(
            name: "tally-bench",
            dependencies: ["TallyKit", "TallyRender", "TallyActuals", "TallyLanguage", "TallyPricing", "TallySyntax", "TallyQuantities"]
        ),
        .testTarget(
            name: "TallyKitTests",
            dependencies: ["TallyKit", "TallyRender", "TallyActuals", "TallyLanguage", "TallyPricing", "TallySyntax", "TallyQuantities"],
            path: "Tests/TallyKitTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
