/// Fused: convolution + bias + activation + max pool, where the pool alone reads the convolution.
///
///     x ── Conv2D (W, b, f) ── y ── MaxPool2D ── z    becomes    x ── PooledConvolution ── z
///
/// y is never written: each sample (or group) is convolved into this thread's scratch and pooled
/// from there while it is in cache, activated first (only the rows some window reads) or, outside
/// training, after the pool where f commutes with the maximum (identity, ReLU): a quarter of the
/// values for 2x2 windows, a twenty-fifth for 5x5. Outside training a 2x2 pool of stride 2 is
/// taken inside the kernels where the algorithm can (Direct, channel vectors, Winograd), before
/// the sums are stored. Training passes pool raw sums after f: the arg-max of f(y + b) is then
/// the layers' own, where two sums rounding to the same value once b is added would tie.
/// The backward pass reads the pool's gradient as per-channel lists of arg-max positions
/// (PooledConvolutionGradient) instead of a dense gradient of y that is mostly zeros.
/// `.inspection` passes write y as well: the layers' own passes.
final class PooledConvolution: FusedOperator {
    let convolution: Conv2D
    let maxPool: MaxPool2D
    let output: Int
    private let geometry: ConvolutionGeometry
    private let x: Tensor
    private let convolved: Tensor
    private let pooled: Tensor
    private let gradient: Tensor?
    private let inputGradient: Tensor?
    /// The backward's layout (nil in networks that only evaluate).
    private let layout: PooledConvolutionGradient.Layout?
    private var pool = ThreadPool(threads: 1)
    private var algorithms: ConvolutionAlgorithms?
    private var backwardKernel: PooledConvolutionGradient?
    private var mode = Mode.evaluation
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardChunk($0, $1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardChunk($0, $1) }

    static func match(_ node: Int, in graph: GraphView) -> [Int]? {
        guard graph.layer(node) is MaxPool2D, let j = graph.entries[node].inputs.first, graph.isPrivate(j),
            let convolution = graph.layer(j) as? Conv2D, let g = convolution.geometry
        else { return nil }
        if graph.training && layout(g, graph, convolutionNode: j) == nil { return nil }
        return [j]
    }

    private static func layout(
        _ g: ConvolutionGeometry, _ graph: GraphView,
        convolutionNode j: Int
    ) -> PooledConvolutionGradient.Layout? {
        PooledConvolutionGradient.layout(for: g, inputGradient: graph.needsGradient[graph.entries[j].inputs[0]])
    }

    init(_ node: Int, in graph: GraphView, _ tensors: StepTensors) {
        let j = graph.entries[node].inputs[0]
        convolution = graph.layer(j) as! Conv2D
        maxPool = graph.layer(node) as! MaxPool2D
        output = node
        geometry = convolution.geometry!
        x = tensors.outputs[graph.entries[j].inputs[0]]
        convolved = tensors.outputs[j]
        pooled = tensors.outputs[node]
        gradient = tensors.gradients[node]
        inputGradient = tensors.inputGradients[j][0]
        layout = graph.training ? Self.layout(geometry, graph, convolutionNode: j) : nil
    }

    var name: String { convolution.name + "+" + maxPool.name }

    /// Whether passes other than training's can pool inside the kernels: a 2x2 pool of stride 2
    /// over an activation that commutes with the maximum.
    private var poolsInKernelOutsideTraining: Bool {
        convolution.activation.commutesWithMax && maxPool.size == 2 && maxPool.stride == 2
    }

    func plan(_ context: PlanContext) {
        pool = context.pool
        convolution.plan(context.untuned)
        maxPool.plan(context)
        algorithms = ConvolutionAlgorithms(
            geometry, context, layer: name, staged: true,
            pooledEvaluation: poolsInKernelOutsideTraining)
        backwardKernel = layout.map {
            PooledConvolutionGradient(
                geometry, layout: $0, activation: convolution.activation,
                pooledPlane: pooled.shape.plane, threads: context.pool.threads)
        }
    }

    func forward(batch: Int, mode: Mode) {
        precondition(mode != .replay, "\(name): replays need a network planned without fusion")
        self.mode = mode
        guard mode != .inspection else {
            convolution.forward([x], into: convolved, batch: batch, mode: mode)
            maxPool.forward([convolved], into: pooled, batch: batch, mode: mode)
            return
        }
        algorithms!.convolution(mode).prepare(.convolution, weights: convolution.weight.value)
        pool.parallelFor(batch, forwardJob)
    }

    private func forwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let algorithm = algorithms!.convolution(mode), channels = geometry.output.channels
        if mode == .evaluation && poolsInKernelOutsideTraining && algorithm.poolsInKernel {
            for group in SampleGroups(range, size: algorithm.groupSize) {
                algorithm.convolvePooled(x, group, chunk: chunk, into: pooled)
                for i in group { for c in 0..<channels { activatePooled(i, c) } }
            }
            return
        }
        for group in SampleGroups(range, size: algorithm.groupSize) {
            let planes = algorithm.convolveInScratch(x, group, chunk: chunk, region: maxPool.windowsCover)
            activateAndPool(planes, group)
        }
    }

    /// f(pooled + b) for channel `c` of sample `i`.
    @inline(__always)
    private func activatePooled(_ i: Int, _ c: Int) {
        let plane = pooled.shape.plane
        convolution.activation.apply(pooled.sample(i) + c * plane, count: plane, bias: convolution.bias?.value[c] ?? 0)
    }

    private func activateAndPool(_ planes: GroupPlanes, _ group: Range<Int>) {
        let activation = convolution.activation, b = convolution.bias?.value, routes = mode == .training
        let poolsFirst = activation.commutesWithMax && !routes
        let read = maxPool.windowsCover.0 * geometry.output.width
        for (s, i) in group.enumerated() {
            for c in 0..<geometry.output.channels {
                let plane = planes.plane(s, c)
                if poolsFirst {
                    maxPool.pool(plane, sample: i, channel: c, into: pooled, routes: false)
                    activatePooled(i, c)
                } else {
                    activation.apply(plane, count: read, bias: b?[c] ?? 0)
                    maxPool.pool(plane, sample: i, channel: c, into: pooled, routes: routes)
                }
            }
        }
    }

    func backward(batch: Int) {
        precondition(mode == .training, "\(name): backward needs a training forward (other passes keep no arg-max)")
        guard let backwardKernel else { preconditionFailure("\(name) planned for evaluation only") }
        backwardKernel.begin(
            weights: convolution.weight.value, inputGradient: inputGradient != nil,
            weightGradient: !convolution.weight.frozen)
        pool.parallelFor(batch, backwardJob)
        backwardKernel.finish(weight: convolution.weight, bias: convolution.bias)
    }

    private func backwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let kernel = backwardKernel!, gradient = gradient!
        for i in range {
            let routes = PooledConvolutionGradient.Routes(
                gradient: gradient.sample(i), output: pooled.sample(i),
                argmax: maxPool.argmax(sample: i), plane: pooled.shape.plane)
            kernel.backward(x.sample(i), routes, dx: inputGradient?.sample(i), chunk: chunk)
        }
    }
}
