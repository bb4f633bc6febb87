import ArgumentParser
import Models
import Plugins
import Training

/// The models a command offers for `--model`: those of one kind, or all.
public protocol ModelChoices {
    static var kind: ModelKind? { get }
}

public enum Autoencoders: ModelChoices {
    public static let kind: ModelKind? = .autoencoder
}

public enum Classifiers: ModelChoices {
    public static let kind: ModelKind? = .classifier
}

public enum AllModels: ModelChoices {
    public static let kind: ModelKind? = nil
}

/// A `--model` value: a model plug-in by name (in any case). `--help` lists the models of the
/// command's kind; a model of the other kind parses, and `check()` refuses it with a message
/// that names the commands that take it.
public struct ModelChoice<Choices: ModelChoices>: ExpressibleByArgument {
    public let plugin: any ModelPlugin.Type

    public init?(argument: String) {
        guard let plugin = Models.named(argument) else { return nil }
        self.plugin = plugin
    }

    public static var allValueStrings: [String] {
        Models.all.filter { Choices.kind == nil || $0.kind == Choices.kind }.map { $0.name }
    }

    public var defaultValueDescription: String { plugin.name }

    func check() throws(ValidationError) {
        guard let kind = Choices.kind, plugin.kind != kind else { return }
        func article(_ kind: ModelKind) -> String { kind == .autoencoder ? "an" : "a" }
        throw ValidationError(
            "--model: \(plugin.name) is \(article(plugin.kind)) \(plugin.kind.rawValue), "
                + "not \(article(kind)) \(kind.rawValue); train it with \(plugin.kind.trainingCommand), "
                + "evaluate it with \(plugin.kind.evaluationCommand)")
    }
}
