/// One process's part of each batch when `count` processes split it (data-parallel training):
/// a contiguous run of the batch's samples, the parts differing in size by at most one.
public struct BatchShare: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "share \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// The whole batch: one process.
    public static let whole = BatchShare(index: 0, count: 1)

    /// This share's samples of a batch of `n`.
    public func samples(of n: Int) -> Range<Int> { n * index / count..<n * (index + 1) / count }

    /// The most samples this share holds of batches of up to `batchSize`.
    public func capacity(forBatchSize batchSize: Int) -> Int { (batchSize + count - 1) / count }
}
