import Foundation
import Training

/// The commands file as a Slurm job array: the script beside it, submitted with sbatch, and with
/// `--wait` followed through sacct to its end.
struct SlurmRunner {
    let slurmArguments: String?
    let wait: Bool
    let dryRun: Bool

    func run(folder: SweepFolder, stage: SweepStage, commands: [[String]]) throws(BenchError) {
        let array = SlurmJobArray(
            commandsPath: folder.path(stage.commandsFile), count: commands.count,
            workingDirectory: FileManager.default.currentDirectoryPath, outputDirectory: folder.directory)
        let script = folder.path(stage.scriptFile)
        try folder.write(stage.scriptFile, array.script)
        let sbatch = SlurmJobArray.sbatch(scriptPath: script, slurmArguments: slurmArguments)
        guard !dryRun else {
            print("sweep: wrote \(script)")
            print(shellCommandLine(sbatch))
            return
        }
        let program = try Program("sbatch", neededFor: "--runner slurm")
        let (status, output) = try program.run(Array(sbatch.dropFirst()))
        // --parsable prints "<job id>[;<cluster>]".
        guard status == 0, let job = output.split(separator: "\n").first?.split(separator: ";").first else {
            throw .runsFailed(["sweep: sbatch exited \(status): \(shellCommandLine(sbatch))"])
        }
        // Flushed at once: whoever reads a piped --wait needs the job id before the array ends.
        Console().line("sweep: submitted job array \(job) (\(commands.count) tasks)")
        guard wait else { return }
        var follower = try SlurmFollower(job: String(job))
        var states = SlurmTaskStates(tasks: [:])
        while true {
            states = states.updated(with: try follower.states())
            guard states.finished(count: commands.count) else {
                sleep(follower.pollSeconds)
                continue
            }
            let failed = states.failed.map { task in
                let how = "\(task.state), exit \(task.exitCode)"
                return "sweep: task \(task.task) failed (\(how)): \(shellCommandLine(commands[task.task]))"
            }
            guard failed.isEmpty else { throw .runsFailed(failed) }
            print("sweep: job array \(job) completed")
            return
        }
    }
}
