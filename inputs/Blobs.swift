import DataIO
import Engine
import Plugins

/// Seed 002's synthetic counting task: grey images with up to five filled discs placed at
/// random without touching; the label is how many there are. Generated from the run's seed,
/// so it needs no files.
public enum Blobs: DatasetPlugin {
    public static let name = "Blobs"
    public static let summary = "synthetic discs to count, generated from --seed (no files)"
    public static let maximumBlobs = 5
    static let defaultCounts = (train: 11_000, validation: 1_000, test: 2_000)

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        let side = options.syntheticSide ?? 28
        guard side >= 12 else { throw .malformed("Blobs", "image side \(side) is below 12 pixels") }
        let counts = options.syntheticCounts ?? defaultCounts
        let root = RandomGenerator(seed: options.seed)
        return DatasetSplits(
            name: name,
            train: generate(counts.train, side: side, generator: root.derived(1)),
            validation: generate(counts.validation, side: side, generator: root.derived(2)),
            test: generate(counts.test, side: side, generator: root.derived(3)),
            classNames: (0...maximumBlobs).map { "\($0) blobs" })
    }

    static func generate(_ count: Int, side: Int, generator: RandomGenerator) -> ImageSet {
        var g = generator
        var pixels = [UInt8](repeating: 0, count: count * side * side)
        var labels = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            let wanted = Int(g.next() % UInt64(maximumBlobs + 1))
            var discs: [(y: Int, x: Int, r: Int)] = []
            var tries = 0
            while discs.count < wanted && tries < 200 {
                tries += 1
                let r = 2 + Int(g.next() % UInt64(max(1, side / 10)))
                let y = r + Int(g.next() % UInt64(side - 2 * r)), x = r + Int(g.next() % UInt64(side - 2 * r))
                let apart = discs.allSatisfy { d in
                    let (dy, dx) = (d.y - y, d.x - x)
                    return dy * dy + dx * dx > (d.r + r + 2) * (d.r + r + 2)
                }
                if apart { discs.append((y, x, r)) }
            }
            for d in discs {
                for y in (d.y - d.r)...(d.y + d.r) {
                    for x in (d.x - d.r)...(d.x + d.r) where (y - d.y) * (y - d.y) + (x - d.x) * (x - d.x) <= d.r * d.r
                    {
                        pixels[i * side * side + y * side + x] = 255
                    }
                }
            }
            labels[i] = Int32(discs.count)
        }
        return ImageSet(shape: Shape(1, side, side), pixels: pixels, labels: labels)
    }
}
