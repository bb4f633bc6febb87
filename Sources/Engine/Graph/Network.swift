/// A directed acyclic graph of layers over one input. Layers are added in topological order
/// (each names earlier nodes as inputs) and shapes are checked as they are added. `plan` turns
/// the graph into steps (one per layer, or a fused operator where FusionPass finds its pattern)
/// and allocates every activation, gradient and scratch buffer once for a batch capacity. A node
/// read by several steps gets one gradient buffer per reader, summed before its own backward.
#if canImport(Glibc)
import Glibc
#endif

public final class Network {
    /// A node of the graph: the input, or the output of an added layer.
    public struct Node: Hashable, Sendable {
        public let index: Int
    }

    /// How `plan` turns the layers into steps.
    public struct PlanOptions: Sendable {
        /// Run FusionPass (off: every layer runs on its own, as its file specifies it).
        public var fusion: Bool
        public var algorithms: AlgorithmChoice
        /// Back-propagate into every node, even where no parameter is upstream, and keep every
        /// node's gradient (gradient checks observe them); fused operators do not, so this plans
        /// without fusion.
        public var gradientsForEveryNode: Bool
        /// Of the products of convolutions and dense layers (`--precision`).
        public var precision: Precision

        public init(
            fusion: Bool = true, algorithms: AlgorithmChoice = .fastest, gradientsForEveryNode: Bool = false,
            precision: Precision = .float32
        ) {
            (self.fusion, self.algorithms, self.gradientsForEveryNode) = (fusion, algorithms, gradientsForEveryNode)
            self.precision = precision
        }
    }

    private struct Plan {
        let capacity: Int
        let pool: ThreadPool
        let outputs: [Tensor]
        /// The gradient of each node's output; nil where none flows.
        let gradients: [Tensor?]
        let steps: [GraphStep]
        /// For nodes read by several steps: the per-reader gradients to sum.
        let fanOut: [[Tensor]]
        /// Where each reconstruction term writes its gradient, by node.
        let termGradients: [Int: Tensor]
    }

    private(set) var entries: [GraphEntry]
    private var plan: Plan?
    public private(set) var output: Node

    public init(input: Shape) {
        entries = [GraphEntry(layer: nil, inputs: [], shape: input)]
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
        entries.append(GraphEntry(layer: layer, inputs: sources, shape: shape))
        for p in layer.parameters where !parameters.contains(where: { $0 === p }) { parameters.append(p) }
        statistics += layer.statistics
        if let random = layer as? RandomLayer { randomLayers.append(random) }
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

    /// Whether a training step back-propagates into `node`, however the network is planned.
    public func receivesGradient(_ node: Node) -> Bool { gradientFlow(everyNode: false)[node.index] }

    /// Per node, whether a gradient flows into it: only if some parameter that is not frozen lies
    /// upstream of it (or, for gradient checks, always), so nothing is propagated into the input's
    /// preprocessing or through a frozen trunk.
    private func gradientFlow(everyNode: Bool) -> [Bool] {
        var needs = [Bool](repeating: false, count: entries.count)
        for (i, e) in entries.enumerated() where i > 0 {
            let layer = e.layer!
            needs[i] =
                everyNode || layer.parameters.contains { !$0.frozen }
                || layer.passesGradient && e.inputs.contains { needs[$0] }
        }
        needs[output.index] = true
        for term in reconstructionTerms { needs[term.output.index] = true }
        return needs
    }

    /// An autoencoder's loss term: `output` reconstructs `target` (mean squared error / 2).
    public struct ReconstructionTerm: Sendable {
        public let output: Node
        public let target: Node
    }

    /// The terms an autoencoder trains on, where the model declares them (DTB's stacked
    /// autoencoders: one per stage); empty means the output reconstructs the input.
    public private(set) var reconstructionTerms: [ReconstructionTerm] = []

    /// Declares that training minimises how well `output` reconstructs `target`, beside the
    /// other terms; each term's gradient is added to whatever else flows into `output`.
    public func reconstructs(_ output: Node, target: Node) {
        reconstructionTerms.append(ReconstructionTerm(output: output, target: target))
        plan = nil
    }

    /// Seconds spent in each step's forward and backward since profiling was switched on.
    public private(set) var stepSeconds: [(name: String, forward: Double, backward: Double)] = []
    public var profiling = false {
        didSet { stepSeconds = planned.steps.map { ($0.name, 0, 0) } }
    }

    /// Every trainable parameter once, in order of first use (a tied weight appears once).
    public private(set) var parameters: [Parameter] = []
    /// The layers' statistics (batch normalization's running averages), in layer order.
    public private(set) var statistics: [Parameter] = []
    /// What a checkpoint holds: the parameters, then the statistics.
    public var checkpointed: [Parameter] { parameters + statistics }
    private var randomLayers: [RandomLayer] = []

    /// Multiply-adds of one sample's forward pass.
    public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }

