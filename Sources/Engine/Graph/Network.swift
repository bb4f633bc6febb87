/// A directed acyclic graph of layers over one input. Layers are added in topological order
/// (each names earlier nodes as inputs), shapes are checked as they are added, and `plan`
/// allocates every activation, gradient and scratch buffer once for a batch capacity. A node
/// read by several layers gets one gradient buffer per reader, summed before its own backward.
#if canImport(Glibc)
import Glibc
#endif

public final class Network {
    /// A node of the graph: the input, or the output of an added layer.
    public struct Node: Hashable, Sendable {
        public let index: Int
    }

    private struct Entry {
        let layer: Layer?
        let inputs: [Int]
        let shape: Shape
    }

    private struct Plan {
        let capacity: Int
        let pool: ThreadPool
        let outputs: [Tensor]
        /// The gradient of each node's output; nil for the input, which needs none.
        let gradients: [Tensor?]
        /// What each layer reads, prepared once so a step builds no arrays.
        let layerInputs: [[Tensor]]
        let layerInputGradients: [[Tensor?]]
        /// For nodes read by several layers: the per-reader gradients to sum.
        let fanOut: [[Tensor]]
    }

    private var entries: [Entry]
    private var plan: Plan?
    public private(set) var output: Node

    public init(input: Shape) {
        entries = [Entry(layer: nil, inputs: [], shape: input)]
        output = Node(index: 0)
    }

    public var input: Node { Node(index: 0) }
    public var inputShape: Shape { entries[0].shape }
    public var outputShape: Shape { entries[output.index].shape }
    public var layers: [Layer] { entries.compactMap(\.layer) }

    /// Adds `layer` reading `inputs` (by default the last node added) and makes it the output.
    @discardableResult
    public func add(_ layer: Layer, _ inputs: Node...) throws(EngineError) -> Node {
        let sources = inputs.isEmpty ? [output.index] : inputs.map(\.index)
        guard sources.allSatisfy({ $0 < entries.count }) else {
            throw .invalidConfiguration("\(layer.name) reads a node that is not in this network")
        }
        let shape = try layer.outputShape(for: sources.map { entries[$0].shape })
        entries.append(Entry(layer: layer, inputs: sources, shape: shape))
        for p in layer.parameters where !parameters.contains(where: { $0 === p }) { parameters.append(p) }
        if let d = layer as? Dropout { dropouts.append(d) }
        output = Node(index: entries.count - 1)
        plan = nil
        return output
    }

    public func shape(of node: Node) -> Shape { entries[node.index].shape }

    /// The node a layer writes and the nodes it reads.
    public func nodes(of layer: Layer) -> (output: Node, inputs: [Node])? {
        guard let i = entries.firstIndex(where: { $0.layer === layer }) else { return nil }
        return (Node(index: i), entries[i].inputs.map { Node(index: $0) })
    }

    /// Back-propagate into every node, even where no parameter is upstream (gradient checks
    /// observe those gradients); set before `plan`.
    public var propagatesToEveryNode = false
    /// Seconds spent in each node's forward and backward since profiling was switched on.
    public private(set) var layerSeconds: [(forward: Double, backward: Double)] = []
    public var profiling = false {
        didSet { layerSeconds = Array(repeating: (0, 0), count: entries.count) }
    }

    /// Every trainable parameter once, in order of first use (a tied weight appears once).
    public private(set) var parameters: [Parameter] = []
    private var dropouts: [Dropout] = []

