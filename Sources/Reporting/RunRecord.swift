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
        let epochsCSV = lines(dir + "/validation/epochs.csv")
        let kind =
            epochsCSV.first.map { $0.hasSuffix("validation_accuracy,seconds") ? "accuracy" : "reconstruction_error" }
            ?? "unknown"
        let rows = epochsCSV.dropFirst().map { $0.split(separator: ",") }.filter { $0.count == 4 }
        let curve = rows.compactMap { r in Int(r[0]).flatMap { e in Double(r[2]).map { (epoch: e, validation: $0) } } }
        let seconds = rows.compactMap { Double($0[3]) }.reduce(0, +)
        let rates = lines(dir + "/train/steps.csv").dropFirst().compactMap {
            $0.split(separator: ",").last.flatMap { Double($0) }
        }.sorted()
        var record = RunRecord(
            model: flags.model, name: flags.runName, directory: dir, kind: kind, epochsDone: rows.count,
            bestValidation: nil, test: nil, examplesPerSecond: rates.isEmpty ? nil : rates[rates.count / 2],
            seconds: seconds, curve: curve)
        let values = curve.map(\.validation)
        record.bestValidation = record.higherIsBetter ? values.max() : values.min()
        // The newest results line for this run in its log root.
        let prefix = " \(flags.model): \(flags.runName) "
        let logRoot = URL(fileURLWithPath: dir).deletingLastPathComponent().deletingLastPathComponent().path
        record.test = lines(logRoot + "/test_results.txt").last { $0.contains(prefix) }
            .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        return record
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
        "model", "run", "metric", "epochs", "best_validation", "test", "examples_per_sec", "wall_seconds",
    ]

    public static func render(_ runs: [RunRecord], as format: Format) -> String {
        let rows = runs.map { r in
            [
                r.model, r.name, r.kind, "\(r.epochsDone)", r.bestValidation.map { "\($0)" } ?? "-",
                r.test.map { "\($0)" } ?? "-",
                r.examplesPerSecond.map { String(format: "%.1f", $0) } ?? "-", String(format: "%.1f", r.seconds),
            ]
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

    private static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
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
