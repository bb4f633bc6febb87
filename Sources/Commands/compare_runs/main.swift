import ArgumentParser
import CLI
import DataIO
import Reporting
import Training

extension RunTable.Format: ExpressibleByArgument {}

/// `compare_runs [log/<MODEL> | log]`: every run found, best first, as a table; and optionally
/// one plot of the chosen runs' validation curves.
struct CompareRuns: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare_runs",
        abstract: "Tabulate the runs under a log folder (name, epochs, best validation, test, examples/sec, wall time)."
    )

    @Argument(help: "A log root or one model's folder in it.")
    var root = "log"

    @Option(name: .customLong("format"), help: "The table's format.")
    var format = RunTable.Format.text

    @Option(name: .customLong("match"), help: "Only runs whose model/name contains this text.")
    var match: String?

    @Option(name: .customLong("plot"), help: "Write the chosen runs' validation curves to this SVG file.")
    var plot: String?

    func execute() throws(BenchError) {
        guard FileBytes.isDirectory(root) else { throw .file(.missing(root, "no such log folder")) }
        var runs = RunRecord.sorted(RunRecord.scan(root))
        if let match { runs = runs.filter { "\($0.model)/\($0.name)".contains(match) } }
        guard !runs.isEmpty else { throw .file(.missing(root, "no run folders (with flags.json) here")) }
        print(RunTable.render(runs, as: format), terminator: "")
        if let plot { try AtomicFile.write(RunTable.plot(runs), to: plot) }
    }
}

CompareRuns.main()
