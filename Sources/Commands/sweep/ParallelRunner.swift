import Foundation
import Training

/// GNU parallel over the commands file: `--jobs` at a time, here or on the `--sshloginfile`
/// machines, which need the repository built at the same path (the file names binaries by it).
struct ParallelRunner {
    let jobs: Int
    let sshLoginFile: String?

    func run(folder: SweepFolder) throws(BenchError) {
        let parallel = try Program("parallel", neededFor: "--runner parallel (GNU parallel: apt-get install parallel)")
        // --halt never: a failed run does not stop the others; the job log names it afterwards.
        var arguments = ["--jobs", String(jobs), "--halt", "never", "--line-buffer", "--joblog", folder.path("joblog")]
        if let sshLoginFile {
            arguments += ["--sshloginfile", sshLoginFile, "--workdir", FileManager.default.currentDirectoryPath]
        }
        let (status, output) = try parallel.run(arguments, input: folder.path("commands"))
        print(output, terminator: "")
        guard status != 0 else { return }
        let log = (try? String(contentsOfFile: folder.path("joblog"), encoding: .utf8)) ?? ""
        throw .runsFailed(Self.failures(jobLog: log, status: status))
    }

    /// One line for each run the job log records as failed (its columns: Seq Host Starttime
    /// JobRuntime Send Receive Exitval Signal Command); parallel's own status where it has none.
    static func failures(jobLog: String, status: Int32) -> [String] {
        let failed = jobLog.split(separator: "\n").dropFirst().compactMap { line -> String? in
            let fields = line.split(separator: "\t", maxSplits: 8, omittingEmptySubsequences: false)
            guard fields.count == 9, fields[6] != "0" || fields[7] != "0" else { return nil }
            let how = fields[7] != "0" ? "killed by signal \(fields[7])" : "exit \(fields[6])"
            return "sweep: run \(fields[0]) failed (\(how)): \(fields[8])"
        }
        return failed.isEmpty ? ["sweep: GNU parallel exited \(status)"] : failed
    }
}
