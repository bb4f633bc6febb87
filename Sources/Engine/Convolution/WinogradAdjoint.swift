/// dx = wᵀ ⋆ dy at stride 1 by Winograd: there the adjoint is itself a convolution, of dy with
/// the kernels turned half a turn and their input and output channels swapped, padded by
/// k - 1 - p, which WinogradConvolution computes on that transposed geometry. Its sums round as
/// Winograd's do, so only the autotuner picks it (ConvolutionAlgorithms).
final class WinogradAdjoint: ConvolutionAlgorithm {
    let geometry: ConvolutionGeometry
    private let transposed: WinogradConvolution
    /// w'[in][out][k - 1 - ky][k - 1 - kx] = w[out][in][ky][kx], the transposed geometry's weights.
    private let turned: Buffer<Float>

    /// The convolution whose result is g's adjoint, if g's stride is 1 and its padding at most k - 1.
    static func transposedGeometry(_ g: ConvolutionGeometry) -> ConvolutionGeometry? {
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        guard g.strideHeight == 1, g.strideWidth == 1, g.padHeight < kh, g.padWidth < kw,
            let t = try? ConvolutionGeometry(
                input: g.output, outputChannels: g.input.channels, kernel: (kh, kw), stride: (1, 1),
                padding: (kh - 1 - g.padHeight, kw - 1 - g.padWidth)),
            t.output == g.input
        else { return nil }
        return t
    }

    static func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool {
        guard product == .adjoint, let t = transposedGeometry(g) else { return false }
        return WinogradConvolution.serves(t, .convolution)
    }

    init(_ g: ConvolutionGeometry, threads: Int) {
        guard let t = Self.transposedGeometry(g) else { preconditionFailure("no Winograd adjoint for \(g)") }
        geometry = g
        transposed = WinogradConvolution(t, pooled: false, threads: threads, staged: false)
        turned = Buffer(count: g.weightCount, initialValue: 0)
    }

    var groupSize: Int { transposed.groupSize }

    func prepare(_ product: ConvolutionProduct, weights w: UnsafePointer<Float>) {
        precondition(product == .adjoint, "WinogradAdjoint computes the adjoint only")
        let g = geometry, (cout, cin, kh, kw) = (g.output.channels, g.input.channels, g.kernelHeight, g.kernelWidth)
        for o in 0..<cout {
            for i in 0..<cin {
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        turned.pointer[((i * cout + o) * kh + kh - 1 - ky) * kw + kw - 1 - kx] =
                            w[((o * cin + i) * kh + ky) * kw + kx]
                    }
                }
            }
        }
        transposed.prepare(.convolution, weights: turned.pointer)
    }

    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor) {
        transposed.convolve(dy, group, chunk: chunk, into: dx)
    }
}
