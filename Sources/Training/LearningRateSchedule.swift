import Foundation

/// The learning rate of every step: the optimizer's rate, shaped by DTB's staircase `--lr_decay`
/// or by one of `--lr_schedule`'s curves, and ramped up over `--warmup_epochs`. Exponential and
/// cosine are functions of the step alone; plateau's reductions depend on the validation metric,
/// so they are state (`PlateauState`) that the checkpoint carries and a resumed run picks up.
public struct LearningRateSchedule: Equatable, Sendable {
    /// `--lr_schedule`.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case exponential, cosine, plateau

        /// Its part of the run name, as GUIDE.md's grammar spells it: `exp_lr` is also DTB's
        /// `--lr_decay`'s, the same exponential decay on whole periods.
        var runNameTag: String {
            switch self {
            case .exponential: "exp_lr"
            case .cosine: "cosine_lr"
            case .plateau: "plateau_lr"
            }
        }
    }

    public static let defaultPlateauPatience = 5

    public var baseRate: Double
    /// Nil: the constant rate, or DTB's staircase where `staircase` is set.
    public var kind: Kind?
    public var staircase: Bool
    /// `--lr_decay_epochs` and `--lr_decay_factor`: the staircase's and exponential's period, and
    /// the factor of each period (or each plateau).
    public var decayEpochs: Int
    public var decayFactor: Double
    /// `--plateau_patience`: epochs without improvement before plateau reduces the rate.
    public var plateauPatience: Int
    public var warmupEpochs: Int
    public var stepsPerEpoch: Int
    /// The steps of the current `--epochs`: cosine reaches 0 there. A run resumed with more
    /// epochs follows the longer run's curve from the step it stands at.
    public var totalSteps: Int

    public init(
        baseRate: Double, kind: Kind? = nil, staircase: Bool = false, decayEpochs: Int = 25,
        decayFactor: Double = 0.1, plateauPatience: Int = defaultPlateauPatience, warmupEpochs: Int = 0,
        stepsPerEpoch: Int, totalSteps: Int
    ) {
        self.baseRate = baseRate
        self.kind = kind
        self.staircase = staircase
        self.decayEpochs = decayEpochs
        self.decayFactor = decayFactor
        self.plateauPatience = plateauPatience
        self.warmupEpochs = warmupEpochs
        self.stepsPerEpoch = stepsPerEpoch
        self.totalSteps = totalSteps
    }

    /// The rate of the step after `step` steps. Warmup multiplies the schedule's value by
    /// min(1, (step + 1) / (W * steps per epoch)) rather than delaying the curve, so that the
    /// schedule keeps its own clock (cosine still reaches 0 at the last step) and the first step
    /// already moves the weights.
    public func rate(atStep step: Int, plateau: PlateauState = PlateauState()) -> Double {
        baseRate * scale(atStep: step, plateau: plateau) * warmup(atStep: step)
    }

    private func scale(atStep step: Int, plateau: PlateauState) -> Double {
        let period = decayEpochs.multipliedReportingOverflow(by: stepsPerEpoch).partialValue
        switch kind {
        case nil: return staircase ? pow(decayFactor, Double(step / period)) : 1
        case .exponential: return pow(decayFactor, Double(step) / Double(period))
        case .cosine: return (1 + cos(Double.pi * Double(step) / Double(totalSteps))) / 2
        case .plateau: return plateau.scale
        }
    }

    private func warmup(atStep step: Int) -> Double {
        guard warmupEpochs > 0 else { return 1 }
        let ramp = warmupEpochs.multipliedReportingOverflow(by: stepsPerEpoch).partialValue
        return min(1, Double(step + 1) / Double(ramp))
    }

    /// Plateau's state after an epoch that did or did not improve the validation metric: the
    /// `plateauPatience`th epoch in a row without improvement multiplies the rate by the factor and
    /// counts afresh. Other kinds keep the state as it is.
    public func plateau(after state: PlateauState, improved: Bool) -> PlateauState {
        guard kind == .plateau else { return state }
        if improved { return PlateauState(scale: state.scale, epochsWithoutImprovement: 0) }
        let waited = state.epochsWithoutImprovement + 1
        guard waited >= plateauPatience else {
            return PlateauState(scale: state.scale, epochsWithoutImprovement: waited)
        }
        return PlateauState(scale: state.scale * decayFactor, epochsWithoutImprovement: 0)
    }
}

/// `--lr_schedule plateau`'s reductions so far (the factor on the base rate) and the epochs since
/// the last improvement or reduction.
public struct PlateauState: Equatable, Sendable {
    public var scale: Double
    public var epochsWithoutImprovement: Int

    public init(scale: Double = 1, epochsWithoutImprovement: Int = 0) {
        self.scale = scale
        self.epochsWithoutImprovement = epochsWithoutImprovement
    }
}
