import Dispatch
import Engine
import Foundation
import Models
import Testing

@testable import CLI
@testable import Training

/// The autotuner's files: this machine's cache (shared by concurrent runs) and a run folder's
/// record, which a resumed run plans with whatever the cache says.
@Suite struct AutotuneRunTests {
    typealias Workspace = CommandTests.Workspace

    @Test func theCacheKeepsEachMachinesChoicesAndMergesConcurrentRuns() throws {
        let w = Workspace()
        let path = w.data.directory + "/cache/autotune.json"
        var warnings: [String] = []
        let one = AutotuneCache(path: path, machine: "A"), other = AutotuneCache(path: path, machine: "B")
        #expect(one.choices { warnings.append($0) }.isEmpty)
        one.store(["k1": "direct", "k2": "im2col"]) { warnings.append($0) }
        other.store(["k1": "winograd"]) { warnings.append($0) }
        one.store(["k2": "channelVectors"]) { warnings.append($0) }
        #expect(one.choices { warnings.append($0) } == ["k1": "direct", "k2": "channelVectors"])
        #expect(other.choices { warnings.append($0) } == ["k1": "winograd"])
        #expect(warnings.isEmpty)

        // Eight runs storing at once, as a sweep's do: every choice of every run is kept.
        DispatchQueue.concurrentPerform(iterations: 8) { run in
            let keys = (0..<10).map { ("run\(run) layer\($0)", "im2col") }
            AutotuneCache(path: path, machine: "A").store(Dictionary(uniqueKeysWithValues: keys)) { _ in }
        }
        #expect(one.choices { warnings.append($0) }.count == 82)
    }

    @Test func anUnreadableCacheIsIgnoredWithAWarningAndRewritten() throws {
        let w = Workspace()
        let path = w.data.directory + "/autotune.json"
        try "{ not json".write(toFile: path, atomically: true, encoding: .utf8)
        var warnings: [String] = []
        let cache = AutotuneCache(path: path, machine: "A")
        #expect(cache.choices { warnings.append($0) }.isEmpty)
        #expect(warnings.count == 1 && warnings[0].contains(path))
        cache.store(["k": "direct"]) { _ in }
        #expect(cache.choices { warnings.append($0) } == ["k": "direct"])
    }

    static func trainer(_ w: Workspace, cache: AutotuneCache, epochs: Int, restart: Bool = false) throws -> Trainer {
        let flags = try TrainingFlags<Classifiers>.parse(
            ["--model", "StandardCNN", "--epochs", "\(epochs)"] + w.arguments)
        return try Trainer(
            configuration: try flags.configuration(), model: StandardCNN.self, data: try flags.source.load(),
            console: Console(quiet: true), autotune: .on, cache: cache, restart: restart)
    }

    /// A run records its choices in its folder; resumed, it plans with them even where the cache
    /// now says otherwise; with --restart it takes the cache's.
    @Test func aResumedRunPlansWithTheAlgorithmsItRanWith() throws {
        let w = Workspace(rows: 28)
        let cache = AutotuneCache(path: w.data.directory + "/autotune.json", machine: "test")
        let first = try Self.trainer(w, cache: cache, epochs: 1)
        _ = try first.run(restart: false, observers: [])
        let folder = first.configuration.runDirectory
        let record = try #require(first.autotuning.record)
        #expect(try AlgorithmRecord.saved(in: folder) == record.choiceByKey)
        let timed = record.choices.filter { $0.source == .timed }
        #expect(!timed.isEmpty && timed.allSatisfy { $0.candidates.count > 1 })
        #expect(cache.choices { _ in } == Dictionary(uniqueKeysWithValues: timed.map { ($0.key, $0.algorithm) }))

        // The cache now names the slowest candidate of every timed choice.
        let slowest = Dictionary(uniqueKeysWithValues: timed.map { ($0.key, $0.candidates.last!.algorithm) })
        cache.store(slowest) { _ in }
        let resumed = try Self.trainer(w, cache: cache, epochs: 2)
        let again = try #require(resumed.autotuning.record)
        #expect(again.choiceByKey == record.choiceByKey)
        #expect(again.choices.filter { $0.source == .timed }.isEmpty)
        _ = try resumed.run(restart: false, observers: [])

        let restarted = try #require(try Self.trainer(w, cache: cache, epochs: 1, restart: true).autotuning.record)
        for (key, algorithm) in slowest { #expect(restarted.choiceByKey[key] == algorithm) }
    }
}

extension AlgorithmRecord {
    var choiceByKey: [String: String] {
        Dictionary(uniqueKeysWithValues: choices.map { ($0.key, $0.algorithm) })
    }
}
