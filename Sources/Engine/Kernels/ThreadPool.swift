import CBLAS
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A parallel loop's body: one contiguous chunk of the loop's range.
public typealias ParallelJob = (_ chunk: Int, _ range: Range<Int>) -> Void

/// Splits loops over a fixed number of threads. The split depends only on the loop length and
/// the thread count, and per-thread partial sums are reduced in thread order, so a seed and a
/// thread count reproduce a run bit for bit. OpenBLAS runs single-threaded inside each chunk:
/// the engine does the threading, and two thread pools would fight over the same cores.
public struct ThreadPool: Sendable {
    public let threads: Int
    private let workers: Workers?

    public init(threads: Int) {
        precondition(threads >= 1, "thread count must be at least 1")
        self.threads = threads
        workers = threads > 1 ? Workers(count: threads - 1) : nil
        openblas_set_num_threads(1)
    }

    /// The contiguous part of `0..<count` that chunk `index` of `chunks` covers.
    @inline(__always)
    public static func range(_ index: Int, of chunks: Int, count: Int) -> Range<Int> {
        (count * index / chunks)..<(count * (index + 1) / chunks)
    }

    /// Calls `job(chunk, range)` for up to `threads` contiguous chunks of `0..<count` in parallel;
    /// the calling thread takes chunk 0. Layers make their jobs once (handing a closure made per
    /// call to other threads would allocate), so a loop allocates nothing.
    @inline(__always)
    public func parallelFor(_ count: Int, _ job: @escaping ParallelJob) {
        let chunks = min(threads, count)
        guard chunks > 1, let workers else {
            if count > 0 { job(0, 0..<count) }
            return
        }
        workers.run(chunks, count: count, job)
    }
}

/// OpenBLAS starts a server thread per core when it is loaded, and they spin on sched_yield for
/// a while waiting for work that never comes (the engine calls it single-threaded from its own
/// threads), taking a core from whatever runs then: the dataset's inflating at start-up. The
/// commands stop them first thing; `bench --gemm`'s multithreaded call starts them again.
public enum BLASThreads {
    public static func stop() {
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }
}

/// Threads that wait (a short spin, then a condition variable) for the next loop, so that a
/// parallel loop costs no allocation (Dispatch's concurrentPerform allocates on every call) and
/// little latency. Each planned network owns its own; they stop when the last copy of its
/// ThreadPool goes away.
final class Workers: @unchecked Sendable {
    private let state = WorkerState()

    init(count: Int) {
        for index in 1...count {
            let state = state
            let thread = Thread { state.work(index) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit { state.stop() }

    func run(_ chunks: Int, count: Int, _ job: @escaping ParallelJob) { state.run(chunks, count: count, job) }
}

/// What the workers share: the current loop and its progress, under one mutex. A thread that
/// would wait first spins a while on atomic copies of the loop count and the chunks left: on
/// these virtual machines a condition variable's wake-up takes about 65 µs, paid some 25 times a
/// training step, while the gap between two layers' loops is usually a few microseconds.
final class WorkerState: @unchecked Sendable {
    // Heap-allocated once: pthread objects must not move, which `&property` does not promise.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let caller = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let started = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var generation = 0
    private var chunks = 0
    private var count = 0
    private var pending = 0
    private var stopping = false
    private var job: ParallelJob?
    private let published = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let halted = Atomic<Bool>(false)
    /// How long a thread polls before it waits on the condition variable.
    static let spinNanoseconds: UInt64 = 100_000

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(caller, nil)
        pthread_cond_init(started, nil)
        pthread_cond_init(finished, nil)
    }

    deinit {
        pthread_cond_destroy(started)
        pthread_cond_destroy(finished)
        pthread_mutex_destroy(caller)
        pthread_mutex_destroy(mutex)
        for p in [started, finished] { p.deallocate() }
        for p in [mutex, caller] { p.deallocate() }
    }

    /// Runs chunks 1..<chunks on the workers and chunk 0 here, and returns when all are done.
    /// Callers from several threads take turns.
    func run(_ chunks: Int, count: Int, _ job: @escaping ParallelJob) {
        pthread_mutex_lock(caller)
        defer { pthread_mutex_unlock(caller) }
        pthread_mutex_lock(mutex)
        self.job = job
        self.chunks = chunks
        self.count = count
        pending = chunks - 1
        remaining.store(pending, ordering: .releasing)
        generation &+= 1
        published.store(generation, ordering: .releasing)
        pthread_cond_broadcast(started)
        pthread_mutex_unlock(mutex)
        job(0, ThreadPool.range(0, of: chunks, count: count))
        _ = spin { remaining.load(ordering: .acquiring) == 0 }
        pthread_mutex_lock(mutex)
        while pending > 0 { pthread_cond_wait(finished, mutex) }
        self.job = nil
        pthread_mutex_unlock(mutex)
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        halted.store(true, ordering: .releasing)
        pthread_cond_broadcast(started)
        pthread_mutex_unlock(mutex)
    }

    func work(_ index: Int) {
        var seen = 0
        pthread_mutex_lock(mutex)
        while true {
            while generation == seen && !stopping {
                pthread_mutex_unlock(mutex)
                let moved = spin { published.load(ordering: .acquiring) != seen || halted.load(ordering: .acquiring) }
                pthread_mutex_lock(mutex)
                // Changes happen under the mutex, so checking again here loses no broadcast.
                if !moved && generation == seen && !stopping { pthread_cond_wait(started, mutex) }
            }
            if stopping { break }
            seen = generation
            if index < chunks {
                runChunk(index, ThreadPool.range(index, of: chunks, count: count), job!)
                pending -= 1
                remaining.store(pending, ordering: .releasing)
                if pending == 0 { pthread_cond_signal(finished) }
            }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Polls `done` for up to `spinNanoseconds` (by the clock, so that a debug build does not
    /// spin longer); whether it came true.
    @inline(__always)
    private func spin(_ done: () -> Bool) -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
        while true {
            for _ in 0..<64 where done() { return true }
            if DispatchTime.now().uptimeNanoseconds > deadline { return false }
        }
    }

    /// Releases the mutex while the chunk runs, and takes it back after.
    private func runChunk(_ index: Int, _ range: Range<Int>, _ job: ParallelJob) {
        pthread_mutex_unlock(mutex)
        job(index, range)
        pthread_mutex_lock(mutex)
    }
}
