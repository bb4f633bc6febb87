import Foundation

/// DTB's `validation_results.txt` and `test_results.txt` in the log root: one
/// `<date time> <model>: <run name> <value>` line per finished run.
enum ResultsFile {
    /// Appends `<date time> <entry>` unless the file's last line for this run already says the
    /// same (a run killed after writing its results, before recording that, writes them once).
    static func append(_ entry: String, to path: String) throws(BenchError) {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let run = entry[..<entry.lastIndex(of: " ")!]
        if let last = existing.split(separator: "\n").last(where: { $0.dropFirst(20).hasPrefix(run + " ") }),
            last.dropFirst(20) == entry
        {
            return
        }
        try AtomicFile.appendLine("\(Timestamp.now()) \(entry)", to: path)
    }
}
