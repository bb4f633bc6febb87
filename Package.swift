// swift-tools-version:6.0
import PackageDescription

import Foundation

// Release builds target the build machine's vector width: AVX-512 where /proc/cpuinfo lists it (Zen 4
// tuning: 512-bit vectors, 32 registers, which the convolution kernels' 16 accumulators need),
// else Haswell's AVX2 and FMA (every x86 server since 2013). BENCH_TARGET_CPU=haswell builds the
// Haswell path on any machine (CI tests it on an AVX-512 one); BENCH_BASELINE_X86=1 builds for
// baseline x86-64, for binaries that must run on older processors.
let environment = ProcessInfo.processInfo.environment
let baseline = environment["BENCH_BASELINE_X86"] != nil
let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
let cpuFlagLine = cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") }
let cpuFlagList = Set(cpuFlagLine?.split(separator: " ").map(String.init) ?? [])
// The vector and crypto extensions of the Zen 4 target: a machine without one of them builds for
// Haswell. (AMD-only ones such as SSE4a are left out: compilers do not emit them unasked.)
let zen4Extensions = ["avx512f", "avx512dq", "avx512ifma", "avx512cd", "avx512bw", "avx512vl", "avx512_bf16",
                      "avx512vbmi", "avx512_vbmi2", "avx512_vnni", "avx512_bitalg", "avx512_vpopcntdq", "gfni",
                      "vaes", "vpclmulqdq", "sha_ni", "clwb", "rdpid"]
let hasAVX512 = zen4Extensions.allSatisfy(cpuFlagList.contains)
let targetCPU = environment["BENCH_TARGET_CPU"] ?? (hasAVX512 ? "znver4" : "haswell")
#if arch(x86_64)
let cpuFlags = baseline ? [] : ["-target-cpu", targetCPU]
// What the engine reports it was built for (the autotuner's cache keeps choices per build).
let buildTarget = baseline ? "x86-64" : targetCPU
#else
let cpuFlags: [String] = []
let buildTarget = "generic"
#endif
// Only the engine's kernels drop Swift's bounds and overflow checks in release builds: they index
// planned buffers whose sizes the network checked when it was built, and the checks cost there.
// Every target that reads files or flags (idx, CIFAR-10, safetensors, JSON, the command line)
// keeps them, so a hostile input stops with a trap rather than reading out of bounds.
// They also drop the run-time exclusivity checks: a class's stored property read in a kernel's loop
// costs a check per value otherwise (dropout's mask took 100 times its arithmetic). Debug builds,
// which the tests run, keep the checks.
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"] + cpuFlags, .when(configuration: .release)),
    .define("BUILD_TARGET_" + buildTarget.uppercased().replacingOccurrences(of: "-", with: "_"),
            .when(configuration: .release)),
]
let checkedSettings: [SwiftSetting] = [
    .unsafeFlags(cpuFlags, .when(configuration: .release)),
]

