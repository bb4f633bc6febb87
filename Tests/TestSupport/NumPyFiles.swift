import CZlib
import Foundation

/// `.npy` files and ZIP archives (`.npz`) written byte by byte, so the tests can make every
/// variant of the formats, valid and broken, without NumPy.
public enum NumPyFiles {
    /// An `.npy` file: `header` is the dictionary's text, padded here to NumPy's 64-byte
    /// alignment; `lengthAdjustment` makes the length field lie.
    public static func npy(
        header: String, data: [UInt8], version: UInt8 = 1, lengthAdjustment: Int = 0
    ) -> [UInt8] {
        let prefix = version == 1 ? 10 : 12
        var text = header
        text += String(repeating: " ", count: 63 - (prefix + text.utf8.count) % 64) + "\n"
        let length = text.utf8.count + lengthAdjustment
        let field: [UInt8] =
            version == 1
            ? [UInt8(length & 255), UInt8(length >> 8 & 255)]
            : [UInt8(length & 255), UInt8(length >> 8 & 255), UInt8(length >> 16 & 255), UInt8(length >> 24 & 255)]
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + field + Array(text.utf8) + data
    }

    /// The usual dictionary for `descr` and `shape` (a Python tuple's text, such as "(3, 4)").
    public static func npy(descr: String, shape: String, data: [UInt8], fortran: Bool = false) -> [UInt8] {
        npy(
            header: "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }",
            data: data)
    }

    /// `values`' bytes, each `size` bytes little- or big-endian (two's complement for negatives).
    public static func integers(_ values: [Int64], size: Int, bigEndian: Bool = false) -> [UInt8] {
        values.flatMap { v -> [UInt8] in
            let little = (0..<size).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> (8 * UInt64($0))) }
            return bigEndian ? little.reversed() : little
        }
    }

    public static func floats(_ values: [Float], bigEndian: Bool = false) -> [UInt8] {
        integers(values.map { Int64($0.bitPattern) }, size: 4, bigEndian: bigEndian)
    }

    public static func doubles(_ values: [Double], bigEndian: Bool = false) -> [UInt8] {
        integers(values.map { Int64(bitPattern: $0.bitPattern) }, size: 8, bigEndian: bigEndian)
    }

    /// A ZIP archive of `members` (name, contents), stored or deflated (raw deflate, as
    /// `np.savez_compressed`), with local headers, a central directory and its end record.
    /// `damage` may replace a member's stored or deflated data; the sizes follow the damaged
    /// data, the CRC-32 and the size stay the contents'.
    public static func zip(
        _ members: [(name: String, contents: [UInt8])], deflated: Bool,
        damage: (([UInt8]) -> [UInt8])? = nil
    ) -> [UInt8] {
        var archive: [UInt8] = [], directory: [UInt8] = []
        for (name, contents) in members {
            let packed = deflated ? deflate(contents) : contents
            let data = damage?(packed) ?? packed
            let crc = contents.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, z_size_t($0.count))) }
            let common: [UInt8] =
                le(20, 2) + le(0, 2) + le(deflated ? 8 : 0, 2) + le(0, 2) + le(0x21, 2) + le(Int(crc), 4)
                + le(data.count, 4) + le(contents.count, 4) + le(name.utf8.count, 2) + le(0, 2)
            directory +=
                le(0x0201_4b50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4)
                + le(archive.count, 4) + Array(name.utf8)
            archive += le(0x0403_4b50, 4) + common + Array(name.utf8) + data
        }
        let end =
            le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(members.count, 2) + le(members.count, 2)
            + le(directory.count, 4) + le(archive.count, 4) + le(0, 2)
        return archive + directory + end
    }

    /// `v`'s low `count` bytes, little-endian.
    public static func le(_ v: Int, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }

    /// Raw deflate (no wrapper), as ZIP members hold it.
    public static func deflate(_ bytes: [UInt8]) -> [UInt8] { DatasetFiles.deflated(bytes, windowBits: -MAX_WBITS) }
}
