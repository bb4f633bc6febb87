/// The two conversions that bring an `.npy` array's elements into the bench's order:
/// big-endian elements are byte-swapped, Fortran-order (column-major) arrays are transposed to
/// C order. Both are converted rather than refused, since NumPy writes both for ordinary
/// arrays (`np.save` of a `>i4` array, or of `np.asfortranarray(x)`).
enum NpyOrder {
    /// Each `size`-byte element with its bytes reversed.
    static func byteSwapped(_ bytes: ArraySlice<UInt8>, size: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
            bytes.withUnsafeBufferPointer { source in
                for element in stride(from: 0, to: bytes.count, by: size) {
                    for k in 0..<size { out[element + k] = source[element + size - 1 - k] }
                }
            }
            initialized = bytes.count
        }
    }

    /// The elements of a Fortran-order array of `shape` (the first index varies fastest in
    /// `bytes`) in C order (the last index varies fastest).
    static func cOrder(fromFortran bytes: ArraySlice<UInt8>, shape: [Int], itemSize: Int) -> [UInt8] {
        let rank = shape.count
        guard rank > 1, !bytes.isEmpty else { return Array(bytes) }
        // Where a step along each axis moves in the Fortran-order source, in elements.
        var strides = [Int](repeating: 1, count: rank)
        for axis in 1..<rank { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        let inner = shape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
            bytes.withUnsafeBufferPointer { source in
                var written = 0, base = 0
                for _ in 0..<(bytes.count / itemSize / inner) {
                    for k in 0..<inner {
                        let from = (base + k * innerStride) * itemSize
                        for b in 0..<itemSize { out[written + b] = source[from + b] }
                        written += itemSize
                    }
                    // The next row: an odometer over the axes before the last.
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        base += strides[axis]
                        if index[axis] < shape[axis] { break }
                        base -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
            initialized = bytes.count
        }
    }
}
