import Engine

/// Data-parallel training's one exchange per step: each process scales its gradients by its share
/// of the batch (its loss is a mean over its own samples), appends its share of the loss and
/// whether a signal stops it, and one in-place sum over the group leaves on every process the
/// gradient, loss and stop of the whole batch, which it then steps alike.
public final class GradientExchange {
    public let group: any Collective
    private let arena: GradientArena

    /// Moves `parameters`' gradients into the one buffer that the group sums.
    public init(group: any Collective, parameters: [Parameter]) {
        self.group = group
        arena = GradientArena(parameters, extra: 2)
    }

    /// Sums the group's gradients of a batch of `total` samples, `samples` of them here, whose
    /// mean loss was `loss` (nothing is computed here when `samples` is 0); returns the batch's
    /// mean loss and whether any process was asked to stop.
    public func sum(loss: Double, samples: Int, of total: Int, stopping: Bool) -> (loss: Double, stop: Bool) {
        let share = Float(samples) / Float(total)
        let gradients = UnsafeMutableBufferPointer(rebasing: arena.values[..<arena.gradientCount])
        if samples == 0 {
            gradients.update(repeating: 0)
        } else {
            for i in gradients.indices { gradients[i] *= share }
        }
        arena.extra[0] = samples == 0 ? 0 : Float(loss) * share
        arena.extra[1] = stopping ? 1 : 0
        group.sum(arena.values)
        return (Double(arena.extra[0]), arena.extra[1] > 0)
    }
}
