/// Scratch memory a layer owns (im2col columns, per-thread partial gradients, masks), allocated
/// when the network is planned and reused by every step.
public final class Buffer<Element>: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Element>

    public init(count: Int, initialValue: Element) {
        self.count = max(count, 1)
        pointer = .allocate(capacity: self.count)
        pointer.initialize(repeating: initialValue, count: self.count)
    }

    deinit { pointer.deallocate() }
}

/// One slice per thread of a gradient that threads accumulate separately and then add up in
/// thread order, so the sum does not depend on scheduling.
final class ThreadPartials: @unchecked Sendable {
    let size: Int
    let threads: Int
    private let storage: Buffer<Float>

    init(size: Int, threads: Int) {
        self.size = size
        self.threads = threads
        storage = Buffer(count: size * threads, initialValue: 0)
    }

    @inline(__always)
    func slice(_ thread: Int) -> UnsafeMutablePointer<Float> { storage.pointer + thread * size }

    func zero() { storage.pointer.update(repeating: 0, count: size * threads) }

    /// destination += sum of the slices, slice 0 first.
    func reduce(into destination: UnsafeMutablePointer<Float>) {
        for t in 0..<threads {
            let s = slice(t)
            for i in 0..<size { destination[i] += s[i] }
        }
    }
}
