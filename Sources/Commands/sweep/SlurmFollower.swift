import Foundation
import Training

/// Where `--wait` reads a job array's task states: Slurm's accounting (sacct) where the cluster
/// keeps it, else the controller itself (scontrol), as on a cluster without slurmdbd, whose
/// sacct only says that accounting storage is disabled.
struct SlurmFollower {
    let job: String
    private let sacct: Program
    /// scontrol, once sacct has failed.
    private var controller: Program?

    init(job: String) throws(BenchError) {
        self.job = job
        sacct = try Program("sacct", neededFor: "--wait")
    }

    /// Seconds between two looks: accounting lags the scheduler by about 30 s; the controller
    /// knows a task's end at once.
    var pollSeconds: UInt32 { controller == nil ? 30 : 5 }

    /// The tasks' states now; the first failing sacct switches to scontrol for good.
    mutating func states() throws(BenchError) -> SlurmTaskStates {
        if let controller { return try Self.states(of: job, from: controller) }
        let (status, listing) = try sacct.run(["-X", "-n", "-P", "-o", "JobID,State,ExitCode", "-j", job])
        if status == 0 { return SlurmTaskStates(sacct: listing) }
        let scontrol = try Program("scontrol", neededFor: "--wait without Slurm accounting")
        let note = "sweep: sacct exited \(status): following job array \(job) through scontrol\n"
        FileHandle.standardError.write(Data(note.utf8))
        controller = scontrol
        return try Self.states(of: job, from: scontrol)
    }

    /// `scontrol show job -o JOB`; the controller forgets a job some minutes after its end
    /// (`MinJobAge`), long after the last look.
    static func states(of job: String, from scontrol: Program) throws(BenchError) -> SlurmTaskStates {
        let (status, listing) = try scontrol.run(["show", "job", "-o", job])
        guard status == 0 else {
            throw .runsFailed(["sweep: scontrol show job \(job) exited \(status): the controller has lost it"])
        }
        return SlurmTaskStates(scontrol: listing)
    }
}
