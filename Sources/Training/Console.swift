import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a run prints: a progress bar on a terminal, DTB's `step N, loss = ...` lines where
/// output goes to a file or a pipe (scripts, CI logs), and each epoch's numbers either way.
public struct Console {
    public let isTerminal: Bool
    public var quiet: Bool

    public init(quiet: Bool = false) {
        isTerminal = isatty(STDOUT_FILENO) != 0
        self.quiet = quiet
    }

    public func line(_ text: String) {
        guard !quiet else { return }
        print(text)
        fflush(nil)
    }

    public func step(_ step: Int, loss: Double, examplesPerSecond: Double, secondsPerBatch: Double) {
        guard !quiet, !isTerminal else { return }
        line(
            String(
                format: "%@: step %d, loss = %.6f (%.1f examples/sec; %.3f sec/batch)", Timestamp.now(), step, loss,
                examplesPerSecond, secondsPerBatch))
    }

    public func progress(
        epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, examplesPerSecond: Double,
        secondsLeft: Double
    ) {
        guard !quiet, isTerminal else { return }
        let width = 30, done = width * batch / max(batches, 1)
        let bar = String(repeating: "=", count: done) + String(repeating: " ", count: width - done)
        let left = Int(secondsLeft.rounded())
        print(
            String(
                format: "\repoch %d/%d [%@] %d/%d loss %.5f %.0f ex/s %d:%02d left ", epoch, epochs, bar, batch,
                batches, loss, examplesPerSecond, left / 60, left % 60), terminator: "")
        fflush(nil)
    }

    public func endProgress() {
        if !quiet, isTerminal { print("") }
    }

    /// Something the run goes on without (an unwritable cache), on standard error.
    public func warning(_ text: String) {
        FileHandle.standardError.write(Data(("warning: " + text + "\n").utf8))
    }

    public func error(_ text: String) {
        FileHandle.standardError.write(Data(("error: " + text + "\n").utf8))
    }
}
