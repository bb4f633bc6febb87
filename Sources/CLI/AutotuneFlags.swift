import ArgumentParser
import Foundation
import Training

/// `--autotune on|off`, for the commands that plan a network to train or time it. Its default is
/// `BENCH_AUTOTUNE` where that is set (the tests set it off), else on.
public struct AutotuneFlags: ParsableArguments {
    @Option(
        name: .customLong("autotune"),
        help: """
            on: time each layer's algorithms when planning and keep the fastest (cached per machine, \
            saved in the run folder); off: the fixed rules. (default: $BENCH_AUTOTUNE, else on)
            """)
    public var mode: AutotuneMode?

    public init() {}

    public func validate() throws {
        if let value = Self.environment, AutotuneMode(rawValue: value) == nil {
            throw ValidationError("BENCH_AUTOTUNE: '\(value)' must be on or off")
        }
    }

    private static var environment: String? { ProcessInfo.processInfo.environment["BENCH_AUTOTUNE"] }

    /// The flag, else the environment's default, else on.
    public var chosen: AutotuneMode { mode ?? Self.environment.flatMap(AutotuneMode.init(rawValue:)) ?? .on }
}

extension AutotuneMode: ExpressibleByArgument {}
