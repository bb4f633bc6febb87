import DataIO
import Engine
import Foundation
import Inputs
import Models
import Plugins
import Training

/// libFuzzer harnesses for the parsers that read what users and files hand the bench: idx
/// (raw and gzip), CIFAR-10 batches, CIFAR-100 files (each label mode), NumPy's .npy and .npz
/// (the array, then as images and as labels), checkpoints, `--optimizer_args`, and PNG and JPEG
/// images (decoded, converted to the other number of channels and resized). `BENCH_FUZZ_TARGET`
/// picks one. Any thrown error is a correct answer; a crash, a hang or a sanitizer report is a
/// finding. Built without FUZZING, the same binary replays inputs given as files.
enum Harness: String, CaseIterable {
    case idx, cifar, cifar100, npy, npz, checkpoint, optimizer_args, png, jpeg

    static let current: Harness = {
        let name = ProcessInfo.processInfo.environment["BENCH_FUZZ_TARGET"] ?? ""
        guard let harness = Harness(rawValue: name) else {
            fatalError("set BENCH_FUZZ_TARGET to one of \(Harness.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return harness
    }()

    /// The network and optimizer a fuzzed checkpoint is loaded into.
    nonisolated(unsafe) static let target: (Network, Optimizer) = {
        let network = try! SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 1, threads: 1)
        return (network, Optimizer(Adam(), learningRate: 0.001, parameters: network.parameters))
    }()

    /// An array as the NumPy dataset reads it: as images (each layout), then as labels.
    static func readAsDataset(_ array: NpyArray) {
        for layout in [nil, ImageLayout.nhwc, .nchw] { _ = try? NpyImages.read(array, layout: layout, path: "fuzz") }
        _ = try? NpyLabels.read(array, images: array.shape.first ?? 0, imagesPath: "fuzz", path: "fuzz")
    }

    func run(_ bytes: [UInt8]) {
        switch self {
        case .idx:
            _ = try? IdxReader.parse(bytes, path: "fuzz", rank: 3)
            _ = try? IdxReader.parse(bytes, path: "fuzz", rank: 1)
        case .cifar:
            _ = try? Cifar10.parseBatch(bytes, path: "fuzz")
        case .cifar100:
            for mode in LabelMode.allCases { _ = try? Cifar100.parseBatch(bytes, path: "fuzz", labelMode: mode) }
        case .npy:
            if let array = try? NpyReader.parse(bytes, path: "fuzz") { Self.readAsDataset(array) }
        case .npz:
            guard let archive = try? NpzReader(bytes: bytes, path: "fuzz") else { return }
            for name in archive.names {
                if let array = try? archive.array(name) { Self.readAsDataset(array) }
            }
        case .checkpoint:
            _ = try? Checkpoint.decode(bytes, path: "fuzz", into: Self.target.0, optimizer: Self.target.1)
        case .optimizer_args:
            let text = String(decoding: bytes, as: UTF8.self)
            for name in OptimizerSpec.names { _ = try? OptimizerSpec(name: name, json: text) }
        case .png, .jpeg:
            // Both read any image (the format comes from the bytes); the corpora differ.
            guard let image = try? ImageDecoding.decode(bytes, file: "fuzz") else { return }
            let other = image.converted(toChannels: 4 - image.channels)
            // 13x7 shrinks one axis of most inputs and grows the other.
            _ = PillowResize(fromWidth: other.width, height: other.height, toWidth: 13, height: 7).resize(other)
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Harness.current.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

public typealias Arguments = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<Arguments>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// SwiftPM links an executable's entry point as `<target>_main`; hand control to libFuzzer's driver.
@_cdecl("fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: Arguments) -> CInt {
    var count = argc, values = argv
    return runDriver(&count, &values, fuzzOneInput)
}
#else
@main
enum Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
            Harness.current.run(Array(data))
            print("replayed \(path)")
        }
    }
}
#endif
