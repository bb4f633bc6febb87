import DataIO

/// Tiles (grey or RGB planes of floats in [0, 1]) laid out in a grid with a one-pixel border,
/// scaled up so that small filters stay visible, and written as PNG.
public struct ImageGrid {
    public let tileHeight: Int
    public let tileWidth: Int
    public let channels: Int
    public let columns: Int
    public let scale: Int
    public private(set) var tiles: [[Float]] = []

    public init(tileHeight: Int, tileWidth: Int, channels: Int, columns: Int, scale: Int = 1) {
        self.tileHeight = tileHeight
        self.tileWidth = tileWidth
        self.channels = channels
        self.columns = columns
        self.scale = scale
    }

    /// Adds a tile of `channels` planes, values already in [0, 1].
    public mutating func add(_ tile: [Float]) {
        precondition(tile.count == tileHeight * tileWidth * channels, "tile of \(tile.count) values")
        tiles.append(tile)
    }

    /// Adds a tile after stretching its own minimum and maximum to [0, 1].
    public mutating func addNormalized(_ tile: [Float]) {
        let low = tile.min() ?? 0, high = tile.max() ?? 1
        let span = high - low > 1e-12 ? high - low : 1
        add(tile.map { ($0 - low) / span })
    }

    public var width: Int { columns * (tileWidth * scale + 1) + 1 }
    public var height: Int { ((tiles.count + columns - 1) / columns) * (tileHeight * scale + 1) + 1 }

    /// Interleaved pixels (grey or RGB), the borders dark grey.
    public var pixels: [UInt8] {
        let (w, h) = (width, height)
        var out = [UInt8](repeating: 40, count: w * h * channels)
        for (index, tile) in tiles.enumerated() {
            let top = (index / columns) * (tileHeight * scale + 1) + 1
            let left = (index % columns) * (tileWidth * scale + 1) + 1
            for y in 0..<(tileHeight * scale) {
                for x in 0..<(tileWidth * scale) {
                    for c in 0..<channels {
                        let v = tile[(c * tileHeight + y / scale) * tileWidth + x / scale]
                        out[((top + y) * w + left + x) * channels + c] = UInt8(max(0, min(255, (v * 255).rounded())))
                    }
                }
            }
        }
        return out
    }

    public var png: [UInt8] {
        PNGEncoder.encode(DecodedImage(width: width, height: height, channels: channels, interleaved: pixels))
    }
}
