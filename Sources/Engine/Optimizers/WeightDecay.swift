/// DTB's `--l2_penalty`: adds wd · Σ W² / 2 over the parameters that decay (tf.nn.l2_loss(W) · wd)
/// to the loss and wd · W to their gradients. Returns the penalty added.
@discardableResult
public func applyWeightDecay(_ rate: Float, to parameters: [Parameter]) -> Double {
    guard rate > 0 else { return 0 }
    var penalty: Double = 0
    for p in parameters where p.decays {
        var sum: Double = 0
        for i in 0..<p.count {
            let w = p.value[i]
            sum += Double(w * w)
            p.gradient[i] += rate * w
        }
        penalty += sum
    }
    return penalty * Double(rate) / 2
}
