import ArgumentParser
import Plugins

extension ImageSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension ImageLayout: ExpressibleByArgument {}

/// `--image_size --channels --max_image_pixels --layout`: how image files (ImageFolder) and image
/// arrays (NumPy) become tensors.
/// A command that reads a run back takes the values the run was trained with where these are
/// not given.
public struct ImageFlags: ParsableArguments {
    @Option(
        name: .customLong("image_size"),
        help: "Resize every image to S x S or W x H (WxH): Pillow's BOX when shrinking, BILINEAR when growing.")
    public var size: ImageSize?

    @Option(name: .customLong("channels"), help: "1 (grey, ITU-R 601 luma) or 3 (colour; grey is replicated).")
    public var channels: Int?

    @Option(
        name: .customLong("max_image_pixels"),
        help: "Refuse images with more pixels than this, from their header (Pillow's limit by default).")
    public var maxPixels = ImageOptions.defaultMaxPixels

    @Option(
        name: .customLong("layout"),
        help: "Where 4-D NumPy image arrays keep their channels, when their shape cannot tell (nhwc or nchw).")
    public var layout: ImageLayout?

    public init() {}

    public func validate() throws {
        if let channels, channels != 1 && channels != 3 {
            throw ValidationError("--channels: \(channels) must be 1 or 3")
        }
        guard maxPixels > 0 else { throw ValidationError("--max_image_pixels: \(maxPixels) must be at least 1") }
    }

    /// The options, with a saved run's size and channels where these flags leave them out.
    public func options(saved: ImageOptions? = nil) -> ImageOptions {
        ImageOptions(size: size ?? saved?.size, channels: channels ?? saved?.channels, maxPixels: maxPixels)
    }
}
