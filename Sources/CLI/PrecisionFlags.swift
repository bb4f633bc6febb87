import ArgumentParser
import Engine

/// `--precision float32|bf16`, for the commands that train or time a network: bf16 is Keras's
/// mixed_bfloat16 (the products of convolutions and dense layers from bfloat16 inputs, summed in
/// float32, on vdpbf16ps), refused where the processor has no AVX512_BF16.
public struct PrecisionFlags: ParsableArguments {
    @Option(
        name: .customLong("precision"),
        help: """
            float32, or bf16: the products of convolutions and dense layers from bfloat16 inputs, summed in \
            float32 (needs AVX512_BF16); weights, optimizer state and checkpoints stay float32.
            """)
    public var precision: Precision = .float32

    public init() {}

    public func validate() throws {
        guard precision.isAvailable else {
            throw ValidationError("--precision \(precision.rawValue): this processor has no AVX512_BF16 (vdpbf16ps)")
        }
    }
}

extension Precision: ExpressibleByArgument {}
