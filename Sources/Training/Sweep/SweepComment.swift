import Foundation

/// The `--comment` that tells a sweep's runs apart where their run folders would not: the
/// swept flags that the run name leaves out (batch_size, seed, momentum, ...), as
/// `batch_size=64_momentum=0.5`, appended to the command's own comment.
public enum SweepComment {
    /// The flags among `flags` that take two values in runs sharing a folder, given each run's
    /// values and its folder without the sweep's comment.
    public static func unnamedFlags(_ runs: [(values: [SweepValue], directory: String)], flags: [SweepFlag])
        -> [SweepFlag]
    {
        let byDirectory = Dictionary(grouping: runs, by: \.directory)
        return flags.filter { flag in
            byDirectory.values.contains { group in
                Set(group.map { run in run.values.first { $0.flag == flag }?.value }).count > 1
            }
        }
    }

    /// The comment of a run with `values`, naming `flags`; nil where `flags` is empty.
    public static func text(_ values: [SweepValue], flags: [SweepFlag], existing: String?) -> String? {
        // A comment is part of one folder name: a swept path's slashes become dashes.
        let named = values.filter { flags.contains($0.flag) }.map {
            "\($0.flag.name)=\($0.value.replacingOccurrences(of: "/", with: "-"))"
        }
        guard !named.isEmpty else { return existing }
        return ((existing.map { [$0] } ?? []) + named).joined(separator: "_")
    }
}
