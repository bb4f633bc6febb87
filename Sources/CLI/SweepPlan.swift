import Training

/// One run of a sweep: its swept values, the training command's flags, the run folder they
/// make and the epochs they train.
public struct SweepRun: Equatable, Sendable {
    public let values: [SweepValue]
    public let arguments: [String]
    public let directory: String
    public let epochs: Int

    init(values: [SweepValue], arguments: SweepArguments, configuration: RunConfiguration) {
        self.values = values
        self.arguments = arguments.flags
        directory = configuration.runDirectory
        epochs = configuration.epochs
    }

    /// The flags of the first rung of successive halving: the same run, `epochs` epochs long.
    public func arguments(epochs: Int) -> [String] {
        var arguments = SweepArguments(arguments)
        arguments.set("epochs", String(epochs))
        return arguments.flags
    }
}

extension SweepFlags {
    /// Every run of the sweep, each command checked by the training command's own parser, so that
    /// a bad value stops the sweep before anything runs. Runs get `threads` threads unless the
    /// command sets --threads; runs their folders would not tell apart get a --comment that does.
    public func plan(threads: Int?) throws(BenchError) -> [SweepRun] {
        let space = try space()
        var runs: [SweepRun] = []
        for values in space.runs() {
            var arguments = baseArguments
            try arguments.set(values)
            if let threads, !arguments.contains("threads") { arguments.set("threads", String(threads)) }
            runs.append(
                SweepRun(values: values, arguments: arguments, configuration: try configuration(arguments, values)))
        }
        let unnamed = SweepComment.unnamedFlags(runs.map { ($0.values, $0.directory) }, flags: space.flags)
        if !unnamed.isEmpty {
            runs = try runs.map { run throws(BenchError) in
                var arguments = SweepArguments(run.arguments)
                if let comment = SweepComment.text(run.values, flags: unnamed, existing: arguments.value(of: "comment"))
                {
                    arguments.set("comment", comment)
                }
                return SweepRun(
                    values: run.values, arguments: arguments, configuration: try configuration(arguments, run.values))
            }
        }
        // A choice drawn twice is the same run: it runs once.
        var unique: [SweepRun] = []
        for run in runs where !unique.contains(where: { $0.arguments == run.arguments }) {
            if let other = unique.first(where: { $0.directory == run.directory }) {
                let runs = "\(Self.describe(other.values)) and \(Self.describe(run.values))"
                throw .usage("sweep: \(runs) would share \(run.directory)")
            }
            unique.append(run)
        }
        if let stopAfter, let short = unique.first(where: { $0.epochs <= stopAfter }) {
            let run = unique.count > 1 ? " of the run \(Self.describe(short.values))" : ""
            throw .usage("--stop_after: \(stopAfter) must be below the --epochs\(run) (\(short.epochs))")
        }
        return unique
    }

    /// The run the training command with `arguments` defines, or its usage error.
    private func configuration(_ arguments: SweepArguments, _ values: [SweepValue]) throws(BenchError)
        -> RunConfiguration
    {
        do {
            return try command.first == "train_classifier"
                ? Self.configuration(TrainingFlags<Classifiers>.self, arguments.flags)
                : Self.configuration(TrainingFlags<Autoencoders>.self, arguments.flags)
        } catch {
            throw .usage("sweep: the run \(Self.describe(values)): \(error.description)")
        }
    }

    private static func configuration<Choices>(_ flags: TrainingFlags<Choices>.Type, _ arguments: [String])
        throws(BenchError) -> RunConfiguration
    {
        let parsed: TrainingFlags<Choices>
        do { parsed = try flags.parse(arguments) } catch { throw .usage(oneLine(flags.message(for: error))) }
        return try parsed.configuration()
    }

    static func describe(_ values: [SweepValue]) -> String {
        values.isEmpty ? "(no swept values)" : values.map { "\($0.flag.name)=\($0.value)" }.joined(separator: " ")
    }
}
