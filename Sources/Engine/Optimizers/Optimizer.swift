/// One optimizer's arithmetic for one parameter: `slots` holds its per-value state (TensorFlow's
/// slot variables), `step` counts updates from 1.
public protocol UpdateRule: Sendable {
    /// TensorFlow's name of the slots, which is also their order; their initial values.
    var slotNames: [String] { get }
    var initialSlotValue: Float { get }
    func update(_ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                slots: [UnsafeMutablePointer<Float>], count: Int, learningRate: Float, step: Int)
}

extension UpdateRule {
    public var initialSlotValue: Float { 0 }
}

/// Applies an update rule to a network's parameters, owning the slots (allocated on the first
/// update, then reused) and the step count, both of which a checkpoint saves.
public final class Optimizer {
    public let rule: UpdateRule
    public var learningRate: Float
    public private(set) var step = 0
    private var slots: [[Buffer<Float>]] = []
    private var slotPointers: [[UnsafeMutablePointer<Float>]] = []

    public init(_ rule: UpdateRule, learningRate: Float) {
        self.rule = rule
        self.learningRate = learningRate
    }

    private func allocate(for parameters: [Parameter]) {
        slots = parameters.map { p in rule.slotNames.map { _ in Buffer(count: p.count, initialValue: rule.initialSlotValue) } }
        slotPointers = slots.map { $0.map(\.pointer) }
    }

    public func update(_ parameters: [Parameter]) {
        if slots.count != parameters.count { allocate(for: parameters) }
        step += 1
        for (i, p) in parameters.enumerated() {
            rule.update(p.value, gradient: p.gradient, slots: slotPointers[i], count: p.count,
                        learningRate: learningRate, step: step)
        }
    }

    /// The state a checkpoint needs: slot values by parameter then slot name, and the step.
    public func state(for parameters: [Parameter]) -> (step: Int, slots: [String: [Float]]) {
        if slots.count != parameters.count { allocate(for: parameters) }
        var out: [String: [Float]] = [:]
        for (i, p) in parameters.enumerated() {
            for (k, name) in rule.slotNames.enumerated() {
                out["\(p.name)/\(name)"] = Array(UnsafeBufferPointer(start: slots[i][k].pointer, count: p.count))
            }
        }
        return (step, out)
    }

    public func restore(step: Int, slots saved: [String: [Float]], for parameters: [Parameter]) throws(EngineError) {
        allocate(for: parameters)
        for (i, p) in parameters.enumerated() {
            for (k, name) in rule.slotNames.enumerated() {
                guard let values = saved["\(p.name)/\(name)"], values.count == p.count else {
                    throw .shapeMismatch("optimizer slot \(p.name)/\(name) is missing or has the wrong size")
                }
                values.withUnsafeBufferPointer { slots[i][k].pointer.update(from: $0.baseAddress!, count: p.count) }
            }
        }
        self.step = step
    }
}
