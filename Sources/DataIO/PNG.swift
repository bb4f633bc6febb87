import CZlib

/// PNG encoding with zlib and nothing else: 8-bit grey or RGB, every row with filter 0.
public enum PNG {
    /// `pixels` holds `height` rows of `width * channels` bytes (channels 1 = grey, 3 = RGB).
    public static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8]) -> [UInt8] {
        precondition(channels == 1 || channels == 3, "PNG: \(channels) channels")
        precondition(
            pixels.count == width * height * channels, "PNG: \(pixels.count) bytes for \(width)x\(height)x\(channels)")
        let row = width * channels
        var raw = [UInt8](repeating: 0, count: height * (row + 1))
        for y in 0..<height {
            raw[y * (row + 1)] = 0
            for x in 0..<row { raw[y * (row + 1) + 1 + x] = pixels[y * row + x] }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, channels == 1 ? 0 : 2, 0, 0, 0]
        chunk("IHDR", header, into: &out)
        chunk("IDAT", compress(raw), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    /// zlib-format (not gzip) deflate, as PNG's IDAT wants it.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(UInt(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in compress2(o.baseAddress, &length, i.baseAddress, UInt(i.count), 6) }
        }
        precondition(status == Z_OK, "zlib compress2 failed with \(status)")
        return Array(out[..<Int(length)])
    }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        out += bigEndian(UInt32(data.count)) + typed
        let crc = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        out += bigEndian(UInt32(crc))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
    }
}
