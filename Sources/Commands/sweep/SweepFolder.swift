import Foundation
import Training

/// `<log_dir>/sweeps/<time>/`: the commands file, sweep.json, and the runners' own files.
struct SweepFolder {
    let directory: String

    /// A new folder named after the time (UTC), with `-2`, `-3`... for sweeps started in the same
    /// second. The path is absolute: the commands file and job script are read from elsewhere.
    init(logDirectory: String) throws(BenchError) {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let root = URL(fileURLWithPath: logDirectory).appendingPathComponent("sweeps").standardizedFileURL.path
        let name = formatter.string(from: Date())
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreate(root, error.localizedDescription)
        }
        var candidate = root + "/" + name
        var suffix = 2
        // mkdir fails on an existing folder, so two sweeps never share one.
        while mkdir(candidate, 0o777) != 0 {
            guard errno == EEXIST else { throw .cannotCreate(candidate, String(cString: strerror(errno))) }
            candidate = "\(root)/\(name)-\(suffix)"
            suffix += 1
        }
        directory = candidate
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func write(_ name: String, _ text: String) throws(BenchError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)), options: .atomic)
        } catch {
            throw .cannotWrite(path(name), error.localizedDescription)
        }
    }
}
