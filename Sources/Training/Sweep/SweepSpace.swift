import Engine

/// One flag's value in one run of a sweep.
public struct SweepValue: Equatable, Sendable {
    public let flag: SweepFlag
    public let value: String
}

/// What a sweep varies: `--grid FLAG=V1,V2,...` lists, and `--random N` samples of the
/// `--sample FLAG=DISTRIBUTION`s drawn from `--seed`, each sample crossed with the whole grid.
public struct SweepSpace: Sendable {
    public let grid: [(flag: SweepFlag, values: [String])]
    public let samples: [(flag: SweepFlag, distribution: SweepDistribution)]
    public let random: Int
    public let seed: UInt64

    /// The flags' texts as the command line gives them; usage errors name the flag.
    public init(grid: [String], samples: [String], random: Int?, seed: UInt64) throws(BenchError) {
        var seen: Set<String> = []
        func flag(_ text: String, option: String) throws(BenchError) -> (SweepFlag, String) {
            guard let equals = text.firstIndex(of: "=") else {
                throw .usage("\(option): '\(text)' must be FLAG=\(option == "--grid" ? "V1,V2,..." : "DISTRIBUTION")")
            }
            let name = String(text[..<equals])
            guard let flag = SweepFlag(name) else {
                throw .usage(
                    "\(option) \(name): not a training flag (without its dashes, e.g. batch_size) "
                        + "or an --optimizer_args key (e.g. learning_rate)")
            }
            guard seen.insert(name).inserted else { throw .usage("\(option) \(name): \(name) is swept twice") }
            return (flag, String(text[text.index(after: equals)...]))
        }
        var gridFlags: [(flag: SweepFlag, values: [String])] = []
        for text in grid {
            let (flag, rest) = try flag(text, option: "--grid")
            let values = try sweepValues(rest, name: "--grid \(flag.name)")
            if flag.kind == .boolean, let bad = values.first(where: { $0 != "true" && $0 != "false" }) {
                throw .usage("--grid \(flag.name): '\(bad)' must be true or false")
            }
            gridFlags.append((flag, values))
        }
        var sampleFlags: [(flag: SweepFlag, distribution: SweepDistribution)] = []
        for text in samples {
            let (flag, rest) = try flag(text, option: "--sample")
            let distribution = try SweepDistribution(rest, for: flag)
            if flag.kind == .boolean, case .choice(let values) = distribution,
                let bad = values.first(where: { $0 != "true" && $0 != "false" })
            {
                throw .usage("--sample \(flag.name): '\(bad)' must be true or false")
            }
            sampleFlags.append((flag, distribution))
        }
        switch (random, sampleFlags.isEmpty) {
        case (nil, false): throw .usage("--sample: needs --random N, the number of samples to draw")
        case (.some, true): throw .usage("--random: needs at least one --sample FLAG=DISTRIBUTION")
        case (.some(let n), false) where n < 1 || n > 100_000:
            throw .usage("--random: \(n) must be between 1 and 100000")
        case (nil, true) where gridFlags.isEmpty:
            throw .usage("sweep: nothing to sweep; give --grid FLAG=V1,V2,... or --random N --sample FLAG=...")
        default: break
        }
        self.grid = gridFlags
        self.samples = sampleFlags
        self.random = random ?? 0
        self.seed = seed
    }

    /// The swept flags: the grid's, then the samples', in the order given.
    public var flags: [SweepFlag] { grid.map(\.flag) + samples.map(\.flag) }

    /// Every run's values: each random sample (or none) crossed with the grid, the first
    /// `--grid` flag varying slowest; the same seed draws the same samples.
    public func runs() -> [[SweepValue]] {
        var generator = RandomGenerator(seed: seed)
        var drawn: [[SweepValue]] = []
        for _ in 0..<random {
            drawn.append(
                samples.map { SweepValue(flag: $0.flag, value: $0.distribution.draw(for: $0.flag, using: &generator)) })
        }
        if drawn.isEmpty { drawn = [[]] }
        var combinations: [[SweepValue]] = [[]]
        for (flag, values) in grid {
            combinations = combinations.flatMap { prefix in values.map { prefix + [SweepValue(flag: flag, value: $0)] }
            }
        }
        return drawn.flatMap { sample in combinations.map { $0 + sample } }
    }
}
