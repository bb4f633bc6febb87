/// A Slurm job array over a sweep's commands file: task K runs line K+1.
public struct SlurmJobArray: Equatable, Sendable {
    /// The commands file, its number of lines, and where the tasks start and write their output.
    public let commandsPath: String
    public let count: Int
    public let workingDirectory: String
    public let outputDirectory: String

    public init(commandsPath: String, count: Int, workingDirectory: String, outputDirectory: String) {
        self.commandsPath = commandsPath
        self.count = count
        self.workingDirectory = workingDirectory
        self.outputDirectory = outputDirectory
    }

    /// The script `sbatch` submits.
    public var script: String {
        """
        #!/usr/bin/env bash
        #SBATCH --job-name=sweep
        #SBATCH --array=0-\(count - 1)
        #SBATCH --output=\(outputDirectory)/slurm-%A_%a.out
        # Slurm sends SIGTERM at the time limit: the run saves a checkpoint and exits 143, and
        # resubmitting resumes it. exec makes the run the batch step itself, so that the step ends with
        # its exit status and scancel --signal=TERM --batch reaches the run, not a shell around it.
        cd \(shellQuoted(workingDirectory)) || exit 1
        eval "exec $(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" \(shellQuoted(commandsPath)))"

        """
    }

    /// The command that submits `scriptPath`, with `--slurm_args` (split at spaces) before it;
    /// `--parsable` makes sbatch print the job id alone.
    public static func sbatch(scriptPath: String, slurmArguments: String?) -> [String] {
        ["sbatch", "--parsable"] + (slurmArguments ?? "").split(separator: " ").map(String.init) + [scriptPath]
    }
}
