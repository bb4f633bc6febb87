import Plugins

/// Writes `.npy` files byte for byte as NumPy's `np.save` writes them in format 1.0: C order,
/// little-endian, the header dictionary with its keys sorted, NumPy's spare room for the first
/// axis to grow, then spaces to a newline so the data starts at a multiple of 64 bytes.
public enum NpyWriter {
    /// An `.npy` file of uint8 `values` shaped `shape` (their count must be the shape's product).
    public static func encode(_ values: some Collection<UInt8>, shape: [Int]) -> [UInt8] {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        return header(.uint8, shape: shape) + values
    }

    /// An `.npy` file of int64 `values` shaped `shape`.
    public static func encode(_ values: some Collection<Int64>, shape: [Int]) -> [UInt8] {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        var file = header(.int64, shape: shape)
        file.reserveCapacity(file.count + 8 * values.count)
        for v in values { withUnsafeBytes(of: v.littleEndian) { file += $0 } }
        return file
    }

    /// An `.npy` file of float32 `values` shaped `shape`.
    public static func encode(_ values: some Collection<Float>, shape: [Int]) -> [UInt8] {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        var file = header(.float32, shape: shape)
        file.reserveCapacity(file.count + 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { file += $0 } }
        return file
    }

    /// An image set's images: N x H x W for one channel, N x C x H x W (`--layout nchw`) for
    /// more; uint8 for bytes, float32 for float intensities.
    public static func images(_ set: ImageSet) -> [UInt8] {
        let s = set.shape
        let shape = s.channels == 1 ? [set.count, s.height, s.width] : [set.count, s.channels, s.height, s.width]
        switch set.pixels {
        case .bytes(let values): return encode(values, shape: shape)
        case .intensities(let values): return encode(values, shape: shape)
        }
    }

    /// An image set's labels as int64, shape (N,).
    public static func labels(_ set: ImageSet) -> [UInt8] {
        encode(set.labels.map(Int64.init), shape: [set.count])
    }

    /// Magic, version 1.0, header length and the padded header dictionary.
    static func header(_ dtype: NpyDType, shape: [Int]) -> [UInt8] {
        var text = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(NpyArray.describe(shape)), }"
        // NumPy leaves room for the first axis to grow to 21 digits, so appending rewrites the header in place.
        if let first = shape.first { text += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        let unpadded = 10 + text.utf8.count + 1
        text += String(repeating: " ", count: 64 - unpadded % 64) + "\n"
        let length = text.utf8.count
        return NpyReader.magic + [1, 0, UInt8(length & 255), UInt8(length >> 8)] + Array(text.utf8)
    }
}
