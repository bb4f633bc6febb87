import Plugins

extension ModelKind {
    /// The command that trains models of this kind.
    public var trainingCommand: String { "train_\(rawValue)" }

    /// DTB's command that evaluates models of this kind.
    public var evaluationCommand: String { "evaluate_\(rawValue)" }
}
