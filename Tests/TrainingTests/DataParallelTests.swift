import DataIO
import Foundation
import Models
import Testing

@testable import Engine
@testable import Training

/// Data-parallel training's arithmetic, with threads standing in for MPI's processes: two
/// processes that each step on their share of a batch (the gradients summed, each scaled by its
/// share) end where one process stepping on the whole batch ends, dropout included.
@Suite struct DataParallelTests {
    static let shape = Shape(1, 8, 8)

    /// CifarCNN (convolutions, pooling, dense layers and dropout) with L2 and momentum, after
    /// `steps` steps on the same batch, trained by `processes` members of a group (one process
    /// alone without a group).
    static func train(processes: Int, batch: Int, steps: Int) throws -> (losses: [[Double]], parameters: [[[Float]]]) {
        let group = processes > 1 ? InMemoryGroup(size: processes) : nil
        let results = Results(processes)
        let done = DispatchGroup()
        for rank in 0..<processes {
            done.enter()
            Thread.detachNewThread {
                results.record(rank) {
                    try member(rank, of: processes, group: group?.member(rank), batch: batch, steps: steps)
                }
                done.leave()
            }
        }
        done.wait()
        return try results.collected()
    }

    /// What each member's thread ended with.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var losses: [[Double]], parameters: [[[Float]]]
        private var failure: (any Error)?

        init(_ processes: Int) {
            losses = Array(repeating: [], count: processes)
            parameters = Array(repeating: [], count: processes)
        }

        func record(_ rank: Int, _ body: () throws -> ([Double], [[Float]])) {
            do {
                let (l, p) = try body()
                lock.withLock { (losses[rank], parameters[rank]) = (l, p) }
            } catch {
                lock.withLock { failure = error }
            }
        }

        func collected() throws -> (losses: [[Double]], parameters: [[[Float]]]) {
            try lock.withLock {
                if let failure { throw failure }
                return (losses, parameters)
            }
        }
    }

    static func member(
        _ rank: Int, of processes: Int, group: (any Collective)?, batch: Int, steps: Int
    ) throws -> ([Double], [[Float]]) {
        let share = BatchShare(index: rank, count: processes)
        let network = try CifarCNN.build(input: shape, classes: 3)
        network.plan(capacity: share.capacity(forBatchSize: batch), threads: 1)
        network.initialize(seed: 5)
        let evaluator = Evaluator(kind: .classifier, range: .zeroToOne, capacity: batch)
        let optimizer = Optimizer(Momentum(momentum: 0.9), learningRate: 0.05, parameters: network.parameters)
        let exchange = group.map { GradientExchange(group: $0, parameters: network.parameters) }
        let step = TrainingStep(
            network: network, evaluator: evaluator, optimizer: optimizer, l2Penalty: 0.01, exchange: exchange)
        let samples = share.samples(of: batch)
        var g = RandomGenerator(seed: 6)
        let images = (0..<(batch * shape.count)).map { _ in g.nextUniform() }
        var losses: [Double] = []
        for s in 0..<steps {
            for (k, i) in samples.enumerated() {
                for j in 0..<shape.count { network.inputTensor.data[k * shape.count + j] = images[i * shape.count + j] }
                evaluator.labelBuffer[k] = Int32(i % 3)
            }
            network.reseedDropout(UInt64(100 + s), firstSample: samples.lowerBound)
            losses.append(step.step(samples: samples.count, of: batch, learningRate: 0.05, stopping: false).loss)
        }
        return (losses, network.parameters.map(\.values))
    }

    /// Seven samples: three on one process, four on the other. Two samples on three processes:
    /// the first has none and joins each sum with nothing.
    @Test(arguments: [(2, 7), (3, 2)])
    func processesOnSharesStepAsOneOnTheWholeBatch(processes: Int, batch: Int) throws {
        let one = try Self.train(processes: 1, batch: batch, steps: 3)
        let group = try Self.train(processes: processes, batch: batch, steps: 3)
        for rank in 0..<processes {
            for (a, b) in zip(one.losses[0], group.losses[rank]) {
                #expect(abs(a - b) <= 1e-5 * abs(a), "rank \(rank): loss \(b) against \(a)")
            }
            for (p, (a, b)) in zip(one.parameters[0], group.parameters[rank]).enumerated() {
                let worst = zip(a, b).map { abs($0 - $1) }.max()!
                let scale = a.map(abs).max()!
                #expect(worst <= 1e-5 * scale, "rank \(rank), parameter \(p): differs by \(worst) of \(scale)")
            }
        }
        // The steps moved the weights, so the comparison above compares something.
        let initial = try Self.train(processes: 1, batch: batch, steps: 0)
        #expect(initial.parameters[0][0] != one.parameters[0][0])
    }

    @Test func sharesSplitABatchInOrderAndDifferByAtMostOne() {
        #expect((0..<3).map { BatchShare(index: $0, count: 3).samples(of: 8) } == [0..<2, 2..<5, 5..<8])
        #expect((0..<3).map { BatchShare(index: $0, count: 3).samples(of: 2) } == [0..<0, 0..<1, 1..<2])
        #expect(BatchShare(index: 0, count: 3).capacity(forBatchSize: 8) == 3)
        #expect(BatchShare.whole.samples(of: 5) == 0..<5)
    }
}
