import Foundation
import Training

/// A data-parallel group of threads in one process, standing in for MPI's processes: each member
/// is a `Collective` whose `sum` waits for every member's values and leaves their sum in each.
final class InMemoryGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var deposited: [UnsafeMutableBufferPointer<Float>?]
    private var generation = 0
    private var broadcastValue = 0.0

    init(size: Int) {
        self.size = size
        deposited = Array(repeating: nil, count: size)
    }

    func member(_ rank: Int) -> Member { Member(group: self, rank: rank) }

    /// Every member's values summed into each, once all of them have arrived.
    fileprivate func sum(_ values: UnsafeMutableBufferPointer<Float>, rank: Int) {
        exchange(rank: rank, deposit: values) { buffers in
            let total = (0..<values.count).map { i in buffers.reduce(Float(0)) { $0 + $1[i] } }
            for buffer in buffers { _ = buffer.update(fromContentsOf: total) }
        }
    }

    fileprivate func broadcast(_ value: Double, rank: Int) -> Double {
        if rank == 0 {
            condition.lock()
            broadcastValue = value
            condition.unlock()
        }
        meet(rank)  // everyone has arrived, so rank 0's value is there
        condition.lock()
        let value = broadcastValue
        condition.unlock()
        meet(rank)  // everyone has read it before rank 0 may set the next
        return value
    }

    private func meet(_ rank: Int) {
        exchange(rank: rank, deposit: UnsafeMutableBufferPointer(start: nil, count: 0)) { _ in }
    }

    /// Waits until all members deposited; the last to arrive runs `combine` on every deposit.
    private func exchange(
        rank: Int, deposit: UnsafeMutableBufferPointer<Float>,
        combine: ([UnsafeMutableBufferPointer<Float>]) -> Void
    ) {
        condition.lock()
        defer { condition.unlock() }
        let round = generation
        deposited[rank] = deposit
        if deposited.allSatisfy({ $0 != nil }) {
            combine(deposited.map { $0! })
            deposited = Array(repeating: nil, count: size)
            generation += 1
            condition.broadcast()
        } else {
            while generation == round { condition.wait() }
        }
    }

    final class Member: Collective {
        let group: InMemoryGroup
        let rank: Int
        var size: Int { group.size }

        init(group: InMemoryGroup, rank: Int) {
            self.group = group
            self.rank = rank
        }

        func sum(_ values: UnsafeMutableBufferPointer<Float>) { group.sum(values, rank: rank) }
        func broadcast(_ value: Double) -> Double { group.broadcast(value, rank: rank) }
    }
}
