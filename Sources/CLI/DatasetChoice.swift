import ArgumentParser
import Inputs
import Plugins

/// A `--dataset` value: a dataset plug-in by name (in any case).
public struct DatasetChoice: ExpressibleByArgument {
    public let plugin: any DatasetPlugin.Type

    public init?(argument: String) {
        guard let plugin = Datasets.named(argument) else { return nil }
        self.plugin = plugin
    }

    public static var allValueStrings: [String] { Datasets.names }

    public var defaultValueDescription: String { plugin.name }
}
