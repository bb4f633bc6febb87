/// Scratch memory a layer owns (im2col columns, per-thread partial gradients, masks), allocated
/// when the network is planned and reused by every step.
public final class Buffer<Element>: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Element>

    /// Cache-line aligned, so that per-thread slices of a whole number of lines share none.
    public init(count: Int, initialValue: Element) {
        self.count = max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(
            byteCount: self.count * MemoryLayout<Element>.stride, alignment: Self.line
        )
        .bindMemory(to: Element.self, capacity: self.count)
        pointer.initialize(repeating: initialValue, count: self.count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    static var line: Int { 64 }

    /// `count` rounded up to whole cache lines of elements.
    static func wholeLines(_ count: Int) -> Int {
        let perLine = max(1, line / MemoryLayout<Element>.stride)
        return (count + perLine - 1) / perLine * perLine
    }
}

/// One slice per thread of a gradient that threads accumulate separately and then add up in
/// thread order, so the sum does not depend on scheduling.
final class ThreadPartials: @unchecked Sendable {
    let size: Int
    let threads: Int
    /// Slices start on cache lines: two threads writing their own partial sums must not keep
    /// taking one line from each other.
    private let stride: Int
    private let storage: Buffer<Float>

    init(size: Int, threads: Int) {
        self.size = size
        self.threads = threads
        stride = Buffer<Float>.wholeLines(size)
        storage = Buffer(count: stride * threads, initialValue: 0)
    }

    @inline(__always)
    func slice(_ thread: Int) -> UnsafeMutablePointer<Float> { storage.pointer + thread * stride }

    func zero() { storage.pointer.update(repeating: 0, count: stride * threads) }

    /// destination += sum of the slices, slice 0 first.
    func reduce(into destination: UnsafeMutablePointer<Float>) {
        for t in 0..<threads {
            let s = slice(t)
            for i in 0..<size { destination[i] += s[i] }
        }
    }
}