    /// Multiply-adds of one sample's forward pass.
    public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }

    /// Draws every parameter and every dropout stream from `seed`.
    public func initialize(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        for p in parameters { p.initialize(using: &generator) }
        reseedDropout(seed)
    }

    /// Gives every dropout layer its own stream from `seed`. Training reseeds per step from the
    /// run's seed and the step number, so a resumed run draws the masks it would have drawn.
    public func reseedDropout(_ seed: UInt64) {
        for (i, d) in dropouts.enumerated() { d.reseed(seed ^ (UInt64(i + 1) &* 0xD1B5_4A32_D192_ED03)) }
    }

    /// Allocates everything a step needs for up to `capacity` samples on `threads` threads; a
    /// network that only evaluates (`training: false`) gets no gradient buffers.
    public func plan(capacity: Int, threads: Int, training: Bool = true) {
        precondition(capacity > 0 && threads > 0, "capacity \(capacity), threads \(threads)")
        let pool = ThreadPool(threads: threads)
        let outputs = entries.map { Tensor(shape: $0.shape, capacity: capacity) }
        // A node needs a gradient only if some parameter lies upstream of it (or, for gradient
        // checks, always): nothing is propagated into the input's preprocessing.
        var needs = [Bool](repeating: false, count: entries.count)
        for (i, e) in entries.enumerated() where i > 0 {
            needs[i] = propagatesToEveryNode || !(e.layer!.parameters.isEmpty) || e.inputs.contains { needs[$0] }
        }
        needs[output.index] = true
        if !training { needs = needs.map { _ in false } }
        let gradients: [Tensor?] = entries.indices.map { needs[$0] ? Tensor(shape: entries[$0].shape, capacity: capacity) : nil }
        var readers = Array(repeating: 0, count: entries.count)
        for e in entries { for i in e.inputs { readers[i] += 1 } }
        linkPooledConvolutions(needs: needs, readers: readers, outputs: outputs)
        var fanOut = Array(repeating: [Tensor](), count: entries.count)
        let layerInputGradients = entries.map { e in
            e.inputs.map { i -> Tensor? in
                guard let g = gradients[i] else { return nil }
                guard readers[i] > 1 else { return g }
                let edge = Tensor(shape: entries[i].shape, capacity: capacity)
                fanOut[i].append(edge)
                return edge
            }
        }
        linkUpscaledTransposedConvolutions(readers: readers, outputs: outputs, inputGradients: layerInputGradients)
        for e in entries { e.layer?.plan(capacity: capacity, pool: pool) }
        plan = Plan(capacity: capacity, pool: pool, outputs: outputs, gradients: gradients,
                    layerInputs: entries.map { $0.inputs.map { outputs[$0] } },
                    layerInputGradients: layerInputGradients, fanOut: fanOut)
    }

    /// A convolution read by a max pool alone pools its own output (but in `.inspection` passes) and takes
    /// the pool's gradient as arg-max lists (PooledConvolutionGradient). Not for gradient
    /// checks, which observe every node's dense output and gradient; decided before the layers
    /// plan their scratch.
    private func linkPooledConvolutions(needs: [Bool], readers: [Int], outputs: [Tensor]) {
        for e in entries { _ = (e.layer as? Conv2D)?.fuse(nil, into: nil, inputGradient: false) }
        for (i, e) in entries.enumerated() {
            guard let pool = e.layer as? MaxPool2D else { continue }
            let j = e.inputs[0]
            pool.fusedIntoProducer = !propagatesToEveryNode && needs[j] && readers[j] == 1 && j != output.index
                && (entries[j].layer as? Conv2D)?.fuse(pool, into: outputs[i], inputGradient: needs[entries[j].inputs[0]]) == true
        }
    }

    /// A transposed convolution read through a nearest upscaling that only it reads computes from
    /// the upscaling's input, at the factor's stride (not for gradient checks, which observe the
    /// upscaled node).
    private func linkUpscaledTransposedConvolutions(readers: [Int], outputs: [Tensor], inputGradients: [[Tensor?]]) {
        for e in entries { _ = (e.layer as? TransposedConv2D)?.readThrough(upscalingBy: 0, input: nil, inputGradient: nil) }
        for e in entries {
            guard let deconv = e.layer as? TransposedConv2D, let u = entries[e.inputs[0]].layer as? Upscale2D else { continue }
            let k = e.inputs[0]
            u.handsInputToConsumer = !propagatesToEveryNode && readers[k] == 1 && k != output.index
                && deconv.readThrough(upscalingBy: u.factor, input: outputs[entries[k].inputs[0]], inputGradient: inputGradients[k][0])
        }
    }

    private var planned: Plan {
        guard let plan else { preconditionFailure("Network used before plan(capacity:threads:)") }
        return plan
    }

    public var capacity: Int { planned.capacity }
    public var threads: Int { planned.pool.threads }
    /// The planned threads, for work beside the layers' (the optimizer's update).
    public var threadPool: ThreadPool { planned.pool }
    /// Where the caller writes a batch before `forward`.
    public var inputTensor: Tensor { planned.outputs[0] }
    public var outputTensor: Tensor { planned.outputs[output.index] }
    /// Where the loss writes its gradient before `backward`.
    public var outputGradient: Tensor {
        guard let gradient = planned.gradients[output.index] else { preconditionFailure("network planned for evaluation only") }
        return gradient
    }
    public func tensor(of node: Node) -> Tensor { planned.outputs[node.index] }
    public func gradient(of node: Node) -> Tensor? { planned.gradients[node.index] }

    public func forward(batch: Int, mode: Mode) {
        let plan = planned
        precondition(batch > 0 && batch <= plan.capacity, "batch \(batch) outside 1...\(plan.capacity)")
        for i in 1..<entries.count {
            let start = profiling ? Self.now() : 0
            entries[i].layer!.forward(plan.layerInputs[i], into: plan.outputs[i], batch: batch, mode: mode)
            if profiling { layerSeconds[i].forward += Self.now() - start }
        }
    }

    /// Back-propagates `outputGradient` after a `forward` of the same batch; parameter gradients
    /// are overwritten (zeroed, then each use adds its share).
    public func backward(batch: Int) {
        let plan = planned
        precondition(batch > 0 && batch <= plan.capacity, "batch \(batch) outside 1...\(plan.capacity)")
        for p in parameters { p.zeroGradient() }
        for i in stride(from: output.index, through: 1, by: -1) {
            guard let gradient = plan.gradients[i] else { continue }
            let start = profiling ? Self.now() : 0
            if !plan.fanOut[i].isEmpty {
                let n = batch * entries[i].shape.count
                gradient.data.update(from: plan.fanOut[i][0].data, count: n)
                for edge in plan.fanOut[i].dropFirst() {
                    for k in 0..<n { gradient.data[k] += edge.data[k] }
                }
            }
            entries[i].layer!.backward(plan.layerInputs[i], output: plan.outputs[i], outputGradient: gradient,
                                       inputGradients: plan.layerInputGradients[i], batch: batch)
            if profiling { layerSeconds[i].backward += Self.now() - start }
        }
    }

    /// The layer of each profiled node (nil for the input), in node order.
    public var nodeLayers: [Layer?] { entries.map(\.layer) }

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
