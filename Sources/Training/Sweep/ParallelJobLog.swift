/// GNU parallel's `--joblog`: a header, then one tab-separated line a finished run (Seq Host
/// Starttime JobRuntime Send Receive Exitval Signal Command).
public struct ParallelJobLog: Sendable {
    /// One line for each run that exited non-zero or was killed, by its line in the commands file.
    public let failures: [String]

    public init(_ text: String) {
        failures = text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 8, omittingEmptySubsequences: false)
            guard fields.count == 9, fields[6] != "0" || fields[7] != "0" else { return nil }
            let how = fields[7] != "0" ? "killed by signal \(fields[7])" : "exit \(fields[6])"
            return "sweep: run \(fields[0]) failed (\(how)): \(fields[8])"
        }
    }
}
