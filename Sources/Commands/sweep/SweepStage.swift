/// One pass of a sweep's runs and the files it leaves in the sweep folder: every run, or, after a
/// rung of successive halving, the runs it kept, each pass with its commands file and its
/// runner's job log (GNU parallel) or job script (Slurm).
struct SweepStage {
    let commandsFile: String
    let jobLogFile: String
    let scriptFile: String

    static let all = SweepStage(commandsFile: "commands", jobLogFile: "joblog", scriptFile: "sweep.sbatch")
    static let kept = SweepStage(commandsFile: "kept_commands", jobLogFile: "kept_joblog", scriptFile: "kept.sbatch")
}
