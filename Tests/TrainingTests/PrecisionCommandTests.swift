import Engine
import Foundation
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// `--precision bf16` as a user meets it: the run's name and flags, resuming, and the refusal on
/// a processor without AVX512_BF16.
@Suite struct PrecisionCommandTests {
    typealias Workspace = CommandTests.Workspace

    @Test(.enabled(if: Precision.bf16.isAvailable, "the processor has no AVX512_BF16"))
    func aBFloat16RunIsNamedAndRecordedAsOne() throws {
        let w = Workspace()
        try w.train(["--epochs", "1", "--precision", "bf16"])
        let folder = w.log + "/SingleLayerCAE/MNIST_Adam_lr=0.01_bf16"
        let file = try Data(contentsOf: URL(fileURLWithPath: folder + "/flags.json"))
        let flags = try JSONSerialization.jsonObject(with: file)
        let saved = try #require((flags as? [String: Any])?["flags"] as? [String: Any])
        #expect(saved["precision"] as? String == "bf16")
        #expect(w.lines(folder + "/validation/epochs.csv").count == 2)
        // More epochs resume it; the float32 run of the same flags is another folder.
        try w.train(["--epochs", "2", "--precision", "bf16"])
        #expect(w.lines(folder + "/validation/epochs.csv").count == 3)
        try w.train(["--epochs", "1"])
        #expect(FileManager.default.fileExists(atPath: w.log + "/" + CommandTests.run + "/flags.json"))
    }

    @Test func withoutAVX512BF16TheFlagIsRefusedInOneLine() throws {
        let w = Workspace()
        let result = try BuiltCommand.run(
            "train_autoencoder", ["--model", "SingleLayerCAE", "--precision", "bf16"] + w.arguments,
            environment: ["BENCH_CPU_FEATURES": "avx2"])
        #expect(result.status == 64)
        #expect(result.err.contains("--precision bf16: this processor has no AVX512_BF16"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: w.log))
    }
}
