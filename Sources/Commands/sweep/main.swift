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
            Runs whose folders the run name would not tell apart get a --comment naming the swept values.
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
        let commands = runs.map { [binary] + $0.arguments }
        try folder.write("commands", commands.map(shellCommandLine).joined(separator: "\n") + "\n")
        try folder.write("sweep.json", String(decoding: flags.json(), as: UTF8.self) + "\n")
        print("sweep: \(runs.count) runs in \(folder.path("commands"))")
        if flags.dryRun && flags.runner != .slurm {
            for command in commands { print(shellCommandLine(command)) }
            return
        }
        switch flags.runner {
        case .local:
            let failures = LocalRunner(jobs: flags.jobs).run(commands)
            guard failures.isEmpty else { throw .runsFailed(failures) }
        case .parallel:
            try ParallelRunner(jobs: flags.jobs, sshLoginFile: flags.sshLoginFile).run(folder: folder)
        case .slurm:
            try SlurmRunner(slurmArguments: flags.slurmArguments, wait: flags.wait, dryRun: flags.dryRun)
                .run(folder: folder, commands: commands)
        }
    }
}

Sweep.main()
