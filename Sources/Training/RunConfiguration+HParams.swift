import DataIO
import Foundation

extension RunConfiguration {
    /// The run's hyperparameters for TensorBoard's HParams dashboard: every flag of `flags.json`
    /// under its name there, and each `--optimizer_args` key as one of its own (`learning_rate`,
    /// `momentum`), as `sweep` varies them. Read back from the JSON that `flags.json` holds, so a
    /// flag added to the file is a hyperparameter too.
    public var hparams: [String: TensorBoardEvents.HParamValue] {
        let json = try! JSONEncoder().encode(self)
        let flags = try! JSONDecoder().decode([String: SavedFlag].self, from: json)
        var hparams: [String: TensorBoardEvents.HParamValue] = [:]
        for (name, flag) in flags {
            switch flag {
            case .value(let value): hparams[name] = value
            case .arguments(let arguments): hparams.merge(arguments) { flag, _ in flag }
            }
        }
        return hparams
    }
}

/// A flag's value in `flags.json`: a boolean, number or string, or the optimizer's arguments.
private enum SavedFlag: Decodable {
    case value(TensorBoardEvents.HParamValue)
    case arguments([String: TensorBoardEvents.HParamValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let flag = try? c.decode(Bool.self) {
            self = .value(.flag(flag))
        } else if let number = try? c.decode(Double.self) {
            self = .value(.number(number))
        } else if let text = try? c.decode(String.self) {
            self = .value(.text(text))
        } else {
            let arguments = try c.decode([String: SavedFlag].self)
            self = .arguments(
                arguments.compactMapValues { flag in
                    if case .value(let value) = flag { value } else { nil }
                })
        }
    }
}
