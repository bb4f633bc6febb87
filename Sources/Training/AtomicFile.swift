#if canImport(Glibc)
import Glibc
#endif

/// Writes that never leave a half-written file: whole files go to a temporary name, are flushed
/// to disk and renamed over the old one; appended lines go out in one write each.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(BenchError) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotCreate(temporary, String(cString: strerror(errno))) }
        do {
            try writeAll(fd, bytes, path: path)
            guard fsync(fd) == 0 else { throw BenchError.cannotWrite(path, String(cString: strerror(errno))) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error as! BenchError
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path, why)
        }
    }

    public static func write(_ text: String, to path: String) throws(BenchError) {
        try write(Array(text.utf8), to: path)
    }

    /// Appends one whole line (a results line, a CSV row).
    public static func appendLine(_ line: String, to path: String) throws(BenchError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw .cannotCreate(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        try writeAll(fd, Array((line + "\n").utf8), path: path)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(BenchError) {
        // A failed write must not kill the process with SIGXFSZ (a full quota or ulimit -f).
        signal(SIGXFSZ, SIG_IGN)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
            done += n
        }
    }

    public static func makeDirectories(_ path: String) throws(BenchError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .cannotCreate(current, String(cString: strerror(errno)))
            }
        }
    }
}
