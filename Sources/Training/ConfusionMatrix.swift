/// How a classifier's predictions fall over a labelled image set: `counts[t][p]` images of true
/// class t predicted as class p. The diagonal is what `Evaluator` counts correct, so
/// `accuracy` is its metric of the same predictions.
public struct ConfusionMatrix: Equatable, Sendable {
    public let classNames: [String]
    /// A row per true class, a column per predicted class.
    public let counts: [[Int]]

    public init(classNames: [String], counts: [[Int]]) {
        precondition(
            counts.count == classNames.count && counts.allSatisfy { $0.count == classNames.count },
            "a confusion matrix of \(classNames.count) classes")
        self.classNames = classNames
        self.counts = counts
    }

    /// From each image's true label and predicted class, in the same order; both must be class
    /// indices (the datasets and the loss already refuse labels outside the classes).
    public init(classNames: [String], truth: [Int32], predicted: [Int]) {
        precondition(truth.count == predicted.count, "\(truth.count) labels for \(predicted.count) predictions")
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classNames.count), count: classNames.count)
        for (t, p) in zip(truth, predicted) { counts[Int(t)][p] += 1 }
        self.init(classNames: classNames, counts: counts)
    }

    public var classes: Int { classNames.count }
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0..<classes).reduce(0) { $0 + counts[$1][$1] } }

    /// The share of images predicted right, NaN for an empty set, as `Evaluator` divides.
    public var accuracy: Double { Double(correct) / Double(total) }

    /// Images whose true class is `c`.
    public func support(of c: Int) -> Int { counts[c].reduce(0, +) }

    /// Class `c`'s accuracy (its recall): the share of its images predicted as `c`; nil when
    /// the set holds none of it.
    public func recall(of c: Int) -> Double? { rowShare(c, c) }

    /// Count `[t][p]` as a share of true class t's images; nil for a class without images.
    public func rowShare(_ t: Int, _ p: Int) -> Double? {
        let n = support(of: t)
        return n == 0 ? nil : Double(counts[t][p]) / Double(n)
    }
}
