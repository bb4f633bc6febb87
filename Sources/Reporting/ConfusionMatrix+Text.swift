import Training

extension ConfusionMatrix {
    /// What `evaluate_classifier --all` prints for a split: the matrix with its heading, then
    /// each class's accuracy (recall).
    public func report(split: String) -> String {
        "\(split) confusion matrix (rows: true class, columns: predicted class):\n" + table
            + "\(split) accuracy of each class (recall):\n" + recallLines.map { "  " + $0 + "\n" }.joined()
    }

    /// The counts as aligned text, one line each: a header of the predicted classes' names, then
    /// a row per true class, its name first; numbers right-aligned under their names.
    public var table: String {
        let corner = "true \\ predicted"
        let first = max(corner.count, classNames.map(\.count).max() ?? 0)
        let widths = (0..<classes).map { p in
            max(classNames[p].count, counts.map { String($0[p]).count }.max() ?? 1)
        }
        func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        var lines = [padded(corner, first, left: true) + zip(classNames, widths).map { "  " + padded($0, $1) }.joined()]
        for (t, row) in counts.enumerated() {
            lines.append(
                padded(classNames[t], first, left: true)
                    + zip(row, widths).map { "  " + padded(String($0), $1) }.joined())
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// `recall of <class> = <share> (<right> of <images>)`, the share in full (Python's
    /// `str(float)`), or `recall of <class>: no images` for a class the set lacks.
    public var recallLines: [String] {
        (0..<classes).map { c in
            guard let recall = recall(of: c) else { return "recall of \(classNames[c]): no images" }
            return "recall of \(classNames[c]) = \(pythonFloat(recall)) (\(counts[c][c]) of \(support(of: c)))"
        }
    }
}
