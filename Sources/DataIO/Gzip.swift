import CZlib
import Plugins

/// gzip through zlib, inflating no more than a caller-chosen size: the caller first inflates a
/// header, checks the size it claims against what the file can hold, and only then allocates.
public struct Gzip {
    public let path: String
    public let compressed: [UInt8]

    /// deflate's best ratio is about 1032:1; a claim above that is a lie.
    static let maximumRatio = 1032

    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 18 && bytes[0] == 0x1f && bytes[1] == 0x8b }

    public init(path: String, compressed: [UInt8]) {
        self.path = path
        self.compressed = compressed
    }

    /// The trailer's ISIZE: the inflated size modulo 2³².
    public var trailerSize: UInt32 {
        let n = compressed.count
        return UInt32(compressed[n - 4]) | UInt32(compressed[n - 3]) << 8 | UInt32(compressed[n - 2]) << 16
            | UInt32(compressed[n - 1]) << 24
    }

    /// Throws unless `size` inflated bytes are consistent with the trailer and deflate's ratio.
    public func checkClaimedSize(_ size: Int, claimedBy what: String) throws(FileError) {
        guard size <= compressed.count * Self.maximumRatio else {
            throw .malformed(path, "\(what) claims \(size) bytes, more than \(compressed.count) gzip bytes can hold")
        }
        guard UInt32(truncatingIfNeeded: size) == trailerSize else {
            throw .malformed(path, "\(what) claims \(size) bytes but the gzip trailer says \(trailerSize)")
        }
    }

    /// Inflates at most `limit` bytes. With `exact`, fewer bytes is an error (a truncated file).
    public func inflate(limit: Int, exact: Bool) throws(FileError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed(path, "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var produced = 0
        var status = Z_OK
        // Uninitialised: inflate writes every byte it reports, and only those are kept.
        let output = [UInt8](unsafeUninitializedCapacity: limit) { out, initialized in
            compressed.withUnsafeBufferPointer { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                // Inflate in chunks of at most 1 GiB (avail_out is 32-bit).
                while produced < limit && status == Z_OK {
                    stream.next_out = out.baseAddress! + produced
                    let chunk = min(limit - produced, 1 << 30)
                    stream.avail_out = UInt32(chunk)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced += chunk - Int(stream.avail_out)
                    if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
                    if status == Z_BUF_ERROR { status = Z_OK }
                }
            }
            initialized = produced
        }
        switch status {
        case Z_OK, Z_STREAM_END, Z_BUF_ERROR: break
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw .malformed(path, "corrupt gzip stream (\(message))")
        }
        if exact && produced < limit {
            throw .malformed(path, "truncated: gzip data ends after \(produced) of \(limit) bytes")
        }
        return output
    }
}
