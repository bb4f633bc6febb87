import ArgumentParser
import Foundation

/// `--threads --quiet`, which every command that runs a network takes.
public struct CommonFlags: ParsableArguments {
    @Option(name: .customLong("threads"), help: "Threads to run on (default: every core).")
    public var threads = min(ProcessInfo.processInfo.activeProcessorCount, 256)

    @Flag(name: .customLong("quiet"), help: "Print only errors and the final results.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        guard threads > 0, threads <= 256 else {
            throw ValidationError("--threads: \(threads) must be between 1 and 256")
        }
    }
}
