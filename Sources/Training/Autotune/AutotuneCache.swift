import Engine
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// This machine's autotuned choices, shared by every run on it: a small JSON file of choices by
/// processor and build, then by key (`AlgorithmTuner`). Its place: `$BENCH_AUTOTUNE_CACHE` if set,
/// else `$XDG_CACHE_HOME/swift-training-bench/autotune.json`, else under `~/.cache`. Concurrent
/// runs (a sweep's) merge their choices under an exclusive lock on a file beside it and replace it
/// by rename, so none is lost and no reader sees half a file. The cache only saves time: one that
/// cannot be read or written is left alone with a warning, and the run times its layers.
public struct AutotuneCache {
    public let path: String
    /// The processor and the build, which decide which algorithm is fastest.
    public let machine: String

    public init(path: String = Self.defaultPath(), machine: String = Self.thisMachine) {
        (self.path, self.machine) = (path, machine)
    }

    public static var thisMachine: String {
        "\(Provenance.cpuModel() ?? "unknown processor"), \(BuildTarget.name) build"
    }

    public static func defaultPath(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["BENCH_AUTOTUNE_CACHE"], !path.isEmpty { return path }
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return base + "/swift-training-bench/autotune.json"
    }

    /// File contents: machine -> key -> algorithm.
    private typealias Contents = [String: [String: String]]

    /// This machine's choices; none when the file is missing, and none with a warning when it
    /// cannot be read.
    public func choices(warn: (String) -> Void) -> [String: String] {
        (try? read(warn: warn))?[machine] ?? [:]
    }

    /// Adds `choices` to this machine's, keeping what other runs wrote meanwhile.
    public func store(_ choices: [String: String], warn: (String) -> Void) {
        guard !choices.isEmpty else { return }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try AtomicFile.makeDirectories(directory)
            let lock = open(path + ".lock", O_WRONLY | O_CREAT, 0o644)
            guard lock >= 0 else { throw BenchError.cannotCreate(path + ".lock", String(cString: strerror(errno))) }
            defer { close(lock) }
            while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
            var contents = (try? read(warn: warn)) ?? [:]
            contents[machine, default: [:]].merge(choices) { _, new in new }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(contents)) + [10], to: path)
        } catch {
            warn("autotune cache \(path) not written: \(error)")
        }
    }

    private func read(warn: (String) -> Void) throws -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        do {
            return try JSONDecoder().decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            warn("autotune cache \(path) is unreadable and is ignored (it will be rewritten): \(error)")
            throw error
        }
    }
}
