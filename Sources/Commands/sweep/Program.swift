import Foundation
import Training

/// A program the sweep hands its runs to (GNU parallel, sbatch, sacct), found on PATH.
struct Program {
    let path: String

    /// `name` on PATH; exit 69 naming `why` and how to `install` it where it is not installed.
    init(_ name: String, neededFor why: String, install: String? = nil) throws(BenchError) {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        guard let found = directories.map({ "\($0)/\(name)" }).first(where: FileManager.default.isExecutableFile)
        else {
            throw .unavailable("sweep: \(why) needs \(name), which is not on PATH" + (install.map { " (\($0))" } ?? ""))
        }
        path = found
    }

    /// Runs with `arguments` to the end, standard input from `input` (else the sweep's), standard
    /// error to the sweep's; the exit status and standard output, where it is `captured` (else it
    /// goes to the sweep's as it comes).
    func run(_ arguments: [String], input: String? = nil, captured: Bool = true) throws(BenchError) -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        if captured { process.standardOutput = output }
        do {
            if let input { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input)) }
            try process.run()
        } catch {
            throw .unavailable("sweep: \(path) did not start: \(error.localizedDescription)")
        }
        let data = captured ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
