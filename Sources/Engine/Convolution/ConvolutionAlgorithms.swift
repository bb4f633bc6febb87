/// Which convolution algorithms a network is planned with.
public enum AlgorithmChoice: Sendable {
    /// The first that serves each geometry and product in ConvolutionAlgorithms' fixed lists.
    case fastest
    /// Each product timed on every algorithm that serves it, the fastest kept (`--autotune on`).
    case tuned(AlgorithmTuner)
    /// ReferenceConvolution everywhere: the plain loops every fast path is checked against.
    case reference
}

/// The algorithms of one convolution-like layer, chosen by one factory from its geometry and the
/// pass, as Caffe's layer factory picks an engine: for each product, the first algorithm of a
/// list of preference that serves the geometry (each algorithm's `serves` says which shapes it
/// takes, and its file why), or under `.tuned` the fastest of those that serve, timed while
/// planning (AlgorithmTuner). Adding an algorithm is adding its file and its case here.
struct ConvolutionAlgorithms {
    /// The convolution of training passes: the exact sums, so that the gradients belong to it.
    let trainingConvolution: ConvolutionAlgorithm
    /// The convolution of the other passes, which only read outputs.
    let evaluationConvolution: ConvolutionAlgorithm
    let adjoint: ConvolutionAlgorithm
    let weightGradient: ConvolutionAlgorithm

    private enum Kind: String, Hashable {
        case reference, direct, channelVectors, im2col, winograd, pooledWinograd, winogradAdjoint

        func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool {
            switch self {
            case .reference: ReferenceConvolution.serves(g, product)
            case .direct: DirectConvolution.serves(g, product)
            case .channelVectors: ChannelVectorConvolution.serves(g, product)
            case .im2col: true
            case .winograd, .pooledWinograd: WinogradConvolution.serves(g, product)
            case .winogradAdjoint: WinogradAdjoint.serves(g, product)
            }
        }

        func make(_ g: ConvolutionGeometry, _ context: PlanContext, staged: Bool) -> ConvolutionAlgorithm {
            let threads = context.pool.threads
            return switch self {
            case .reference: ReferenceConvolution(g, threads: threads, staged: staged)
            case .direct: DirectConvolution(g, threads: threads, staged: staged)
            case .channelVectors: ChannelVectorConvolution(g, threads: threads, staged: staged)
            case .im2col:
                Im2colConvolution(
                    g, capacity: context.capacity, threads: threads, staged: staged, precision: context.precision)
            case .winograd: WinogradConvolution(g, pooled: false, threads: threads, staged: staged)
            case .pooledWinograd: WinogradConvolution(g, pooled: true, threads: threads, staged: false)
            case .winogradAdjoint: WinogradAdjoint(g, threads: threads)
            }
        }
    }

    /// Fastest first, where it serves. Training and gradients: the direct kernels for few
    /// channels, channel vectors for multiples of 32, im2col + GEMM for everything else. Winograd,
    /// whose transforms round differently from the direct sums, comes after im2col (which serves
    /// every geometry): the fixed rules keep training's sums exact, so that its gradients belong
    /// to its forward, while the autotuner may time and keep it, as cuDNN's benchmark mode does.
    private static let training: [Kind] = [.direct, .channelVectors, .im2col, .winograd]
    private static let adjoints: [Kind] = [.direct, .channelVectors, .im2col, .winogradAdjoint]
    private static let weightGradients: [Kind] = [.direct, .channelVectors, .im2col]
    /// Evaluation, which only reads outputs, takes Winograd first.
    private static let evaluation: [Kind] = [.winograd, .direct, .channelVectors, .im2col]

    /// For layer `layer` of geometry `g`; `staged` when a fused operator reads the convolution from
    /// scratch, `pooledEvaluation` when it pools 2x2 inside the evaluation kernels. A network
    /// planned without training times only the evaluation convolution.
    init(
        _ g: ConvolutionGeometry, _ context: PlanContext, layer: String, staged: Bool = false,
        pooledEvaluation: Bool = false
    ) {
        var made: [Kind: ConvolutionAlgorithm] = [:]
        func algorithm(_ kind: Kind) -> ConvolutionAlgorithm {
            if let algorithm = made[kind] { return algorithm }
            let algorithm = kind.make(g, context, staged: staged)
            made[kind] = algorithm
            return algorithm
        }
        var timing: ConvolutionTiming?
        func pick(_ product: ConvolutionProduct, from kinds: [Kind], evaluates: Bool) -> ConvolutionAlgorithm {
            let pooled = evaluates && pooledEvaluation
            // bfloat16 products run on im2col's matrix products alone.
            let kinds = context.precision == .bf16 ? [.im2col] : kinds
            let serving = kinds.filter { $0.serves(g, product) }.map {
                pooled && $0 == .winograd ? .pooledWinograd : $0
            }
            switch context.algorithms {
            case .reference: return algorithm(.reference)
            case .tuned(let tuner) where evaluates || context.trains:
                let role =
                    (evaluates ? "evaluation" : "training") + (staged ? " staged" : "") + (pooled ? " pooled" : "")
                let key = ChoiceKey(
                    geometry: g, product: product, role: role, capacity: context.capacity,
                    threads: context.pool.threads, candidates: serving.map(\.rawValue))
                let name = tuner.choose(key: key.text, layer: layer, candidates: serving.map(\.rawValue)) { name in
                    let kind = Kind(rawValue: name)!
                    if timing == nil { timing = ConvolutionTiming(g, context, repetitions: tuner.repetitions) }
                    let call: ConvolutionTiming.Call = kind == .pooledWinograd ? .pooled : staged ? .scratch : .tensor
                    return timing!.seconds(algorithm(kind), product, call: call)
                }
                return algorithm(Kind(rawValue: name)!)
            case .fastest, .tuned: return algorithm(serving[0])
            }
        }
        trainingConvolution = pick(.convolution, from: Self.training, evaluates: false)
        evaluationConvolution = pick(.convolution, from: Self.evaluation, evaluates: true)
        adjoint = pick(.adjoint, from: Self.adjoints, evaluates: false)
        weightGradient = pick(.weightGradient, from: Self.weightGradients, evaluates: false)
    }

    /// The convolution a pass in `mode` runs.
    func convolution(_ mode: Mode) -> ConvolutionAlgorithm {
        mode == .evaluation ? evaluationConvolution : trainingConvolution
    }

    /// Samples per group of a backward pass that runs both gradients.
    var backwardGroupSize: Int { min(adjoint.groupSize, weightGradient.groupSize) }
}
