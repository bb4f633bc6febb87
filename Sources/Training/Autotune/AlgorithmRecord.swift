import Engine
import Foundation
import Plugins

/// The algorithms a run's layers were planned with, kept in its folder (`algorithms.json`): the
/// choices, where each came from, and the candidates' times where it was timed. A resumed run
/// plans with the same choices, so that it computes as it did before it stopped, whatever the
/// cache or another timing would choose now.
public struct AlgorithmRecord: Codable, Equatable {
    public static let fileName = "algorithms.json"

    /// The processor and build that chose them (AutotuneCache.thisMachine).
    public var machine: String
    public var choices: [AlgorithmTuner.Choice]

    public init(machine: String, choices: [AlgorithmTuner.Choice]) {
        (self.machine, self.choices) = (machine, choices)
    }

    /// The choices by key in the run folder at `runDirectory`; none where it has no record.
    public static func saved(in runDirectory: String) throws(BenchError) -> [String: String] {
        let path = runDirectory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        do {
            let record = try JSONDecoder().decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            return Dictionary(record.choices.map { ($0.key, $0.algorithm) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw .file(.malformed(path, "not an algorithm record: \(error)"))
        }
    }

    public func write(in runDirectory: String) throws(BenchError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch { preconditionFailure("an algorithm record encodes: \(error)") }
        try AtomicFile.write(Array(data) + [10], to: runDirectory + "/" + Self.fileName)
    }
}
