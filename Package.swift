// swift-tools-version:6.0
import PackageDescription

// Release builds of the engine are tuned for speed; bounds checks stay on in debug (tests).
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "SwiftTrainingBench",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Inputs", targets: ["Inputs"]),
    ],
    dependencies: [],
    targets: [
        // OpenBLAS through its CBLAS header (Debian: libopenblas-dev).
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // zlib for gzip datasets and PNG pictures (Debian: zlib1g-dev).
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "Engine",
            dependencies: ["CBLAS"],
            path: "Sources/Engine",
            swiftSettings: engineSettings
        ),
        // Dataset formats and batching: gzip, idx, splits, pixels to floats.
        .target(
            name: "DataIO",
            dependencies: ["Engine", "CZlib"],
            path: "Sources/DataIO",
            swiftSettings: engineSettings
        ),
        // The plug-in folder of datasets, one file per --dataset value (DTB's inputs/).
        .target(
            name: "Inputs",
            dependencies: ["DataIO", "Engine"],
            path: "inputs",
            swiftSettings: engineSettings
        ),
        .testTarget(
            name: "InputsTests",
            dependencies: ["Inputs", "DataIO", "Engine", "CZlib"],
            path: "Tests/InputsTests"
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine"],
            path: "Tests/EngineTests"
        ),
    ]
)
