import Plugins

extension ModelKind {
    /// The command that trains models of this kind.
    public var trainingCommand: String { "train_\(rawValue)" }
}