    /// Draws every parameter and every random layer's stream from `seed`.
    public func initialize(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        for p in parameters { p.initialize(using: &generator) }
        for s in statistics { s.initialize(using: &generator) }
        reseedDropout(seed)
    }

    /// Gives every random layer its own stream from `seed`. Training reseeds per step from the
    /// run's seed and the step number, so a resumed run draws the masks it would have drawn;
    /// `firstSample` places this batch in a batch split between processes (`RandomLayer`).
    public func reseedDropout(_ seed: UInt64, firstSample: Int = 0) {
        for (i, layer) in randomLayers.enumerated() {
            layer.reseed(seed ^ (UInt64(i + 1) &* 0xD1B5_4A32_D192_ED03), firstSample: firstSample)
        }
    }

    /// Allocates everything a step needs for up to `capacity` samples on `threads` threads; a
    /// network that only evaluates (`training: false`) gets no gradient buffers.
    public func plan(capacity: Int, threads: Int, training: Bool = true, options: PlanOptions = PlanOptions()) {
        precondition(capacity > 0 && threads > 0, "capacity \(capacity), threads \(threads)")
        let context = PlanContext(
            capacity: capacity, pool: ThreadPool(threads: threads), algorithms: options.algorithms, trains: training,
            precision: options.precision)
        let outputs = entries.map { Tensor(shape: $0.shape, capacity: capacity) }
        var needs = training ? gradientFlow(everyNode: options.gradientsForEveryNode) : entries.map { _ in false }
        var readers = Array(repeating: 0, count: entries.count)
        for e in entries { for i in e.inputs { readers[i] += 1 } }
        // A loss term reads its output node as a layer would: a gradient edge of its own where
        // layers read the node too, and no fused operator hides the node.
        let termNodes = Set(reconstructionTerms.map(\.output.index))
        for i in termNodes { readers[i] += 1 }
        let graph = GraphView(
            entries: entries, output: output.index, readers: readers, training: training,
            needsGradient: needs)

        // Fused operators' inner nodes get no gradient: nothing reads or writes one.
        let fused = options.fusion && !options.gradientsForEveryNode ? FusionPass.matches(in: graph) : []
        for match in fused { for inner in match.inner { needs[inner] = false } }
        let gradients: [Tensor?] = entries.indices.map {
            needs[$0] ? Tensor(shape: entries[$0].shape, capacity: capacity) : nil
        }
        var fanOut = Array(repeating: [Tensor](), count: entries.count)
        let inputGradients = entries.map { e in
            e.inputs.map { i -> Tensor? in
                guard let g = gradients[i] else { return nil }
                guard readers[i] > 1 else { return g }
                let edge = Tensor(shape: entries[i].shape, capacity: capacity)
                fanOut[i].append(edge)
                return edge
            }
        }
        var termGradients: [Int: Tensor] = [:]
        for i in termNodes {
            guard let g = gradients[i] else { continue }
            if readers[i] > 1 {
                termGradients[i] = Tensor(shape: entries[i].shape, capacity: capacity)
                fanOut[i].append(termGradients[i]!)
            } else {
                termGradients[i] = g
            }
        }
        let tensors = StepTensors(outputs: outputs, gradients: gradients, inputGradients: inputGradients)
        var steps: [GraphStep?] = entries.indices.map { i in
            entries[i].layer.map { LayerStep($0, node: i, inputs: entries[i].inputs, tensors) }
        }
        for match in fused {
            for inner in match.inner { steps[inner] = nil }
            steps[match.output] = match.make(graph, tensors)
        }
        let planned = steps.compactMap { $0 }
        for step in planned { step.plan(context) }
        plan = Plan(
            capacity: capacity, pool: context.pool, outputs: outputs, gradients: gradients, steps: planned,
            fanOut: fanOut, termGradients: termGradients)
    }

