import ArgumentParser
import Training

/// An `--optimizer` value: one of TensorFlow's optimizer class names.
public struct OptimizerChoice: ExpressibleByArgument {
    public let name: String

    public init?(argument: String) {
        guard OptimizerSpec.names.contains(argument) else { return nil }
        name = argument
    }

    public static var allValueStrings: [String] { OptimizerSpec.names }

    public var defaultValueDescription: String { name }
}
