import CBLAS
import Dispatch

/// Splits loops over a fixed number of threads. The split depends only on the loop length and
/// the thread count, and per-thread partial sums are reduced in thread order, so a seed and a
/// thread count reproduce a run bit for bit. OpenBLAS runs single-threaded inside each chunk:
/// the engine does the threading, and two thread pools would fight over the same cores.
public struct ThreadPool: Sendable {
    public let threads: Int

    public init(threads: Int) {
        precondition(threads >= 1, "thread count must be at least 1")
        self.threads = threads
        openblas_set_num_threads(1)
    }

    /// The contiguous part of `0..<count` that chunk `index` of `chunks` covers.
    @inline(__always)
    public static func range(_ index: Int, of chunks: Int, count: Int) -> Range<Int> {
        (count * index / chunks)..<(count * (index + 1) / chunks)
    }

    /// Calls `body(chunk, range)` for up to `threads` contiguous chunks of `0..<count` in parallel.
    @inline(__always)
    public func parallelFor(_ count: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let chunks = min(threads, count)
        if chunks <= 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        // Chunks touch disjoint memory by construction; the compiler cannot see that.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk, Self.range(chunk, of: chunks, count: count))
        }
    }
}