    private var planned: Plan {
        guard let plan else { preconditionFailure("Network used before plan(capacity:threads:)") }
        return plan
    }

    public var capacity: Int { planned.capacity }
    public var threads: Int { planned.pool.threads }
    /// The planned threads, for work beside the layers' (the optimizer's update).
    public var threadPool: ThreadPool { planned.pool }
    /// The planned steps' names, in order: a fused operator names the layers it stands for.
    public var stepNames: [String] { planned.steps.map(\.name) }
    /// Where the caller writes a batch before `forward`.
    public var inputTensor: Tensor { planned.outputs[0] }
    public var outputTensor: Tensor { planned.outputs[output.index] }
    /// Where the loss writes its gradient before `backward`.
    public var outputGradient: Tensor {
        guard let gradient = planned.gradients[output.index] else {
            preconditionFailure("network planned for evaluation only")
        }
        return gradient
    }
    public func tensor(of node: Node) -> Tensor { planned.outputs[node.index] }
    /// Where reconstruction term output `node` writes its loss's gradient before `backward`.
    public func termGradient(of node: Node) -> Tensor {
        guard let gradient = planned.termGradients[node.index] else {
            preconditionFailure("node \(node.index): not a reconstruction term's output, or planned for evaluation")
        }
        return gradient
    }
    public func gradient(of node: Node) -> Tensor? { planned.gradients[node.index] }

    public func forward(batch: Int, mode: Mode) {
        let plan = planned
        precondition(batch > 0 && batch <= plan.capacity, "batch \(batch) outside 1...\(plan.capacity)")
        for (k, step) in plan.steps.enumerated() {
            let start = profiling ? MonotonicClock.seconds() : 0
            step.forward(batch: batch, mode: mode)
            if profiling { stepSeconds[k].forward += MonotonicClock.seconds() - start }
        }
    }

    /// Back-propagates `outputGradient` after a `forward` of the same batch; parameter gradients
    /// are overwritten (zeroed, then each use adds its share).
    public func backward(batch: Int) {
        let plan = planned
        precondition(batch > 0 && batch <= plan.capacity, "batch \(batch) outside 1...\(plan.capacity)")
        for p in parameters { p.zeroGradient() }
        for k in stride(from: plan.steps.count - 1, through: 0, by: -1) {
            let step = plan.steps[k], i = step.output
            guard let gradient = plan.gradients[i] else { continue }
            let start = profiling ? MonotonicClock.seconds() : 0
            if !plan.fanOut[i].isEmpty {
                let n = batch * entries[i].shape.count
                gradient.data.update(from: plan.fanOut[i][0].data, count: n)
                for edge in plan.fanOut[i].dropFirst() {
                    for k in 0..<n { gradient.data[k] += edge.data[k] }
                }
            }
            step.backward(batch: batch)
            if profiling { stepSeconds[k].backward += MonotonicClock.seconds() - start }
        }
    }
}
