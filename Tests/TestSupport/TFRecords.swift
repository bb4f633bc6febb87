/// A TFRecord file (TensorBoard's events) split into its records: each framed by its length (64
/// bits, little-endian) and the masked checksum of the length, then the masked checksum of the
/// record. `checksum` is the masked CRC-32C (DataIO's, which this module does not see).
public enum TFRecords {
    /// The records in order; nil if the framing is cut short or a checksum does not match.
    public static func split(_ bytes: [UInt8], checksum: ([UInt8]) -> UInt32) -> [[UInt8]]? {
        var records: [[UInt8]] = [], offset = 0
        func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }
        func word(_ bytes: [UInt8]) -> UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        while offset < bytes.count {
            guard let length = take(8), let lengthCRC = take(4), word(lengthCRC) == checksum(length),
                let record = take(Int(clamping: word(length))), let recordCRC = take(4),
                word(recordCRC) == checksum(record)
            else { return nil }
            records.append(record)
        }
        return records
    }
}
