import ArgumentParser
import Training

/// DTB's evaluate_classifier and evaluate_autoencoder flags: `evaluate`'s (`EvaluationFlags`),
/// DTB's `--eval_device`, accepted as the training commands accept it, and the bench's `--all`.
public struct DTBEvaluationFlags<Choices: ModelChoices>: ParsableArguments {
    @OptionGroup public var evaluation: EvaluationFlags<Choices>

    @Option(name: .customLong("eval_device"), help: "Accepted for DTB scripts; the bench evaluates on the CPU.")
    var evalDevice: String?

    @Flag(
        name: .customLong("all"),
        help: """
            Evaluate the train, validation and test sets, values in full; a classifier's confusion matrices \
            too, printed and saved as confusion_<split>.csv and .png in the run folder.
            """)
    public var all = false

    public init() {}

    public func validate() throws {
        if all && evaluation.test { throw ValidationError("--test: --all evaluates the test set already") }
    }

    /// The splits to evaluate: `--all`'s three, else the one `--test` chooses.
    public var splits: [SplitChoice] { all ? SplitChoice.allCases : [evaluation.split] }

    /// `--all` prints values in full, DTB's line three decimals.
    public var precision: EvaluationLine.Precision { all ? .full : .dtb }
}
