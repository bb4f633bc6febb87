import CLibzip
import Plugins

/// A ZIP archive held in memory (an `.npz` is one), read by libzip: the members' names when it is
/// opened, a member's bytes when asked for. libzip checks a member's CRC-32 and size when its read
/// reaches the end, and refuses offsets beyond what it can seek to, ZIP64 ones included.
///
/// libzip rather than ZIPFoundation, the one Swift ZIP package this project can resolve: on Linux,
/// ZIPFoundation 0.9.20 spins forever on a deflated member whose stream is cut short (its inflate
/// loop waits for an end that never comes; weichsel/ZIPFoundation#389), may hand back a short
/// member without an error (it compares neither the CRC-32 nor the size), and traps on a ZIP64
/// offset above Int64.max. A damaged or hostile `.npz` reaches all three.
///
/// Each call opens the archive anew from the bytes (an `.npz` holds a handful of members, so
/// reading its directory again costs microseconds): no libzip object outlives the call that made it,
/// and the value can be copied and shared like any other.
struct ZipArchive {
    let path: String
    let bytes: [UInt8]
    /// The members' names in the archive's order: a name's position is its libzip index.
    let names: [String]

    init(bytes: [UInt8], path: String) throws(FileError) {
        self.path = path
        self.bytes = bytes
        names = try Self.open(bytes, path: path) { archive throws(FileError) in
            var names: [String] = [], seen: Set<String> = []
            for index in 0..<UInt64(max(0, zip_get_num_entries(archive, 0))) {
                guard let name = try Self.stat(archive, index, file: path).name.map({ String(cString: $0) }) else {
                    throw .malformed(path, "corrupt ZIP archive: member \(index) has no name")
                }
                // libzip would hand out the first of two members of one name; which array is meant is
                // anyone's guess.
                guard seen.insert(name).inserted else {
                    throw .malformed(path, "corrupt ZIP archive: it holds '\(name)' twice")
                }
                names.append(name)
            }
            return names
        }
    }

    /// The bytes of the member at `index` in `names`, read into exactly the size its directory entry
    /// claims once that claim is checked against what the member's compressed bytes can hold.
    func contents(ofMember index: Int) throws(FileError) -> [UInt8] {
        let file = "\(path):\(names[index])"
        return try Self.open(bytes, path: path) { archive throws(FileError) in
            let stat = try Self.stat(archive, UInt64(index), file: file)
            let stored = Int32(stat.comp_method) == ZIP_CM_STORE
            // NumPy writes no other method, and deflate's ratio is what bounds the size below.
            guard stored || Int32(stat.comp_method) == ZIP_CM_DEFLATE else {
                throw .malformed(
                    file, "ZIP compression method \(stat.comp_method); the bench reads stored and deflated")
            }
            // A member's compressed bytes are at most the archive's (a larger claim fails its read anyway),
            // stored bytes are the contents themselves and deflate's best ratio is about 1032:1: a size
            // beyond what they can hold is refused before anything is allocated.
            let compressed = min(stat.comp_size, UInt64(bytes.count))
            let limit = stored ? compressed : compressed * UInt64(Gzip.maximumRatio) + 64
            guard stat.size <= limit else {
                throw .malformed(
                    file,
                    "the ZIP directory claims \(stat.size) bytes, more than \(compressed) "
                        + "\(stored ? "stored" : "deflated") bytes can hold")
            }
            guard let member = zip_fopen_index(archive, UInt64(index), 0) else {
                throw Self.failure(file, "cannot read the member", zip_get_error(archive))
            }
            defer { zip_fclose(member) }
            return try Self.read(member, size: Int(stat.size), file: file)
        }
    }

    /// `body`'s result on the archive in `bytes`, which libzip reads in place; the archive and its
    /// source are freed before this returns, whichever way it returns.
    private static func open<T>(
        _ bytes: [UInt8], path: String, _ body: (OpaquePointer) throws(FileError) -> T
    ) throws(FileError) -> T {
        try bytes.withUnsafeBufferPointer { buffer throws(FileError) -> T in
            var error = zip_error_t()
            zip_error_init(&error)
            defer { zip_error_fini(&error) }
            // freep 0: the array owns the bytes, and outlives the source within this call.
            guard let source = zip_source_buffer_create(buffer.baseAddress, UInt64(buffer.count), 0, &error) else {
                throw failure(path, "cannot open as a ZIP archive", &error)
            }
            // Without ZIP_CHECKCONS, which compares every local header with the directory at opening:
            // one damaged member would refuse the whole archive without naming the member. Each member's
            // header is read when the member is, and its data checked as it is read.
            guard let archive = zip_open_from_source(source, ZIP_RDONLY, &error) else {
                zip_source_free(source)
                throw failure(path, "cannot open as a ZIP archive", &error)
            }
            // An archive that opened owns its source, and frees it.
            defer { zip_discard(archive) }
            return try body(archive)
        }
    }

    /// The directory entry of the member at `index`: its name, sizes and compression method.
    private static func stat(_ archive: OpaquePointer, _ index: UInt64, file: String) throws(FileError) -> zip_stat_t {
        var stat = zip_stat_t()
        guard zip_stat_index(archive, index, 0, &stat) == 0 else {
            throw failure(file, "cannot read the ZIP directory", zip_get_error(archive))
        }
        return stat
    }

    /// Exactly `size` bytes of `member`, then its end: libzip compares the CRC-32 and the size only
    /// when a read reaches the end, so a member that ends early, runs on or fails either is refused.
    private static func read(_ member: OpaquePointer, size: Int, file: String) throws(FileError) -> [UInt8] {
        var failure: FileError?
        // Uninitialised: libzip writes every byte it reports, and only those are kept.
        let contents = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, initialized in
            while initialized < size {
                let n = zip_fread(member, buffer.baseAddress! + initialized, UInt64(size - initialized))
                guard n > 0 else {
                    failure =
                        n < 0
                        ? Self.failure(file, "cannot read the member", zip_file_get_error(member))
                        : .malformed(file, "truncated: the member ends after \(initialized) of its \(size) bytes")
                    return
                }
                initialized += Int(n)
            }
        }
        if let failure { throw failure }
        var next: UInt8 = 0
        switch zip_fread(member, &next, 1) {
        case 0: return contents
        case ..<0: throw Self.failure(file, "cannot read the member", zip_file_get_error(member))
        default:
            throw .malformed(file, "corrupt ZIP archive: the member runs past the \(size) bytes its directory claims")
        }
    }

    /// A malformed-file error: `what` went wrong, and libzip's account of why.
    private static func failure(_ file: String, _ what: String, _ error: UnsafeMutablePointer<zip_error_t>) -> FileError
    {
        .malformed(file, "\(what) (libzip: \(String(cString: zip_error_strerror(error))))")
    }
}
