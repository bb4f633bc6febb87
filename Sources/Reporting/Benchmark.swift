import DataIO
import Engine
import Foundation
import Plugins
import Training

/// Training (or evaluation) speed of one model: steps on random inputs, timed after warm-up,
/// in several repetitions; examples per second, GFLOP/s from the FLOPs counted per step, peak
/// resident memory, and optionally where the time goes, layer by layer.
public struct Benchmark {
    public struct Result: Codable {
        public var model: String
        public var mode: String
        /// `--precision` of the products.
        public var precision: String
        public var batch: Int
        public var threads: Int
        public var stepsPerRepetition: Int
        public var examplesPerSecond: [Double]
        public var medianExamplesPerSecond: Double
        public var flopsPerImage: Double
        public var medianGFLOPS: Double
        public var peakResidentMB: Double
        public var layers: [LayerTime]?
        /// Under `--autotune on`: each layer's choice per product, and its candidates' times.
        public var algorithms: [AlgorithmTuner.Choice]?
        /// Heap allocations per timed step (all threads), where they were counted.
        public var allocationsPerStep: Double?
    }

    public struct LayerTime: Codable {
        public var name: String
        public var forwardMilliseconds: Double
        public var backwardMilliseconds: Double
        /// The step's multiply-adds (2 FLOPs each) over its time, where it has any.
        public var forwardGFLOPS: Double?
        public var backwardGFLOPS: Double?
    }

    /// FLOPs of one image's training step: 2 per multiply-add of each layer's forward pass, its
    /// weight gradient where its weights are not frozen, and its input gradient where the input
    /// needs one (seed 003's count).
    public static func trainingFlops(_ network: Network) -> Double {
        network.layers.reduce(0) { $0 + backwardFlops(of: $1, in: network) } + 2 * Double(network.multiplyAdds)
    }

    /// One image's FLOPs of `layer`'s backward pass: its weight gradient where its weights are not
    /// frozen, and its input gradient where the input needs one.
    static func backwardFlops(of layer: Layer, in network: Network) -> Double {
        guard layer.multiplyAdds > 0 else { return 0 }
        var macs = layer.parameters.contains { !$0.frozen } ? layer.multiplyAdds : 0
        if let inputs = network.nodes(of: layer)?.inputs, inputs.contains(where: network.receivesGradient) {
            macs += layer.multiplyAdds
        }
        return 2 * Double(macs)
    }

    /// The layers a planned step runs (a fused operator's are named with `+`).
    static func layers(of step: String, in network: Network) -> [Layer] {
        let names = Set(step.split(separator: "+").map(String.init))
        return network.layers.filter { names.contains($0.name) }
    }

    /// One model planned for timing: random inputs and labels, a training step (Adam).
    final class Timed {
        let network: Network
        let batch: Int
        let evaluation: Bool
        private let step: TrainingStep

        init(
            _ model: any ModelPlugin.Type, input: Shape, classes: Int, batch: Int, threads: Int,
            evaluation: Bool, options: Network.PlanOptions, trainable: ParameterScopes? = nil
        ) throws(BenchError) {
            network = try ModelLoader(model, input: input, classes: classes)
                .initialized(seed: 1, capacity: batch, threads: threads, options: options, trainable: trainable)
            var generator = RandomGenerator(seed: 2)
            for i in 0..<(batch * input.count) { network.inputTensor.data[i] = generator.nextUniform() }
            let evaluator = Evaluator(kind: model.kind, range: model.pixelRange, capacity: batch)
            for i in 0..<batch { evaluator.labelBuffer[i] = Int32(generator.next() % UInt64(classes)) }
            step = TrainingStep(
                network: network, evaluator: evaluator,
                optimizer: Optimizer(
                    Adam(), learningRate: 1e-4, parameters: network.parameters.filter { !$0.frozen },
                    pool: network.threadPool), l2Penalty: 0)
            self.batch = batch
            self.evaluation = evaluation
        }

        func run(_ count: Int) {
            for _ in 0..<count {
                if evaluation {
                    network.forward(batch: batch, mode: .evaluation)
                } else {
                    _ = step(batch: batch, learningRate: 1e-4)
                }
            }
        }

        /// Examples per second over `steps` steps.
        func rate(_ steps: Int) -> Double {
            let start = Date()
            run(steps)
            return Double(steps * batch) / Date().timeIntervalSince(start)
        }
    }

