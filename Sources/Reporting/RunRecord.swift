import Foundation
import Training

/// Every run found under a log folder (`log` or `log/<MODEL>`), read back from its files:
/// what `compare_runs` tabulates and plots.
public struct RunRecord: Equatable {
    public var model: String
    public var name: String
    public var directory: String
    public var kind: String
    public var epochsDone: Int
    public var bestValidation: Double?
    public var test: Double?
    public var examplesPerSecond: Double?
    public var seconds: Double
    public var curve: [(epoch: Int, validation: Double)]
    /// The run's flags by name (see `columns(of:)`), and why it ended before its epochs, if it did.
    public var flags: [String: String]
    public var ended: EndedRun.Reason?

    public static func == (a: RunRecord, b: RunRecord) -> Bool { a.directory == b.directory }

    var higherIsBetter: Bool { kind == "accuracy" }

    /// Finds run folders (those with a flags.json) below `root`.
    public static func scan(_ root: String) -> [RunRecord] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [RunRecord] = []
        for case let relative as String in walker where relative.hasSuffix("flags.json") {
            let dir = root + "/" + String(relative.dropLast("/flags.json".count))
            if let record = read(dir) { found.append(record) }
        }
        return found
    }

    static func read(_ dir: String) -> RunRecord? {
        guard let saved = try? FlagsFile.read(dir + "/flags.json") else { return nil }
        let flags = saved.flags
        let lines = { (path: String) in
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        }
        let log = EpochsLog(runDirectory: dir)
        let rates = lines(dir + "/train/steps.csv").dropFirst().compactMap {
            $0.split(separator: ",").last.flatMap { Double($0) }
        }.sorted()
        var record = RunRecord(
            model: flags.model, name: flags.runName, directory: dir, kind: log.metric ?? "unknown",
            epochsDone: log.rows.count, bestValidation: log.best()?.value, test: nil,
            examplesPerSecond: rates.isEmpty ? nil : rates[rates.count / 2],
            seconds: log.rows.map(\.seconds).reduce(0, +), curve: log.rows.map { ($0.epoch, $0.validation) },
            flags: columns(of: flags), ended: (try? EndedRun.read(runDirectory: dir))?.reason)
        // The newest results line for this run in its log root.
        let prefix = " \(flags.model): \(flags.runName) "
        let logRoot = URL(fileURLWithPath: dir).deletingLastPathComponent().deletingLastPathComponent().path
        record.test = lines(logRoot + "/test_results.txt").last { $0.contains(prefix) }
            .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        return record
    }

    /// The run's flags under the names `sweep --grid` takes (`l2_penalty`, and each optimizer
    /// argument by its own name, `learning_rate`), less the two the table has columns for: the
    /// model, and the epochs (done, where the flag says how many were asked for).
    static func columns(of flags: RunConfiguration) -> [String: String] {
        var columns: [String: String] = [:]
        for (flag, value) in flags.flagValues where !["--model", "--epochs", "--optimizer_args"].contains(flag) {
            columns[String(flag.dropFirst(2))] = value
        }
        for (name, value) in flags.optimizer.arguments { columns[name] = value.description }
        return columns
    }

    /// Best first: highest accuracy, lowest error; runs without a metric last.
    public static func sorted(_ runs: [RunRecord]) -> [RunRecord] {
        runs.sorted { a, b in
            if a.kind != b.kind { return a.kind < b.kind }
            switch (a.bestValidation, b.bestValidation) {
            case (let x?, let y?): return a.higherIsBetter ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.directory < b.directory
            }
        }
    }
}

/// The comparison table as text, CSV or Markdown.
public enum RunTable {
    public enum Format: String, CaseIterable { case text, csv, markdown }

    static let header = [
        "model", "run", "metric", "epochs", "best_validation", "test", "examples_per_sec", "wall_seconds", "ended",
    ]

    /// The flags whose values are not all the same in `runs` (a flag a run does not have counts as
    /// a value of its own), sorted: the table's last columns, as DVC's `--only-changed` shows them.
    public static func changedFlags(_ runs: [RunRecord]) -> [String] {
        let names = Set(runs.flatMap(\.flags.keys))
        return names.filter { name in Set(runs.map { $0.flags[name] }).count > 1 }.sorted()
    }

    public static func render(_ runs: [RunRecord], as format: Format) -> String {
        let changed = changedFlags(runs)
        let header = header + changed
        let rows = runs.map { r -> [String] in
            let fixed: [String] = [
                r.model, r.name, r.kind, "\(r.epochsDone)", r.bestValidation.map { "\($0)" } ?? "-",
                r.test.map { "\($0)" } ?? "-",
                r.examplesPerSecond.map { String(format: "%.1f", $0) } ?? "-", String(format: "%.1f", r.seconds),
                r.ended?.rawValue ?? "-",
            ]
            return fixed + changed.map { r.flags[$0] ?? "-" }
        }
        switch format {
        case .csv:
            return ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            let lines =
                ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in " --- |" }.joined()]
                + rows.map { "| " + $0.joined(separator: " | ") + " |" }
            return lines.joined(separator: "\n") + "\n"
        case .text:
            let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max()! }
            return ([header] + rows).map { row in
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ")
            }.joined(separator: "\n") + "\n"
        }
    }

    /// The chosen runs' validation curves in one SVG.
    public static func plot(_ runs: [RunRecord]) -> String {
        SVGPlot(
            title: "validation \(runs.first?.kind ?? "metric")", xLabel: "epoch",
            series: runs.enumerated().map { i, r in
                (
                    "\(r.model)/\(r.name)", SVGPlot.palette[i % SVGPlot.palette.count],
                    r.curve.map { (Double($0.epoch), $0.validation) }
                )
            }
        ).svg
    }
}
