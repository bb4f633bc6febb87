import Engine

/// `--autotune on|off`: whether planning times each layer's algorithms (AlgorithmTuner) or takes
/// the fixed rules (ConvolutionAlgorithms' preference lists).
public enum AutotuneMode: String, Sendable, CaseIterable {
    case on, off
}

/// One network's autotuning: the tuner it is planned with, given the run folder's saved choices
/// and this machine's cache, and what it reports once the network is planned.
public struct Autotuning {
    public let tuner: AlgorithmTuner?
    private let cache: AutotuneCache

    public init(
        _ mode: AutotuneMode, saved: [String: String] = [:], cache: AutotuneCache = AutotuneCache(),
        warn: (String) -> Void
    ) {
        self.cache = cache
        tuner = mode == .on ? AlgorithmTuner(saved: saved, cached: cache.choices(warn: warn)) : nil
    }

    /// Plan options with this tuning's algorithm choice.
    public func options(fusion: Bool = true, precision: Precision = .float32) -> Network.PlanOptions {
        Network.PlanOptions(fusion: fusion, algorithms: tuner.map { .tuned($0) } ?? .fastest, precision: precision)
    }

    /// After planning: the timed choices go into the cache; the line says what was timed.
    public func finish(warn: (String) -> Void) -> String? {
        guard let tuner else { return nil }
        let timed = tuner.choices.filter { $0.source == .timed }
        cache.store(Dictionary(timed.map { ($0.key, $0.algorithm) }, uniquingKeysWith: { a, _ in a }), warn: warn)
        let count = { (source: AlgorithmTuner.Source) in tuner.choices.filter { $0.source == source }.count }
        return "autotune: \(timed.count) choices timed in \(String(format: "%.2f", tuner.secondsTiming)) s, "
            + "\(count(.cached)) from the cache, \(count(.saved)) from the run folder"
    }

    /// The record a run folder keeps.
    public var record: AlgorithmRecord? {
        tuner.map { AlgorithmRecord(machine: cache.machine, choices: $0.choices) }
    }
}
