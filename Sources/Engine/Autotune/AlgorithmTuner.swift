/// Plan-time choice of each layer's algorithms, as cuDNN's benchmark mode chooses for a GPU: when a
/// network is planned, every product of every convolution-like layer is timed on each algorithm
/// that serves its geometry (the real batch capacity and threads, random values), and the fastest
/// is kept. Choices known before planning are not timed again: a run folder's (`saved`, which a
/// resumed run must repeat to stay reproducible) and then this machine's cache (`cached`). The
/// caller reads `choices` after the plan to store them.
///
/// A choice is keyed by what decides which algorithm is fastest: the layer's geometry, the product,
/// the pass that runs it, the batch capacity and the threads, and by the candidates, so that an
/// algorithm added later is timed rather than passed over for an older choice (`ChoiceKey`).
public final class AlgorithmTuner: @unchecked Sendable {
    /// Where a choice came from.
    public enum Source: String, Codable, Sendable {
        /// Timed while planning.
        case timed
        /// This machine's cache.
        case cached
        /// The run folder's record.
        case saved
        /// The one algorithm that serves the geometry: nothing to time.
        case only
    }

    /// One candidate's time: the median of a few passes over the whole batch capacity.
    public struct Candidate: Codable, Sendable, Equatable {
        public let algorithm: String
        public let seconds: Double
    }

    /// The algorithm one product of one layer runs.
    public struct Choice: Codable, Sendable, Equatable {
        public let key: String
        public let layer: String
        public let algorithm: String
        public let source: Source
        /// Every candidate's time, fastest first; empty unless `source` is `timed`.
        public let candidates: [Candidate]
    }

    private let saved: [String: String]
    private let cached: [String: String]
    /// Timed passes per candidate after one warm-up pass.
    let repetitions: Int
    public private(set) var choices: [Choice] = []
    /// Seconds spent timing candidates (their scratch and warm-up passes included).
    public private(set) var secondsTiming = 0.0

    public init(saved: [String: String] = [:], cached: [String: String] = [:], repetitions: Int = 3) {
        precondition(repetitions > 0, "\(repetitions) timed passes")
        (self.saved, self.cached, self.repetitions) = (saved, cached, repetitions)
    }

    /// The algorithm for `key` among `candidates` (names, in the fixed rules' order of preference):
    /// a saved or cached choice that is still a candidate, else the fastest by `time`. A single
    /// candidate is taken untimed.
    func choose(key: String, layer: String, candidates: [String], time: (String) -> Double) -> String {
        precondition(!candidates.isEmpty, "\(layer): no algorithm serves \(key)")
        if let known = saved[key], candidates.contains(known) {
            return record(Choice(key: key, layer: layer, algorithm: known, source: .saved, candidates: []))
        }
        if let known = cached[key], candidates.contains(known) {
            return record(Choice(key: key, layer: layer, algorithm: known, source: .cached, candidates: []))
        }
        guard candidates.count > 1 else {
            return record(Choice(key: key, layer: layer, algorithm: candidates[0], source: .only, candidates: []))
        }
        // A stable sort keeps the preferred order among equal times.
        let start = MonotonicClock.seconds()
        let timed = candidates.map { Candidate(algorithm: $0, seconds: time($0)) }
        secondsTiming += MonotonicClock.seconds() - start
        let ranked = timed.enumerated().sorted { ($0.element.seconds, $0.offset) < ($1.element.seconds, $1.offset) }
            .map(\.element)
        return record(
            Choice(key: key, layer: layer, algorithm: ranked[0].algorithm, source: .timed, candidates: ranked))
    }

    private func record(_ choice: Choice) -> String {
        choices.append(choice)
        return choice.algorithm
    }

    /// The choices by key, as the run folder and the cache store them.
    public var choiceByKey: [String: String] {
        Dictionary(choices.map { ($0.key, $0.algorithm) }, uniquingKeysWith: { first, _ in first })
    }
}

/// What makes one product of one layer a separate choice.
struct ChoiceKey {
    let geometry: ConvolutionGeometry
    let product: ConvolutionProduct
    /// The pass that runs it: training (exact sums), evaluation, or a fused consumer's variant.
    let role: String
    let capacity: Int
    let threads: Int
    let candidates: [String]

    var text: String {
        let g = geometry
        return "\(role) \(product) \(g.input.channels)x\(g.input.height)x\(g.input.width)"
            + " -> \(g.output.channels) k\(g.kernelHeight)x\(g.kernelWidth) s\(g.strideHeight)x\(g.strideWidth)"
            + " p\(g.padHeight)x\(g.padWidth) batch \(capacity) threads \(threads)"
            + " of \(candidates.joined(separator: ","))"
    }
}
