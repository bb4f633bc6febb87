import Plugins

/// Reads one array in MNIST's idx format (big-endian: two zero bytes, a type byte, a rank byte,
/// then one 32-bit size per dimension, then the data), raw or gzip-compressed. Only unsigned
/// bytes (type 0x08) are used by image datasets.
public enum IdxReader {
    public struct Array: Sendable {
        public let dimensions: [Int]
        /// The payload after the header, sharing the file's (or the inflated file's) storage.
        public let bytes: ArraySlice<UInt8>
    }

    public static func read(_ path: String, rank: Int) throws(FileError) -> Array {
        try parse(try FileBytes.read(path), path: path, rank: rank)
    }

    /// The array in `file`'s bytes (raw or gzip); `path` names it in errors.
    public static func parse(_ file: [UInt8], path: String, rank: Int) throws(FileError) -> Array {
        let headerLength = 4 + 4 * rank
        if Gzip.isGzip(file) {
            let gzip = Gzip(path: path, compressed: file)
            let header = try gzip.inflate(limit: headerLength, exact: false)
            let dimensions = try parseHeader(header, path: path, rank: rank)
            let total = try payloadSize(dimensions, path: path) + headerLength
            try gzip.checkClaimedSize(
                total, claimedBy: "the idx header (\(dimensions.map(String.init).joined(separator: "x")))")
            let all = try gzip.inflate(limit: total, exact: true)
            return Array(dimensions: dimensions, bytes: all[headerLength...])
        }
        let dimensions = try parseHeader(file, path: path, rank: rank)
        let total = try payloadSize(dimensions, path: path) + headerLength
        guard file.count == total else {
            let fault = file.count < total ? "truncated" : "too long"
            throw .malformed(
                path,
                "\(fault): the idx header (\(dimensions.map(String.init).joined(separator: "x"))) claims "
                    + "\(total) bytes, the file has \(file.count)")
        }
        return Array(dimensions: dimensions, bytes: file[headerLength...])
    }

    static func parseHeader(_ bytes: [UInt8], path: String, rank: Int) throws(FileError) -> [Int] {
        guard bytes.count >= 4 else {
            throw .malformed(path, "truncated: \(bytes.count) bytes, not even an idx magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw .malformed(
                path, "not an idx file (magic number starts 0x\(hex(bytes[0]))\(hex(bytes[1])), expected 0x0000)")
        }
        guard bytes[2] == 0x08 else {
            throw .malformed(path, "idx data type 0x\(hex(bytes[2])) is not unsigned bytes (0x08)")
        }
        guard Int(bytes[3]) == rank else {
            throw .malformed(path, "idx file has \(bytes[3]) dimensions, expected \(rank)")
        }
        guard bytes.count >= 4 + 4 * rank else {
            throw .malformed(path, "truncated: the idx header needs \(4 + 4 * rank) bytes, the file has \(bytes.count)")
        }
        return (0..<rank).map { d in
            let o = 4 + 4 * d
            return Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
        }
    }

    static func payloadSize(_ dimensions: [Int], path: String) throws(FileError) -> Int {
        var size = 1
        for d in dimensions {
            let (product, overflow) = size.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Int(Int32.max) else {
                throw .malformed(
                    path, "idx dimensions \(dimensions.map(String.init).joined(separator: "x")) are too large")
            }
            size = product
        }
        return size
    }

    private static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16)
        return s.count == 1 ? "0" + s : s
    }
}
