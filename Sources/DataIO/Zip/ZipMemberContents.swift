import CZlib
import Plugins

extension ZipArchive {
    /// A member's bytes: stored ones as a slice of the archive, deflated ones inflated by zlib
    /// into exactly the size the directory claims (a claim beyond deflate's best ratio is
    /// refused before anything is allocated), and either checked against the CRC-32.
    func contents(of member: Member) throws(FileError) -> ArraySlice<UInt8> {
        let name = "\(path):\(member.name)"
        let o = member.localHeaderOffset
        guard o <= bytes.count - 30, bytes.littleEndian(o, 4) == 0x0403_4b50 else {
            throw .malformed(name, "corrupt ZIP archive: the member's local header is missing")
        }
        let start = o + 30 + bytes.littleEndian(o + 26, 2) + bytes.littleEndian(o + 28, 2)
        guard start <= bytes.count, member.compressedSize <= bytes.count - start else {
            throw .malformed(name, "truncated ZIP archive: the member's data runs past the end of the file")
        }
        guard member.flags & 1 == 0 else { throw .malformed(name, "the member is encrypted") }
        let data = bytes[start..<(start + member.compressedSize)]
        let contents: ArraySlice<UInt8>
        switch member.method {
        case 0:
            guard member.compressedSize == member.size else {
                throw .malformed(
                    name,
                    "corrupt ZIP archive: a stored member of \(member.size) bytes occupies \(member.compressedSize)")
            }
            contents = data
        case 8:
            guard member.size <= member.compressedSize * Gzip.maximumRatio + 64 else {
                throw .malformed(
                    name,
                    "the ZIP directory claims \(member.size) bytes, more than \(member.compressedSize) deflated "
                        + "bytes can hold")
            }
            contents = try Self.inflate(data, size: member.size, path: name)[...]
        default:
            throw .malformed(name, "ZIP compression method \(member.method); the bench reads stored and deflated")
        }
        let crc = contents.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, z_size_t($0.count))) }
        guard crc == member.crc else {
            throw .malformed(
                name,
                "corrupt ZIP archive: the member's CRC-32 is \(hex(crc)), the directory says \(hex(member.crc))")
        }
        return contents
    }

    /// Raw deflate (no zlib or gzip wrapper), which must end exactly at `size` bytes.
    private static func inflate(_ data: ArraySlice<UInt8>, size: Int, path: String) throws(FileError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed(path, "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var produced = 0, consumed = 0
        var status = Z_OK
        // Uninitialised: inflate writes every byte it reports, and only those are kept.
        let output = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, initialized in
            data.withUnsafeBufferPointer { input in
                // Both sides go in pieces of at most 1 GiB: zlib's counts are 32-bit.
                while status == Z_OK {
                    if stream.avail_in == 0 && consumed < input.count {
                        let piece = min(input.count - consumed, 1 << 30)
                        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                        stream.avail_in = UInt32(piece)
                        consumed += piece
                    }
                    let room = min(size - produced, 1 << 30)
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                }
            }
            initialized = produced
        }
        switch status {
        case Z_STREAM_END where produced == size:
            return output
        case Z_STREAM_END, Z_OK, Z_BUF_ERROR:
            // Z_BUF_ERROR: no progress possible, the input spent or the claimed size reached.
            throw .malformed(
                path,
                produced < size
                    ? "truncated: the deflated member ends after \(produced) of its \(size) bytes"
                    : "corrupt ZIP archive: the deflated member does not end at the \(size) bytes its directory "
                        + "claims")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw .malformed(path, "corrupt deflate stream (\(message))")
        }
    }

    private func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}
