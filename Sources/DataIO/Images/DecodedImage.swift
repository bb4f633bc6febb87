/// An image as the datasets keep it: `channels` planes (1: grey; 3: red, green, blue), each
/// `height` rows of `width` bytes, one plane after the other (C x H x W). A dataset of N images
/// stores N x C x H x W bytes, so it copies an image's planes as they are; PNG and JPEG encoders
/// want pixels interleaved (H x W x C) and get them from `interleaved`.
public struct DecodedImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// Plane c's row y starts at `(c * height + y) * width`.
    public let pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, planes pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "an image of \(width)x\(height) pixels")
        precondition(channels == 1 || channels == 3, "an image of \(channels) channels")
        precondition(
            pixels.count == channels * height * width, "\(pixels.count) bytes for \(channels)x\(height)x\(width)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// From pixels interleaved as H x W x C (grey, or red, green, blue for each pixel in turn).
    public init(width: Int, height: Int, channels: Int, interleaved: [UInt8]) {
        precondition(
            interleaved.count == channels * height * width, "\(interleaved.count) bytes for \(width)x\(height)")
        let area = width * height
        let planes = [UInt8](unsafeUninitializedCapacity: interleaved.count) { out, initialized in
            for i in 0..<area {
                for c in 0..<channels { out[c * area + i] = interleaved[i * channels + c] }
            }
            initialized = interleaved.count
        }
        self.init(width: width, height: height, channels: channels, planes: planes)
    }

    /// Pixels interleaved as H x W x C, as PNG and JPEG store them.
    public var interleaved: [UInt8] {
        let area = width * height
        return [UInt8](unsafeUninitializedCapacity: pixels.count) { out, initialized in
            for i in 0..<area {
                for c in 0..<channels { out[i * channels + c] = pixels[c * area + i] }
            }
            initialized = pixels.count
        }
    }

    /// The sample of channel `c` at column `x` of row `y`.
    public subscript(c c: Int, y y: Int, x x: Int) -> UInt8 { pixels[(c * height + y) * width + x] }

    /// The same image with `channels` channels: grey from colour by Pillow's `convert("L")`
    /// (`ChannelConversion.luma`), colour from grey by copying the grey plane three times.
    public func converted(toChannels target: Int) -> DecodedImage {
        precondition(target == 1 || target == 3, "an image of \(target) channels")
        if target == channels { return self }
        let area = width * height
        if target == 3 {
            return DecodedImage(width: width, height: height, channels: 3, planes: pixels + pixels + pixels)
        }
        let grey = [UInt8](unsafeUninitializedCapacity: area) { out, initialized in
            for i in 0..<area {
                out[i] = ChannelConversion.luma(pixels[i], pixels[area + i], pixels[2 * area + i])
            }
            initialized = area
        }
        return DecodedImage(width: width, height: height, channels: 1, planes: grey)
    }
}
