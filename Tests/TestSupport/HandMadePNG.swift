import CZlib

/// A PNG file built byte by byte (zlib for the image data, CRC-32 for each chunk), for what an
/// encoder would not write: every colour type and bit depth, palettes with transparency,
/// headers that lie about the size.
public struct HandMadePNG {
    public static let grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

    public var width: Int
    public var height: Int
    public var bitDepth: Int
    public var colourType: Int
    /// Row after row, pixel after pixel, `samplesPerPixel` samples each, every one below 2^bitDepth.
    public var samples: [Int]
    /// PLTE's red, green, blue triples.
    public var palette: [UInt8] = []
    /// tRNS's payload, if any.
    public var transparency: [UInt8]?

    public init(width: Int, height: Int, bitDepth: Int, colourType: Int, samples: [Int]) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colourType = colourType
        self.samples = samples
    }

    public var samplesPerPixel: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]! }

    public var bytes: [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += Self.chunk(
            "IHDR", Self.bigEndian(width) + Self.bigEndian(height) + [UInt8(bitDepth), UInt8(colourType), 0, 0, 0])
        if !palette.isEmpty { out += Self.chunk("PLTE", palette) }
        if let transparency { out += Self.chunk("tRNS", transparency) }
        out += Self.chunk("IDAT", Self.compress(scanlines))
        out += Self.chunk("IEND", [])
        return out
    }

    /// Each row behind filter byte 0, its samples packed most significant bit first (16-bit ones
    /// big-endian), the row padded to a whole byte.
    var scanlines: [UInt8] {
        let rowSamples = width * samplesPerPixel
        var out: [UInt8] = []
        for row in stride(from: 0, to: samples.count, by: rowSamples) {
            out.append(0)
            let values = samples[row..<min(row + rowSamples, samples.count)]
            if bitDepth == 16 {
                for v in values { out += [UInt8(v >> 8), UInt8(v & 255)] }
            } else {
                var byte = 0, used = 0
                for v in values {
                    byte = byte << bitDepth | v
                    used += bitDepth
                    if used == 8 {
                        out.append(UInt8(byte))
                        byte = 0
                        used = 0
                    }
                }
                if used > 0 { out.append(UInt8(byte << (8 - used))) }
            }
        }
        return out
    }

    public static func bigEndian(_ v: Int) -> [UInt8] {
        [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
    }

    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        let crc = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        return bigEndian(data.count) + typed + bigEndian(Int(crc))
    }

    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(UInt(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in compress2(o.baseAddress, &length, i.baseAddress, UInt(i.count), 6) }
        }
        precondition(status == Z_OK)
        return Array(out[..<Int(length)])
    }
}
