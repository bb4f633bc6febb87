/// A job array's tasks as Slurm reports them: from accounting (`sacct -X -n -P -o
/// JobID,State,ExitCode -j JOB`) or, on clusters without accounting, from the controller's
/// memory (`scontrol show job -o JOB`).
public struct SlurmTaskStates: Sendable {
    /// Each task's state and exit code (`1:0`), by task index; pending tasks Slurm has not split
    /// off yet (`123_[4-9]`) are missing.
    public let tasks: [Int: (state: String, exitCode: String)]

    public init(tasks: [Int: (state: String, exitCode: String)]) {
        self.tasks = tasks
    }

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

    /// `scontrol show job -o JOB`: one line a task, `KEY=VALUE` words (`ArrayTaskId=3 ...
    /// JobState=FAILED ... ExitCode=143:0`); the pending rest of the array is one line whose
    /// `ArrayTaskId` is a range (`2-3`), left out as sacct's is.
    public init(scontrol output: String) {
        var tasks: [Int: (state: String, exitCode: String)] = [:]
        for line in output.split(separator: "\n") {
            var fields: [Substring: Substring] = [:]
            for word in line.split(separator: " ") {
                guard let equals = word.firstIndex(of: "=") else { continue }
                fields[word[..<equals]] = word[word.index(after: equals)...]
            }
            guard let task = fields["ArrayTaskId"].flatMap({ Int($0) }), let state = fields["JobState"] else {
                continue
            }
            tasks[task] = (String(state), String(fields["ExitCode"] ?? ""))
        }
        self.tasks = tasks
    }

    /// These states, with `newer`'s where both know a task: the controller forgets a task some
    /// minutes after its end (`MinJobAge`), so a follower keeps what it saw.
    public func updated(with newer: SlurmTaskStates) -> SlurmTaskStates {
        SlurmTaskStates(tasks: tasks.merging(newer.tasks) { _, new in new })
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
