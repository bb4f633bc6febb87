import Engine

/// DTB's `--exclude_scopes` and `--trainable_scopes`: a comma list of parameter name prefixes
/// (`logits`, `conv1/`), which select the parameters whose names start with any of them.
public struct ParameterScopes: Equatable, Sendable {
    public let prefixes: [String]

    public init(_ value: String) throws(BenchError) {
        let prefixes = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard prefixes.allSatisfy({ !$0.isEmpty }) else {
            throw .usage("'\(value)' must be a comma list of parameter name prefixes, none empty")
        }
        self.prefixes = prefixes
    }

    /// The flag's value as a user types it.
    public var flagValue: String { prefixes.joined(separator: ",") }

    public func contains(_ parameter: Parameter) -> Bool { prefixes.contains { parameter.name.hasPrefix($0) } }

    /// Refuses a prefix that selects none of `network`'s parameters, listing what they are called.
    public func check(against network: Network, flag: String) throws(BenchError) {
        for prefix in prefixes where !network.parameters.contains(where: { $0.name.hasPrefix(prefix) }) {
            throw .usage(
                "\(flag): '\(prefix)' is the start of no parameter's name; this model's layers are "
                    + Self.layerNames(of: network).joined(separator: ", "))
        }
    }

    /// The parameters' names up to their '/', once each, in the network's order.
    static func layerNames(of network: Network) -> [String] {
        var names: [String] = []
        for p in network.parameters {
            let layer = p.name.split(separator: "/").first.map(String.init) ?? p.name
            if !names.contains(layer) { names.append(layer) }
        }
        return names
    }
}
