import ArgumentParser
import CLI
import Foundation
import Training

/// `sweep --grid l2_penalty=0,1e-4 -- train_autoencoder --model SingleLayerCAE ...`: runs a
/// training command over a grid and random samples of its flags, here, with GNU parallel or as a
/// Slurm job array.
struct Sweep: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a training command over a grid and random samples of its flags.",
        discussion: """
            The commands go to <log_dir>/sweeps/<time>/commands, one a line, with sweep.json beside them. \
            Runs whose folders the run name would not tell apart get a --comment naming the swept values. \
            With --stop_after E --keep F every run trains E epochs first; the best fraction F by validation \
            metric then train on (kept_commands) and the others are marked ended; rung.csv records which.
            """)

    @OptionGroup var flags: SweepFlags

    func execute() throws(BenchError) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Slurm tasks run on machines of their own: each keeps the default, every core it is given.
        let runs = try flags.plan(threads: flags.runner == .slurm ? nil : max(1, cores / flags.jobs))
        let binary = Bundle.main.executableURL!.resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(flags.command[0]).path
        // The runs use the training command built beside sweep (release beside release).
        if !flags.dryRun && !FileManager.default.isExecutableFile(atPath: binary) {
            throw .unavailable(
                "sweep: \(binary) is not built; swift build --product \(flags.command[0]) (with sweep's -c)")
        }
        let folder = try SweepFolder(logDirectory: flags.logDirectory)
        try folder.write("sweep.json", String(decoding: flags.json(), as: UTF8.self) + "\n")
        let rung = flags.rung
        // With successive halving every run trains the rung's epochs first, in the folder it keeps.
        let commands = runs.map { run in [binary] + (rung.map { run.arguments(epochs: $0.epochs) } ?? run.arguments) }
        var failures = try run(commands, stage: .all, in: folder)
        if let rung {
            guard !flags.dryRun else {
                print(
                    "sweep: then the best \(rung.fraction) of the runs by validation metric train on to their --epochs")
                return
            }
            let decision = rung.decide(
                try runs.map { run throws(BenchError) in try RungStanding.read(runDirectory: run.directory) })
            try folder.write("rung.csv", decision.csv)
            for line in decision.report { print(line) }
            try decision.mark()
            let kept = runs.filter { decision.kept.contains($0.directory) }.map { [binary] + $0.arguments }
            if !kept.isEmpty { failures += try run(kept, stage: .kept, in: folder) }
        }
        guard failures.isEmpty else { throw .runsFailed(failures) }
    }

    /// Writes the stage's commands file and hands it to the runner (or, with --dry-run, prints
    /// it); the lines naming the runs that failed.
    private func run(_ commands: [[String]], stage: SweepStage, in folder: SweepFolder) throws(BenchError)
        -> [String]
    {
        try folder.write(stage.commandsFile, commands.map(shellCommandLine).joined(separator: "\n") + "\n")
        // Flushed at once: the runs' own output follows it into the same pipe or file.
        Console().line("sweep: \(commands.count) runs in \(folder.path(stage.commandsFile))")
        if flags.dryRun && flags.runner != .slurm {
            for command in commands { print(shellCommandLine(command)) }
            return []
        }
        do throws(BenchError) {
            switch flags.runner {
            case .local:
                return LocalRunner(jobs: flags.jobs).run(commands)
            case .parallel:
                try ParallelRunner(jobs: flags.jobs, sshLoginFile: flags.sshLoginFile).run(folder: folder, stage: stage)
            case .slurm:
                try SlurmRunner(slurmArguments: flags.slurmArguments, wait: flags.wait, dryRun: flags.dryRun)
                    .run(folder: folder, stage: stage, commands: commands)
            }
        } catch {
            guard case .runsFailed(let lines) = error else { throw error }
            return lines
        }
        return []
    }
}

Sweep.main()
