import Foundation
import Plugins

/// The line DTB's evaluate_classifier and evaluate_autoencoder print,
/// `<date time>: <split> accuracy = 0.993` or `<date time>: <split> error = 0.006`: the time as
/// Python's `str(datetime.now())`, the value with Python's `{:.3f}` (DTB's) or, for `--all`, in
/// full as Python's `str(float)` writes it, so that it can be compared with other tools' numbers.
public enum EvaluationLine {
    public enum Precision: Sendable {
        /// Three decimals, DTB's format.
        case dtb
        /// The shortest digits that read back as the same double.
        case full
    }

    /// DTB's word for the metric of `kind`: the classifiers' accuracy, the autoencoders'
    /// reconstruction error (Evaluator's).
    public static func metricName(of kind: ModelKind) -> String {
        kind == .classifier ? "accuracy" : "error"
    }

    public static func text(
        split: String, kind: ModelKind, value: Double, precision: Precision, at time: PythonDateTime = .now()
    ) -> String {
        // glibc's %.3f rounds the double's exact binary value to nearest, ties to even, as
        // Python's format() does; only the spelling of NaN and infinities differs.
        let number =
            switch precision {
            case .dtb: value.isFinite ? String(format: "%.3f", value) : pythonFloat(value)
            case .full: pythonFloat(value)
            }
        return "\(time): \(split) \(metricName(of: kind)) = \(number)"
    }
}
