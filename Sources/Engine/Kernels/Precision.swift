import CKernels

/// The arithmetic of the products of convolutions and dense layers (`--precision`).
public enum Precision: String, Sendable, CaseIterable, Codable {
    /// float32 inputs, products and sums.
    case float32
    /// Keras's `mixed_bfloat16`: each product's two inputs rounded to bfloat16, the products and
    /// their sums in float32 (`vdpbf16ps`); weights, gradients, optimizer state and every other
    /// layer stay float32.
    case bf16

    /// Whether this processor computes it: bf16 needs AVX512_BF16 (`BENCH_CPU_FEATURES=avx2`
    /// hides it, to test the refusal).
    public var isAvailable: Bool { self == .float32 || bench_bf16_available() != 0 }
}
