extension NpyArray {
    /// The elements as floats: float32 as stored, float64 rounded to the nearest float32 (the
    /// engine computes in float32); nil for an integer array.
    public func floats() -> [Float]? {
        guard dtype.kind == .float else { return nil }
        let n = count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                if dtype.size == 4 {
                    for i in 0..<n {
                        out[i] = Float(
                            bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                } else {
                    for i in 0..<n {
                        out[i] = Float(
                            Double(
                                bitPattern: UInt64(
                                    littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    }
                }
            }
            initialized = n
        }
    }

    /// The elements as integers; nil for a float array. uint64 values above Int64.max become
    /// Int64.max, which no label range holds, so they are refused as out of range.
    public func integers() -> [Int64]? {
        guard dtype.kind != .float else { return nil }
        let n = count, size = dtype.size, signed = dtype.kind == .signed
        return [Int64](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n {
                    var bits: UInt64 = 0
                    for k in 0..<size { bits |= UInt64(raw[i * size + k]) << (8 * k) }
                    if signed {
                        // Sign-extend from the element's width.
                        let shift = UInt64(64 - 8 * size)
                        out[i] = Int64(bitPattern: bits << shift) >> shift
                    } else {
                        out[i] = bits > UInt64(Int64.max) ? Int64.max : Int64(bits)
                    }
                }
            }
            initialized = n
        }
    }
}
