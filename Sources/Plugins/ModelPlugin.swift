import Engine

/// A model as DTB's `models/` folder holds them: one type a file, named as its `--model` value,
/// listed in `Models.all`. It builds its network for the dataset's image shape and classes.
public protocol ModelPlugin {
    static var name: String { get }
    static var kind: ModelKind { get }
    static var summary: String { get }
    /// The pixel range it trains on ([-1, 1] for DTB's tanh models, [0, 1] for Lasagne's).
    static var pixelRange: PixelRange { get }
    /// The layer whose output `extract_features` writes by default: an autoencoder's code, a
    /// classifier's last hidden layer.
    static var featureLayer: String { get }
    /// The input it was designed for (MNIST's 28x28 grey by default; DTB's VGG needs CIFAR's
    /// 32x32 colour images), which tests and benchmarks build it for.
    static var naturalInput: Shape { get }
    static func build(input: Shape, classes: Int) throws(EngineError) -> Network
}

extension ModelPlugin {
    public static var naturalInput: Shape { Shape(1, 28, 28) }
}
