#if canImport(Glibc)
import Glibc
#endif

/// A batch of samples in one contiguous NCHW float buffer, allocated once when a network is
/// planned and reused by every step; a step uses its first `batch` samples.
public final class Tensor: @unchecked Sendable {
    public let shape: Shape
    public let capacity: Int
    public let data: UnsafeMutablePointer<Float>

    public init(shape: Shape, capacity: Int) {
        precondition(capacity > 0 && shape.count > 0, "empty tensor \(shape) x \(capacity)")
        self.shape = shape
        self.capacity = capacity
        // calloc: a large block comes zeroed from the kernel, page by page as it is first written,
        // so planning makes no pass over every activation and gradient, and a buffer that a
        // step never writes (a pooled convolution's dense gradient) takes no memory.
        // `slack` zeros past the end let a vector kernel read a row segment past the last row.
        guard let zeroed = calloc(shape.count * capacity + Self.slack, MemoryLayout<Float>.stride) else {
            fatalError("out of memory for a \(shape) x \(capacity) tensor")
        }
        data = zeroed.bindMemory(to: Float.self, capacity: shape.count * capacity + Self.slack)
    }

    /// Floats allocated (zero, never written) after the last sample.
    static let slack = 16

    deinit { free(data) }

    /// Values held for `capacity` samples.
    public var count: Int { shape.count * capacity }

    /// The first value of sample `index`.
    @inline(__always)
    public func sample(_ index: Int) -> UnsafeMutablePointer<Float> {
        data + index * shape.count
    }

    public func zero(batch: Int) {
        data.update(repeating: 0, count: batch * shape.count)
    }

    /// A copy of the first `batch` samples, for tests and checkpoints.
    public func values(batch: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: data, count: (batch ?? capacity) * shape.count))
    }

    public func load(_ values: [Float]) {
        precondition(values.count <= count, "\(values.count) values into a tensor of \(count)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: $0.count) }
    }
}