let package = Package(
    name: "SwiftTrainingBench",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Inputs", targets: ["Inputs"]),
        .library(name: "Models", targets: ["Models"]),
        .executable(name: "train_autoencoder", targets: ["train_autoencoder"]),
        .executable(name: "train_classifier", targets: ["train_classifier"]),
        .executable(name: "evaluate", targets: ["evaluate"]),
        .executable(name: "evaluate_classifier", targets: ["evaluate_classifier"]),
        .executable(name: "evaluate_autoencoder", targets: ["evaluate_autoencoder"]),
        .executable(name: "compare_runs", targets: ["compare_runs"]),
        .executable(name: "visualize", targets: ["visualize"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "export_dataset", targets: ["export_dataset"]),
        .executable(name: "extract_features", targets: ["extract_features"]),
        .executable(name: "predict", targets: ["predict"]),
        .executable(name: "export", targets: ["export"]),
        .executable(name: "sweep", targets: ["sweep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Counts heap allocations in-process for `bench --allocations` (valgrind cannot run AVX-512 code).
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
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
        // libspng decodes and encodes PNG images (Debian: libspng-dev).
        .systemLibrary(
            name: "CSPNG",
            path: "Sources/CSPNG",
            providers: [.apt(["libspng-dev"])]
        ),
        // libjpeg-turbo's TurboJPEG API decodes and encodes JPEG images (Debian: libturbojpeg0-dev).
        .systemLibrary(
            name: "CTurboJPEG",
            path: "Sources/CTurboJPEG",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        // libzip reads ZIP archives, NumPy's .npz among them (Debian: libzip-dev).
        .systemLibrary(
            name: "CLibzip",
            path: "Sources/CLibzip",
            providers: [.apt(["libzip-dev"])]
        ),
        // C with the compiler's intrinsics for what Swift cannot emit: processor feature checks
        // (cpuid), the FMA ceiling `bench --peak` measures, and the bfloat16 GEMM of
        // `--precision bf16` (vdpbf16ps). Built for baseline x86-64; each fast function carries its
        // own target attribute and runs only where the checks allow.
        .target(
            name: "CKernels",
            path: "Sources/CKernels",
            cSettings: [.unsafeFlags(["-O3"])]
        ),
        .target(
            name: "Engine",
            dependencies: ["CBLAS", "CKernels"],
            path: "Sources/Engine",
            swiftSettings: engineSettings
        ),
        // What a model or dataset plug-in declares and a run is handed: the plug-in protocols,
        // image sets and their splits, pixel ranges, and the error of an unreadable file.
        .target(
            name: "Plugins",
            dependencies: ["Engine"],
            path: "Sources/Plugins",
            swiftSettings: checkedSettings
        ),
        // Swift for ONNX's and TensorBoard's .proto files (Protos/), generated by
        // scripts/generate_protobufs.sh and committed.
        .target(
            name: "Protobufs",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Sources/Protobufs"
        ),
        // Dataset formats and batching: gzip, idx, CIFAR's binary records, safetensors, TensorBoard
        // events, pixels to floats, NumPy's .npy and .npz (ZIP), and images (PNG and JPEG decoded and
        // encoded, resized as Pillow resizes).
        .target(
            name: "DataIO",
            dependencies: ["Engine", "Plugins", "Protobufs", "CZlib", "CSPNG", "CTurboJPEG", "CLibzip"],
            path: "Sources/DataIO",
            swiftSettings: checkedSettings
        ),
        // The plug-in folder of datasets, one file per --dataset value (DTB's inputs/).
        .target(
            name: "Inputs",
            dependencies: ["Plugins", "DataIO", "Engine"],
            path: "inputs",
            swiftSettings: checkedSettings
        ),
        // Runs: configuration, run folders, checkpoints, the training loop and its observers
        // (step CSV, TensorBoard, console), evaluation.
        .target(
            name: "Training",
            dependencies: ["Engine", "Plugins", "DataIO"],
            path: "Sources/Training",
            swiftSettings: checkedSettings
        ),
        // What is shown about runs apart from training them: pictures and plots, the run table,
        // feature projections, the speed benchmark.
        .target(
            name: "Reporting",
            dependencies: ["Engine", "Plugins", "DataIO", "Training"],
            path: "Sources/Reporting",
            swiftSettings: checkedSettings
        ),
        // The plug-in folder of models, one file per --model value (DTB's models/): it sees the
        // engine and the plug-in protocols, never the trainer.
        .target(
            name: "Models",
            dependencies: ["Engine", "Plugins"],
            path: "models",
            swiftSettings: checkedSettings
        ),
        // A network written as an ONNX model: one extension a layer type.
        .target(
            name: "ONNXExport",
            dependencies: ["Engine", "Plugins", "Protobufs"],
            path: "Sources/ONNXExport",
            swiftSettings: checkedSettings
        ),
        // What the commands share: DTB's flags and error reporting.
        .target(
            name: "CLI",
            dependencies: ["Training", "Reporting", "Models", "Inputs", "DataIO", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/CLI"
        ),
        .executableTarget(
            name: "train_autoencoder",
            dependencies: ["CLI", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/train_autoencoder"
        ),
        .executableTarget(
            name: "train_classifier",
            dependencies: ["CLI", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/train_classifier"
        ),
        .executableTarget(
            name: "evaluate",
            dependencies: ["CLI", "Training", "Models", "Inputs", "DataIO", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/evaluate"
        ),
        // DTB's evaluation scripts: `evaluate`'s flags with DTB's output line, and `--all`.
        .executableTarget(
            name: "evaluate_classifier",
            dependencies: ["CLI", "Training", "Reporting",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/evaluate_classifier"
        ),
        .executableTarget(
            name: "evaluate_autoencoder",
            dependencies: ["CLI", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/evaluate_autoencoder"
        ),
        // The environment every test runs in (BENCH_AUTOTUNE=off unless set), set when it loads.
        .target(
            name: "TestEnvironment",
            path: "Tests/TestEnvironment"
        ),
        // Dataset files in the readers' formats, written by the tests themselves.
        .target(
            name: "TestSupport",
            dependencies: ["CZlib", "TestEnvironment"],
            path: "Tests/TestSupport"
        ),
        .executableTarget(
            name: "compare_runs",
            dependencies: ["CLI", "Training", "Reporting", "DataIO",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/compare_runs"
        ),
        .executableTarget(
            name: "visualize",
            dependencies: ["CLI", "Training", "Reporting", "Models", "Inputs", "DataIO", "Engine", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/visualize"
        ),
        .executableTarget(
            name: "bench",
            dependencies: ["CLI", "Training", "Reporting", "Models", "Engine", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "MallocInterposerSwift", package: "malloc-interposer")],
            path: "Sources/Commands/bench"
        ),
        .executableTarget(
            name: "export_dataset",
            dependencies: ["CLI", "Training", "DataIO", "Engine", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/export_dataset"
        ),
        .executableTarget(
            name: "extract_features",
            dependencies: ["CLI", "Training", "Engine", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/extract_features"
        ),
        .executableTarget(
            name: "predict",
            dependencies: ["CLI", "Training", "DataIO", "Engine", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/predict"
        ),
        .executableTarget(
            name: "export",
            dependencies: ["CLI", "Training", "ONNXExport", "Plugins",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/export"
        ),
        // Hyper-parameter sweeps of the training commands: here, with GNU parallel, or as a Slurm job array.
        .executableTarget(
            name: "sweep",
            dependencies: ["CLI", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Commands/sweep"
        ),
        // libFuzzer harnesses (scripts/fuzz.sh builds them with -sanitize=fuzzer -DFUZZING);
        // a plain build replays saved inputs.
        .executableTarget(
            name: "fuzz",
            dependencies: ["DataIO", "Engine", "Inputs", "Models", "Plugins", "Training"],
            path: "Fuzz",
            exclude: ["corpus", "make_seeds.py"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Reporting", "Models", "Inputs", "DataIO", "Engine", "Plugins", "CLI",
                           "ONNXExport", "Protobufs", "TestSupport"],
            path: "Tests/TrainingTests"
        ),
        .testTarget(
            name: "InputsTests",
            dependencies: ["Inputs", "DataIO", "Engine", "Plugins", "Protobufs", "TestSupport", "CTurboJPEG"],
            path: "Tests/InputsTests"
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "TestEnvironment"],
            path: "Tests/EngineTests"
        ),
    ]
)
