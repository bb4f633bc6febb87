/// What a model learns, which decides its loss, its metric and the command that trains it.
public enum ModelKind: String, Sendable {
    case autoencoder, classifier
}
