import Foundation
import Training

/// GNU parallel over the commands file: `--jobs` at a time, here or on the `--sshloginfile`
/// machines, which need the repository built at the same path (the file names binaries by it).
struct ParallelRunner {
    let jobs: Int
    let sshLoginFile: String?

    func run(folder: SweepFolder, stage: SweepStage) throws(BenchError) {
        let parallel = try Program("parallel", neededFor: "--runner parallel", install: "apt-get install parallel")
        // --halt never: a failed run does not stop the others; the job log names it afterwards.
        var arguments = [
            "--jobs", String(jobs), "--halt", "never", "--line-buffer", "--joblog", folder.path(stage.jobLogFile),
        ]
        if let sshLoginFile {
            arguments += ["--sshloginfile", sshLoginFile, "--workdir", FileManager.default.currentDirectoryPath]
        }
        let status = try parallel.run(arguments, input: folder.path(stage.commandsFile), captured: false).status
        guard status != 0 else { return }
        let log = (try? String(contentsOfFile: folder.path(stage.jobLogFile), encoding: .utf8)) ?? ""
        let failures = ParallelJobLog(log).failures
        throw .runsFailed(failures.isEmpty ? ["sweep: GNU parallel exited \(status)"] : failures)
    }
}
