import ArgumentParser

/// A `sweep --runner` value: where the runs go.
public enum SweepRunnerChoice: String, ExpressibleByArgument, CaseIterable, Codable, Sendable {
    /// `--jobs` at a time on this machine.
    case local
    /// GNU parallel, on this machine or the machines of `--sshloginfile`.
    case parallel
    /// A Slurm job array.
    case slurm
}