    public static func run(
        _ model: any ModelPlugin.Type, input: Shape, classes: Int = 10, batch: Int, threads: Int,
        warmup: Int, steps: Int, repetitions: Int, evaluation: Bool, layers: Bool,
        options: Network.PlanOptions = Network.PlanOptions(), trainable: ParameterScopes? = nil,
        allocations counter: (any AllocationCounting)? = nil
    ) throws(BenchError) -> Result {
        let timed = try Timed(
            model, input: input, classes: classes, batch: batch, threads: threads, evaluation: evaluation,
            options: options, trainable: trainable)
        let network = timed.network
        timed.run(warmup)
        let rates = (0..<repetitions).map { _ in timed.rate(steps) }
        let allocations = counter.map { Double($0.allocations { timed.run(steps) }) / Double(steps) }
        var timings: [LayerTime]?
        if layers {
            network.profiling = true
            timed.run(steps)
            timings = network.stepSeconds.map { step in
                let layers = Self.layers(of: step.name, in: network), images = Double(steps * batch)
                let forward = layers.reduce(0.0) { $0 + 2 * Double($1.multiplyAdds) } * images
                let backward = layers.reduce(0.0) { $0 + backwardFlops(of: $1, in: network) } * images
                return LayerTime(
                    name: step.name, forwardMilliseconds: step.forward * 1000 / Double(steps),
                    backwardMilliseconds: step.backward * 1000 / Double(steps),
                    forwardGFLOPS: forward > 0 ? forward / step.forward / 1e9 : nil,
                    backwardGFLOPS: backward > 0 && !evaluation ? backward / step.backward / 1e9 : nil)
            }
            network.profiling = false
        }
        let flops = evaluation ? 2 * Double(network.multiplyAdds) : trainingFlops(network)
        let median = median(rates)
        return Result(
            model: model.name, mode: evaluation ? "evaluation" : "training", precision: options.precision.rawValue,
            batch: batch, threads: threads,
            stepsPerRepetition: steps, examplesPerSecond: rates, medianExamplesPerSecond: median,
            flopsPerImage: flops, medianGFLOPS: median * flops / 1e9, peakResidentMB: peakResidentMB(), layers: timings,
            allocationsPerStep: allocations)
    }

    public struct Scaling: Codable {
        public var model: String
        public var threads: Int
        /// Per pair of repetitions: `threads` threads' examples/sec over one thread's.
        public var ratios: [Double]
        public var medianRatio: Double
        public var medianOneThread: Double
        public var medianThreads: Double
    }

    /// `threads` threads against one, in one process: the two networks alternate repetition by
    /// repetition (which goes first alternates too), so that the machine's slower and faster
    /// minutes fall on both alike; the ratio of each adjacent pair, and their median.
    public static func scaling(
        _ model: any ModelPlugin.Type, input: Shape, classes: Int = 10, batch: Int, threads: Int,
        warmup: Int, steps: Int, repetitions: Int, evaluation: Bool,
        options: Network.PlanOptions = Network.PlanOptions(), trainable: ParameterScopes? = nil
    ) throws(BenchError) -> Scaling {
        let one = try Timed(
            model, input: input, classes: classes, batch: batch, threads: 1, evaluation: evaluation,
            options: options, trainable: trainable)
        let many = try Timed(
            model, input: input, classes: classes, batch: batch, threads: threads, evaluation: evaluation,
            options: options, trainable: trainable)
        one.run(warmup)
        many.run(warmup)
        var pairs: [(one: Double, many: Double)] = []
        for r in 0..<repetitions {
            if r % 2 == 0 {
                let a = one.rate(steps)
                pairs.append((a, many.rate(steps)))
            } else {
                let b = many.rate(steps)
                pairs.append((one.rate(steps), b))
            }
        }
        let ratios = pairs.map { $0.many / $0.one }
        return Scaling(
            model: model.name, threads: threads, ratios: ratios, medianRatio: median(ratios),
            medianOneThread: median(pairs.map(\.one)), medianThreads: median(pairs.map(\.many)))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// OpenBLAS's single-precision GEMM rate on `threads` threads (n x n x n, best of `repetitions`).
    public static func gemmGFLOPS(threads: Int, n: Int = 2048, repetitions: Int = 5) -> Double {
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = 0.0
        for _ in 0...repetitions {
            let start = Date()
            BLASLibrary.multiplySquare(a, b, into: &c, n: n, threads: threads)
            best = max(best, 2 * pow(Double(n), 3) / Date().timeIntervalSince(start) / 1e9)
        }
        return best
    }

    public static func peakResidentMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
