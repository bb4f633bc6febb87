/// How a dataset of image files becomes tensors of one shape (`--image_size`, `--channels`,
/// `--max_image_pixels`): without a size every image must have the first one's; without a
/// channel count the first image's colour decides (grey 1, colour 3).
public struct ImageOptions: Sendable, Equatable {
    /// Pillow's `Image.MAX_IMAGE_PIXELS`: larger images are refused from their header, before
    /// their pixels are allocated (decompression bombs).
    public static let defaultMaxPixels = 89_478_485

    public var size: ImageSize?
    public var channels: Int?
    public var maxPixels: Int

    public init(size: ImageSize? = nil, channels: Int? = nil, maxPixels: Int = Self.defaultMaxPixels) {
        self.size = size
        self.channels = channels
        self.maxPixels = maxPixels
    }
}

/// `--image_size S` (square) or `WxH`.
public struct ImageSize: Sendable, Hashable, Codable, CustomStringConvertible {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `S` or `WxH`, each side 1-65535; nil otherwise.
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let sides = parts.compactMap { Int($0) }
        guard sides.count == parts.count, sides.allSatisfy({ (1...65_535).contains($0) }) else { return nil }
        self.init(width: sides[0], height: sides.last!)
    }

    public var description: String { width == height ? "\(width)" : "\(width)x\(height)" }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let size = ImageSize(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)'"))
        }
        self = size
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
