import Engine
import Foundation

/// `--optimizer NAME --optimizer_args '{json}'` as DTB took them: TensorFlow's optimizer class
/// names and constructor argument names, with TensorFlow's defaults for what is not given.
public struct OptimizerSpec: Equatable, Sendable {
    public let name: String
    public let arguments: [String: Argument]

    public enum Argument: Equatable, Sendable, Codable, CustomStringConvertible {
        case number(Double)
        case flag(Bool)

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .flag(b) } else { self = .number(try c.decode(Double.self)) }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let v): try c.encode(v)
            case .flag(let b): try c.encode(b)
            }
        }

        public var description: String {
            switch self {
            case .number(let v): pythonFloat(v)
            case .flag(let b): b ? "true" : "false"
            }
        }
    }

    /// Each optimizer's arguments and the values they may take.
    enum Range { case positive, unit, nonNegative, flag }
    static let known: [String: (short: String, arguments: [String: Range])] = [
        "GradientDescentOptimizer": ("GradientDescent", ["learning_rate": .positive]),
        "MomentumOptimizer": (
            "Momentum", ["learning_rate": .positive, "momentum": .nonNegative, "use_nesterov": .flag]
        ),
        "AdamOptimizer": ("Adam", ["learning_rate": .positive, "beta1": .unit, "beta2": .unit, "epsilon": .positive]),
        "RMSPropOptimizer": (
            "RMSProp", ["learning_rate": .positive, "decay": .unit, "momentum": .nonNegative, "epsilon": .positive]
        ),
        "AdagradOptimizer": ("Adagrad", ["learning_rate": .positive, "initial_accumulator_value": .positive]),
        "AdadeltaOptimizer": ("Adadelta", ["learning_rate": .positive, "rho": .unit, "epsilon": .positive]),
    ]

    public static var names: [String] { known.keys.sorted() }

    /// DTB's default arguments (`{"learning_rate": 1e-2, "momentum": 0.9}`) where the optimizer
    /// takes them; the learning rate 1e-2 alone for the others.
    public static func defaultArguments(for name: String) -> String {
        name == "MomentumOptimizer" ? #"{"learning_rate": 0.01, "momentum": 0.9}"# : #"{"learning_rate": 0.01}"#
    }

    /// `json` as `--optimizer_args` gives it; nil for the optimizer's default arguments.
    public init(name: String, json: String?) throws(BenchError) {
        let text = json ?? Self.defaultArguments(for: name)
        let parsed: [String: Argument]
        do {
            parsed = try JSONDecoder().decode([String: Argument].self, from: Data(text.utf8))
        } catch {
            throw .usage("--optimizer_args: not a JSON object of numbers and booleans: \(text)")
        }
        try self.init(name: name, arguments: parsed)
    }

    /// Checks that optimizer `name` takes every one of `arguments`, each in its range.
    public init(name: String, arguments parsed: [String: Argument]) throws(BenchError) {
        guard let spec = Self.known[name] else {
            throw .usage("--optimizer: unknown optimizer '\(name)'; one of \(Self.names.joined(separator: ", "))")
        }
        for (key, value) in parsed.sorted(by: { $0.key < $1.key }) {
            guard let range = spec.arguments[key] else {
                let takes = spec.arguments.keys.sorted().joined(separator: ", ")
                throw .usage("--optimizer_args: \(name) has no argument '\(key)'; it takes \(takes)")
            }
            switch (range, value) {
            case (.flag, .flag): break
            case (.flag, .number), (_, .flag):
                throw .usage(
                    "--optimizer_args: \(key) must be a \(range == .flag ? "boolean" : "number"), got \(value)")
            case (.positive, .number(let v)) where !(v > 0 && v.isFinite),
                (.nonNegative, .number(let v)) where !(v >= 0 && v.isFinite),
                (.unit, .number(let v)) where !(v >= 0 && v < 1):
                let bound =
                    range == .positive
                    ? "a finite number above 0" : range == .unit ? "in [0, 1)" : "a finite number at least 0"
                throw .usage("--optimizer_args: \(key) = \(value) must be \(bound)")
            default: break
            }
        }
        for required in ["learning_rate"] + (name == "MomentumOptimizer" ? ["momentum"] : [])
        where parsed[required] == nil {
            throw .usage("--optimizer_args: \(name) needs \(required)")
        }
        self.name = name
        arguments = parsed
    }

    /// TensorFlow's short name, as run names use it (AdamOptimizer -> Adam).
    public var shortName: String { Self.known[name]!.short }

    public var learningRate: Double { number("learning_rate", 0) }

    private func number(_ key: String, _ fallback: Double) -> Double {
        if case .number(let v) = arguments[key] { return v }
        return fallback
    }

    /// The engine's update rule with these arguments.
    public var rule: UpdateRule {
        switch name {
        case "GradientDescentOptimizer": GradientDescent()
        case "MomentumOptimizer":
            Momentum(momentum: Float(number("momentum", 0)), useNesterov: arguments["use_nesterov"] == .flag(true))
        case "AdamOptimizer":
            Adam(
                beta1: Float(number("beta1", 0.9)), beta2: Float(number("beta2", 0.999)),
                epsilon: Float(number("epsilon", 1e-8)))
        case "RMSPropOptimizer":
            RMSProp(
                decay: Float(number("decay", 0.9)), momentum: Float(number("momentum", 0)),
                epsilon: Float(number("epsilon", 1e-10)))
        case "AdagradOptimizer": Adagrad(initialAccumulatorValue: Float(number("initial_accumulator_value", 0.1)))
        default: Adadelta(rho: Float(number("rho", 0.95)), epsilon: Float(number("epsilon", 1e-8)))
        }
    }

    /// The arguments as canonical JSON (sorted keys), as the run folder records them.
    public var canonicalJSON: String {
        "{" + arguments.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }
}
