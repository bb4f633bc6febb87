/// One optimizer's arithmetic for one parameter: `slots` holds its per-value state (TensorFlow's
/// slot variables), `step` counts updates from 1.
public protocol UpdateRule: Sendable {
    /// TensorFlow's names of the slots, which is also their order.
    var slotNames: [String] { get }
    /// Each slot's starting value (TensorFlow 1 starts RMSProp's ms at 1, Adagrad's at 0.1).
    var initialSlotValues: [Float] { get }
    func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate: Float, step: Int)
}

extension UpdateRule {
    public var initialSlotValues: [Float] { slotNames.map { _ in 0 } }
}

/// Applies an update rule to a fixed list of parameters, owning their slots and the step count,
/// both of which a checkpoint saves. Slots are allocated once, here, not during steps.
public final class Optimizer {
    public let rule: UpdateRule
    public var learningRate: Float
    public private(set) var step = 0
    public let parameters: [Parameter]
    private let slots: [[Buffer<Float>]]
    private let slotPointers: [[UnsafeMutablePointer<Float>]]

    private let pool: ThreadPool
    /// The parameter `updateJob` works on. One job made once, as the layers do: a closure taken
    /// out of an array is re-wrapped, which allocates on every call.
    private var current = 0
    private lazy var updateJob: ParallelJob = { [unowned self] _, range in update(current, range) }

    /// `pool`: the network's threads, which share large parameters' updates.
    public init(
        _ rule: UpdateRule, learningRate: Float, parameters: [Parameter], pool: ThreadPool = ThreadPool(threads: 1)
    ) {
        self.rule = rule
        self.learningRate = learningRate
        self.parameters = parameters
        self.pool = pool
        let initial = rule.initialSlotValues
        slots = parameters.map { p in initial.map { Buffer(count: p.count, initialValue: $0) } }
        slotPointers = slots.map { $0.map(\.pointer) }
    }

    /// Parameters smaller than this are updated on the calling thread: waking the others costs more.
    static let parallelCount = 1 << 14

    /// One step on every parameter from its current gradient.
    public func update() {
        step += 1
        for (i, p) in parameters.enumerated() {
            if p.count >= Self.parallelCount {
                current = i
                pool.parallelFor(p.count, updateJob)
            } else {
                update(i, 0..<p.count)
            }
        }
    }

    private func update(_ i: Int, _ range: Range<Int>) {
        let p = parameters[i]
        rule.update(
            p.value, gradient: p.gradient, slots: slotPointers[i], range: range, learningRate: learningRate, step: step)
    }

    /// Slot values by "<parameter>/<slot>", as a checkpoint stores them.
    public var state: [String: [Float]] {
        var out: [String: [Float]] = [:]
        for (i, p) in parameters.enumerated() {
            for (k, name) in rule.slotNames.enumerated() {
                out["\(p.name)/\(name)"] = Array(UnsafeBufferPointer(start: slots[i][k].pointer, count: p.count))
            }
        }
        return out
    }

    /// Restores every slot, or nothing if any is missing or of the wrong size.
    public func restore(step: Int, slots saved: [String: [Float]]) throws(EngineError) {
        for p in parameters {
            for name in rule.slotNames where saved["\(p.name)/\(name)"]?.count != p.count {
                throw .shapeMismatch("optimizer slot \(p.name)/\(name) is missing or has the wrong size")
            }
        }
        for (i, p) in parameters.enumerated() {
            for (k, name) in rule.slotNames.enumerated() {
                saved["\(p.name)/\(name)"]!.withUnsafeBufferPointer {
                    slots[i][k].pointer.update(from: $0.baseAddress!, count: p.count)
                }
            }
        }
        self.step = step
    }
}
