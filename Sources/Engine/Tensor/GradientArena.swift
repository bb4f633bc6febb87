/// One contiguous buffer holding the gradients of a list of parameters, in order, and `extra`
/// values after them: data-parallel training sums all of it between processes in one call,
/// which a gradient per allocation would need one call each for. The parameters' `gradient`
/// pointers move into it and stay valid as long as any of them lives (they hold the arena; it
/// does not hold them).
public final class GradientArena {
    /// Every value: the gradients (`gradientCount`), then the extra values.
    public let values: UnsafeMutableBufferPointer<Float>
    public let gradientCount: Int

    public init(_ parameters: [Parameter], extra: Int) {
        precondition(extra >= 0, "extra values \(extra)")
        gradientCount = parameters.reduce(0) { $0 + $1.count }
        values = .allocate(capacity: gradientCount + extra)
        values.initialize(repeating: 0)
        var offset = 0
        for p in parameters {
            p.moveGradient(to: values.baseAddress! + offset, in: self)
            offset += p.count
        }
    }

    deinit { values.deallocate() }

    /// The values after the gradients.
    public var extra: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: values[gradientCount...])
    }
}
