import DataIO
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `log/<MODEL>/<run name>/`: the run's flags, its CSV logs under `train/` and `validation/`,
/// the last checkpoint, and `best/`. Holding a `RunFolder` holds its lock, so two live runs
/// never write into one folder; the kernel drops the lock when a process dies.
public final class RunFolder {
    public let path: String
    private let lockDescriptor: Int32

    public var flagsPath: String { path + "/flags.json" }
    public var checkpointPath: String { path + "/" + Checkpoint.fileName }
    public var bestCheckpointPath: String { path + "/best/" + Checkpoint.fileName }
    /// A new best, written before the checkpoint that records it and renamed after.
    var pendingBestPath: String { path + "/best/pending.safetensors" }
    public var stepsCSV: String { path + "/train/steps.csv" }
    public var epochsCSV: String { path + "/validation/epochs.csv" }

    public static let stepsHeader = "step,epoch,loss,learning_rate,examples_per_sec"
    public static func epochsHeader(metric: String) -> String { "epoch,train_loss,validation_\(metric),seconds" }

    /// Opens (creating) the folder for `configuration` and locks it; with `restart`, deletes
    /// what was there first (the one deliberate deletion).
    public init(_ configuration: RunConfiguration, restart: Bool) throws(BenchError) {
        path = configuration.runDirectory
        if restart, FileManager.default.fileExists(atPath: path) {
            // Take the lock before deleting, so a live run's folder is never removed under it.
            let probe = try Self.lock(path)
            do { try FileManager.default.removeItem(atPath: path) } catch {
                close(probe)
                throw .cannotWrite(path, "cannot delete for --restart: \(error.localizedDescription)")
            }
            close(probe)
        }
        for sub in ["train", "validation", "best"] { try AtomicFile.makeDirectories(path + "/" + sub) }
        lockDescriptor = try Self.lock(path)
        removeStaleTemporaries()
    }

    /// Temporary files of writes that a killed run never renamed into place.
    private func removeStaleTemporaries() {
        for sub in ["", "/train", "/validation", "/best"] {
            let dir = path + sub
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.contains(".tmp-") {
                try? FileManager.default.removeItem(atPath: dir + "/" + name)
            }
        }
    }

    deinit { close(lockDescriptor) }

    private static func lock(_ path: String) throws(BenchError) -> Int32 {
        let lockPath = path + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw .cannotCreate(lockPath, String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .locked(path)
        }
        return fd
    }

    /// Records the command, flags and provenance, or, when the folder already has a run, checks
    /// that it is this same run first.
    public func claim(
        for configuration: RunConfiguration, command: String,
        provenance: Provenance
    ) throws(BenchError) {
        try checkSameRun(configuration)
        try FlagsFile(command: command, flags: configuration, provenance: provenance).write(to: flagsPath)
    }

    /// Refuses a folder whose saved flags define another run (only `--epochs` and `--threads` may
    /// change); a folder without flags is anyone's.
    public func checkSameRun(_ configuration: RunConfiguration) throws(BenchError) {
        guard FileBytes.exists(flagsPath) else { return }
        let saved: FlagsFile
        do { saved = try FlagsFile.read(flagsPath) } catch { throw .file(error) }
        let differences = configuration.differences(from: saved.flags)
        guard differences.isEmpty else {
            throw .usage(
                "\(path) holds a run with other flags (\(differences.joined(separator: "; "))); "
                    + "pass --comment NAME to start a separate run or --restart to replace it")
        }
    }

    /// Moves a staged best checkpoint into place if the run's checkpoint (at `step`) recorded it,
    /// and drops it if the run was killed before that.
    func settleBest(atStep step: Int) throws(BenchError) {
        guard let bytes = try? FileBytes.read(pendingBestPath) else { return }
        let staged = (try? SafeTensors.decode(bytes, path: pendingBestPath))?.metadata["step"].flatMap(Int.init)
        if let staged, staged <= step {
            guard rename(pendingBestPath, bestCheckpointPath) == 0 else {
                throw .cannotWrite(bestCheckpointPath, String(cString: strerror(errno)))
            }
        } else {
            unlink(pendingBestPath)
        }
    }

    /// Keeps a CSV's header and the rows whose first field is at most `last`, dropping rows that
    /// a killed run logged after its last checkpoint; creates the file with `header` if absent.
    public func resetCSV(_ file: String, header: String, keepingThrough last: Int) throws(BenchError) {
        let text: String
        do { text = String(decoding: try FileBytes.read(file), as: UTF8.self) } catch {
            guard error.kind == .missing else { throw .file(error) }
            text = ""
        }
        let rows = text.split(separator: "\n").dropFirst().filter { row in
            guard let first = row.split(separator: ",").first, let n = Int(first) else { return false }
            return n <= last
        }
        try AtomicFile.write(([header] + rows.map(String.init)).joined(separator: "\n") + "\n", to: file)
    }
}
