import Engine

/// The validation split of an image folder without `validation/`: one twelfth of each class's
/// images (rounded down), drawn by the run's seed, so that every class validates in proportion;
/// taking the last twelfth of the files would validate on the last classes alone.
public enum ClassBalancedSplit {
    /// The positions (into `labels`) that train and those that validate, each in ascending order.
    public static func positions(labels: [Int32], seed: UInt64) -> (train: [Int], validation: [Int]) {
        var byClass: [Int32: [Int]] = [:]
        for (i, label) in labels.enumerated() { byClass[label, default: []].append(i) }
        var validation: [Int] = []
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            var generator = RandomGenerator(seed: seed).derived(UInt64(bitPattern: Int64(label)) &+ 0x5eed)
            members.shuffle(using: &generator)
            validation += members.prefix(members.count / 12)
        }
        validation.sort()
        var chosen = [Bool](repeating: false, count: labels.count)
        for i in validation { chosen[i] = true }
        return (labels.indices.filter { !chosen[$0] }, validation)
    }
}
