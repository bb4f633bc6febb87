/// What can go wrong while a network is built: each case says which layer and why, once, at
/// build time, so a step never has to check.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let what): "shape mismatch: \(what)"
        case .invalidConfiguration(let what): "invalid configuration: \(what)"
        }
    }
}
