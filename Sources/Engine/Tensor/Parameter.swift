/// A trainable array with its gradient. Layers that share a parameter (tied weights) hold the
/// same object, and each use adds its gradient, so the optimizer sees the sum over uses.
public final class Parameter: @unchecked Sendable {
    public let name: String
    /// Dimensions as stored, outermost first (conv: out, in, kh, kw; dense: out, in).
    public let dimensions: [Int]
    public let count: Int
    public let value: UnsafeMutablePointer<Float>
    /// Its own allocation, or its place in a `GradientArena` that holds every gradient of a network.
    public private(set) var gradient: UnsafeMutablePointer<Float>
    /// The arena `gradient` lives in, kept alive as long as this parameter; nil while it owns it.
    private var arena: GradientArena?
    public let initializer: Initializer
    public let fanIn: Int
    public let fanOut: Int
    /// Whether `--l2_penalty` applies (DTB decays encoder weights only, never biases).
    public var decays: Bool
    /// Fine-tuning's frozen parameter: set before the network is planned, it receives no
    /// gradient (its layer skips the product) and no optimizer update.
    public var frozen = false

    public init(
        name: String, dimensions: [Int], initializer: Initializer, fanIn: Int, fanOut: Int,
        decays: Bool
    ) {
        self.name = name
        self.dimensions = dimensions
        count = dimensions.reduce(1, *)
        precondition(count > 0, "parameter \(name) is empty")
        value = .allocate(capacity: count)
        value.initialize(repeating: 0, count: count)
        gradient = .allocate(capacity: count)
        gradient.initialize(repeating: 0, count: count)
        self.initializer = initializer
        self.fanIn = fanIn
        self.fanOut = fanOut
        self.decays = decays
    }

    deinit {
        value.deallocate()
        if arena == nil { gradient.deallocate() }
    }

    /// Moves the gradient to `storage` in `arena`, keeping its values.
    func moveGradient(to storage: UnsafeMutablePointer<Float>, in arena: GradientArena) {
        storage.update(from: gradient, count: count)
        if self.arena == nil { gradient.deallocate() }
        gradient = storage
        self.arena = arena
    }

    public func initialize(using generator: inout RandomGenerator) {
        initializer.fill(value, count: count, fanIn: fanIn, fanOut: fanOut, using: &generator)
    }

    public func zeroGradient() { gradient.update(repeating: 0, count: count) }

    public var values: [Float] { Array(UnsafeBufferPointer(start: value, count: count)) }
    public var gradients: [Float] { Array(UnsafeBufferPointer(start: gradient, count: count)) }

    public func load(_ values: [Float]) {
        precondition(values.count == count, "\(values.count) values for parameter \(name) of \(count)")
        values.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
    }
}
