import Plugins

/// Reads NumPy's `.npy` format (NEP 1; versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, a
/// version, a little-endian header length (2 bytes in 1.0, 4 after), the header dictionary
/// (`descr`, `fortran_order`, `shape`), then the elements. The header length is checked against
/// the file, and the data's length against shape x element size (overflow-checked) before
/// anything is converted: a file that lies about either is refused, never trusted.
public enum NpyReader {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    public static func read(_ path: String) throws(FileError) -> NpyArray {
        try parse(try FileBytes.read(path), path: path)
    }

    /// The array in `file`'s bytes; `path` names it in errors.
    public static func parse(_ file: [UInt8], path: String) throws(FileError) -> NpyArray {
        try parse(file[...], path: path)
    }

    /// The array in `file` (a whole file, or an `.npz` member's slice of its archive).
    public static func parse(_ file: ArraySlice<UInt8>, path: String) throws(FileError) -> NpyArray {
        let base = file.startIndex, n = file.count
        guard n >= 8, file.starts(with: magic) else {
            throw .malformed(path, "not an .npy file (it does not start with \\x93NUMPY)")
        }
        let (major, minor) = (file[base + 6], file[base + 7])
        guard (1...3).contains(major), minor == 0 else {
            throw .malformed(path, ".npy format version \(major).\(minor); the bench reads 1.0, 2.0 and 3.0")
        }
        let lengthSize = major == 1 ? 2 : 4
        guard n >= 8 + lengthSize else {
            throw .malformed(path, "truncated: \(n) bytes, not even a header length")
        }
        var headerLength = 0
        for k in 0..<lengthSize { headerLength |= Int(file[base + 8 + k]) << (8 * k) }
        let headerStart = 8 + lengthSize
        guard headerLength <= n - headerStart else {
            throw .malformed(
                path, "truncated: the header length says \(headerLength) bytes, only \(n - headerStart) follow")
        }
        let dataStart = headerStart + headerLength
        let header = try NpyHeader.parse(file[(base + headerStart)..<(base + dataStart)], path: path)
        let described = "\(NpyArray.describe(header.shape)) \(header.dtype)"
        var size = header.dtype.size
        for dimension in header.shape {
            let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .malformed(path, "the array \(described) is too large") }
            size = product
        }
        let available = n - dataStart
        guard available == size else {
            throw .malformed(
                path,
                "\(available < size ? "truncated" : "too long"): the header (\(described)) claims \(size) bytes "
                    + "of data, the file has \(available)")
        }
        var bytes = file[(base + dataStart)...]
        if header.dtype.bigEndian { bytes = NpyOrder.byteSwapped(bytes, size: header.dtype.size)[...] }
        if header.fortranOrder {
            bytes = NpyOrder.cOrder(fromFortran: bytes, shape: header.shape, itemSize: header.dtype.size)[...]
        }
        return NpyArray(shape: header.shape, dtype: header.dtype.littleEndian, bytes: bytes)
    }
}
