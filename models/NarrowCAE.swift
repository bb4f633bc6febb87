import Engine
import Plugins

/// Seed 002's autoencoder: conv 7x7x32 (linear), maxpool 2, a narrow dense code of 64 ReLU
/// units, dense up to 32 x ((side + 6) / 2)², unpool 2 and a 7x7 convolution back to the
/// input's channels (linear), so the output has the input's size.
public enum NarrowCAE: ModelPlugin {
    public static let name = "NarrowCAE"
    public static let kind = ModelKind.autoencoder
    public static let summary = "seed 002's conv 7x7, pool, 64-unit code, unpool, conv 7x7 autoencoder"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "code"
    public static let codeUnits = 64

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        guard input.height == input.width, (input.height + 6) % 2 == 0 else {
            throw .shapeMismatch("NarrowCAE needs square images of even side, got \(input)")
        }
        let network = Network(input: input)
        try network.add(Conv2D(name: "conv", inputChannels: input.channels, outputChannels: 32, kernel: 7))
        try network.add(MaxPool2D(name: "pool", size: 2))
        try network.add(Dense(name: "code", inputs: network.outputShape.count, units: codeUnits, activation: .relu))
        let side = (input.height + 6) / 2
        let grid = Shape(32, side, side)
        try network.add(Dense(name: "expand", inputs: codeUnits, units: grid.count, activation: .relu))
        try network.add(Reshape(name: "unflatten", to: grid))
        try network.add(Upscale2D(name: "unpool", factor: 2))
        try network.add(Conv2D(name: "deconv", inputChannels: 32, outputChannels: input.channels, kernel: 7))
        return network
    }
}
