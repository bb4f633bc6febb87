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
        # Slurm sends SIGTERM at the time limit: the run saves a checkpoint, and resubmitting resumes it.
        cd \(shellQuoted(workingDirectory)) || exit 1
        eval "$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" \(shellQuoted(commandsPath)))"

        """
    }

    /// The command that submits `scriptPath`, with `--slurm_args` (split at spaces) before it;
    /// `--parsable` makes sbatch print the job id alone.
    public static func sbatch(scriptPath: String, slurmArguments: String?) -> [String] {
        ["sbatch", "--parsable"] + (slurmArguments ?? "").split(separator: " ").map(String.init) + [scriptPath]
    }
}

/// A job array's tasks as `sacct -X -n -P -o JobID,State,ExitCode -j JOB` lists them.
public struct SlurmTaskStates: Sendable {
    /// Each task's state and exit code (`1:0`), by task index; pending tasks Slurm has not split
    /// off yet (`123_[4-9]`) are missing.
    public let tasks: [Int: (state: String, exitCode: String)]

    public init(sacct output: String) {
        var tasks: [Int: (state: String, exitCode: String)] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, let underscore = fields[0].lastIndex(of: "_"),
                let task = Int(fields[0][fields[0].index(after: underscore)...])
            else { continue }
            // "CANCELLED by 1000" is CANCELLED.
            tasks[task] = (String(fields[1].split(separator: " ").first ?? ""), fields[2])
        }
        self.tasks = tasks
    }

    /// States a task does not leave.
    static let finalStates: Set<String> = [
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL",
        "DEADLINE",
    ]

    /// Whether all of `count` tasks have ended.
    public func finished(count: Int) -> Bool {
        (0..<count).allSatisfy { tasks[$0].map { Self.finalStates.contains($0.state) } ?? false }
    }

    /// The tasks that ended otherwise than COMPLETED, by index.
    public var failed: [(task: Int, state: String, exitCode: String)] {
        tasks.filter { $0.value.state != "COMPLETED" && Self.finalStates.contains($0.value.state) }
            .map { ($0.key, $0.value.state, $0.value.exitCode) }.sorted { $0.task < $1.task }
    }
}
