import Plugins

/// A ZIP archive held in memory (an `.npz` is one), read from its central directory: each
/// member's name, compression method, sizes, CRC-32 and local header's offset. Every offset and
/// size is checked against the archive before it is used, ZIP64 records included.
///
/// The bench reads ZIP itself rather than through ZIPFoundation: on Linux, ZIPFoundation 0.9.20
/// (the version this project can resolve) spins forever on a deflated member whose stream is cut
/// short (its inflate loop waits for an end that never comes; weichsel/ZIPFoundation#389), may
/// hand back a short member without an error (it neither compares the CRC-32 nor the size), and
/// traps on a ZIP64 offset above Int64.max. A damaged or hostile `.npz` reaches all three.
struct ZipArchive {
    struct Member: Equatable {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    let path: String
    let bytes: [UInt8]
    let members: [Member]

    init(bytes: [UInt8], path: String) throws(FileError) {
        self.path = path
        self.bytes = bytes
        let end = try Self.endOfCentralDirectory(bytes, path: path)
        var members: [Member] = []
        var p = end.directoryOffset
        let directoryEnd = end.directoryOffset + end.directorySize
        for _ in 0..<end.entries {
            guard directoryEnd - p >= 46, bytes.littleEndian(p, 4) == 0x0201_4b50 else {
                throw .malformed(path, "corrupt ZIP archive: central directory entry \(members.count) is damaged")
            }
            let nameLength = bytes.littleEndian(p + 28, 2), extraLength = bytes.littleEndian(p + 30, 2)
            let commentLength = bytes.littleEndian(p + 32, 2)
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw .malformed(path, "corrupt ZIP archive: central directory entry \(members.count) overruns it")
            }
            var member = Member(
                name: String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                method: UInt16(bytes.littleEndian(p + 10, 2)), flags: UInt16(bytes.littleEndian(p + 8, 2)),
                crc: UInt32(bytes.littleEndian(p + 16, 4)), compressedSize: bytes.littleEndian(p + 20, 4),
                size: bytes.littleEndian(p + 24, 4), localHeaderOffset: bytes.littleEndian(p + 42, 4))
            try Self.applyZip64(
                bytes[(p + 46 + nameLength)..<(p + 46 + nameLength + extraLength)], to: &member, path: path)
            guard !members.contains(where: { $0.name == member.name }) else {
                throw .malformed(path, "corrupt ZIP archive: it holds '\(member.name)' twice")
            }
            members.append(member)
            p = next
        }
        self.members = members
    }

    /// The member named `name`, or nil.
    func member(_ name: String) -> Member? { members.first { $0.name == name } }

    /// Where the central directory is and how many entries it holds, from the end record (and
    /// its ZIP64 version where a field overflowed 16 or 32 bits).
    private static func endOfCentralDirectory(
        _ bytes: [UInt8], path: String
    ) throws(FileError) -> (entries: Int, directoryOffset: Int, directorySize: Int) {
        // The end record is 22 bytes and a comment of at most 65,535; the last one found counts.
        let n = bytes.count
        guard n >= 22,
            let e = stride(from: n - 22, through: max(0, n - 22 - 65_535), by: -1).first(where: {
                bytes.littleEndian($0, 4) == 0x0605_4b50
            })
        else {
            throw .malformed(path, "not a ZIP archive (no end of central directory record)")
        }
        guard bytes.littleEndian(e + 4, 2) == 0, bytes.littleEndian(e + 6, 2) == 0 else {
            throw .malformed(path, "ZIP archive spans several disks")
        }
        var entries = bytes.littleEndian(e + 10, 2)
        var size = bytes.littleEndian(e + 12, 4), offset = bytes.littleEndian(e + 16, 4)
        var directoryLimit = e
        if entries == 0xffff || size == 0xffff_ffff || offset == 0xffff_ffff {
            guard e >= 20, bytes.littleEndian(e - 20, 4) == 0x0706_4b50,
                let record = Int(exactly: bytes.littleEndian64(e - 12)), record <= e - 20 - 56,
                bytes.littleEndian(record, 4) == 0x0606_4b50,
                let zip64Entries = Int(exactly: bytes.littleEndian64(record + 32)),
                let zip64Size = Int(exactly: bytes.littleEndian64(record + 40)),
                let zip64Offset = Int(exactly: bytes.littleEndian64(record + 48))
            else {
                throw .malformed(path, "corrupt ZIP archive: its ZIP64 end of central directory record is damaged")
            }
            (entries, size, offset, directoryLimit) = (zip64Entries, zip64Size, zip64Offset, record)
        }
        guard offset <= directoryLimit, size <= directoryLimit - offset else {
            throw .malformed(path, "corrupt ZIP archive: the central directory lies outside the file")
        }
        guard entries <= size / 46 else {
            throw .malformed(path, "corrupt ZIP archive: \(entries) entries cannot fit a \(size)-byte directory")
        }
        return (entries, offset, size)
    }

    /// ZIP64's extra field (id 1) holds, in this order, whichever of the size, the compressed
    /// size and the offset overflowed 32 bits (stored as 0xffffffff).
    private static func applyZip64(
        _ extra: ArraySlice<UInt8>, to member: inout Member, path: String
    ) throws(FileError) {
        let bytes = Array(extra)
        var p = 0
        while p + 4 <= bytes.count {
            let id = bytes.littleEndian(p, 2), length = bytes.littleEndian(p + 2, 2)
            guard p + 4 + length <= bytes.count else { break }
            if id == 1 {
                var q = p + 4
                for field in [\Member.size, \Member.compressedSize, \Member.localHeaderOffset]
                where member[keyPath: field] == 0xffff_ffff {
                    guard q + 8 <= p + 4 + length, let value = Int(exactly: bytes.littleEndian64(q)) else {
                        throw .malformed(path, "corrupt ZIP archive: the ZIP64 field of '\(member.name)' is damaged")
                    }
                    member[keyPath: field] = value
                    q += 8
                }
            }
            p += 4 + length
        }
    }
}

extension [UInt8] {
    /// The `count`-byte little-endian unsigned integer at `offset` (count at most 4, so it fits an
    /// Int on every platform Swift runs on); the caller has checked the bytes are there.
    func littleEndian(_ offset: Int, _ count: Int) -> Int {
        var value = 0
        for k in 0..<count { value |= Int(self[offset + k]) << (8 * k) }
        return value
    }

    func littleEndian64(_ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(self[offset + k]) << (8 * k) }
        return value
    }
}
