import Foundation
import Training

/// Runs commands `jobs` at a time on this machine, their output going to the sweep's own.
final class LocalRunner: @unchecked Sendable {
    let jobs: Int
    private let lock = NSLock()
    private var failures: [(index: Int, line: String)] = []

    init(jobs: Int) { self.jobs = jobs }

    /// Runs every command; one line for each that failed, in the commands file's order.
    func run(_ commands: [[String]]) -> [String] {
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()
        for (index, command) in commands.enumerated() {
            slots.wait()
            group.enter()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            process.terminationHandler = { [self] process in
                let signalled = process.terminationReason == .uncaughtSignal
                if process.terminationStatus != 0 {
                    let how = signalled ? "killed by signal" : "exit"
                    fail(
                        index,
                        "sweep: run \(index + 1) failed (\(how) \(process.terminationStatus)): "
                            + shellCommandLine(command))
                }
                slots.signal()
                group.leave()
            }
            do {
                try process.run()
            } catch {
                fail(
                    index,
                    "sweep: run \(index + 1) did not start (\(error.localizedDescription)): "
                        + shellCommandLine(command))
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        return lock.withLock { failures }.sorted { $0.index < $1.index }.map(\.line)
    }

    private func fail(_ index: Int, _ line: String) {
        lock.withLock { failures.append((index, line)) }
    }
}
