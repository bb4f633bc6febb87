import Engine
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

@Suite struct BlobsTests {
    /// Counts 4-connected bright regions: the label must be the number of discs drawn.
    func regions(_ image: ArraySlice<UInt8>, side: Int) -> Int {
        var seen = [Bool](repeating: false, count: side * side)
        let pixels = Array(image)
        var count = 0
        for start in 0..<(side * side) where pixels[start] > 0 && !seen[start] {
            count += 1
            var stack = [start]
            seen[start] = true
            while let p = stack.popLast() {
                let (y, x) = (p / side, p % side)
                for (dy, dx) in [(0, 1), (1, 0), (0, -1), (-1, 0)] {
                    let (ny, nx) = (y + dy, x + dx)
                    guard ny >= 0, ny < side, nx >= 0, nx < side else { continue }
                    let q = ny * side + nx
                    if pixels[q] > 0 && !seen[q] { seen[q] = true; stack.append(q) }
                }
            }
        }
        return count
    }

    @Test func labelsCountTheDiscsAndTheSeedReproducesThem() throws {
        let options = DatasetOptions(seed: 5, syntheticCounts: (60, 10, 10), syntheticSide: 28)
        let data = try Blobs.load(options)
        #expect(data.train.count == 60 && data.validation.count == 10 && data.test.count == 10)
        for i in 0..<data.train.count {
            let image = data.train.pixels.byteValues[(i * 784)..<((i + 1) * 784)]
            #expect(regions(image, side: 28) == Int(data.train.labels[i]), "image \(i)")
        }
        #expect(Set(data.train.labels).count >= 4, "labels should vary: \(Set(data.train.labels))")
        let again = try Blobs.load(options)
        #expect(again.train.pixels == data.train.pixels && again.test.labels == data.test.labels)
        let other = try Blobs.load(DatasetOptions(seed: 6, syntheticCounts: (60, 10, 10)))
        #expect(other.train.pixels != data.train.pixels)
    }

    @Test func registryFindsEveryDatasetByName() {
        #expect(Datasets.names == ["MNIST", "FashionMNIST", "Cifar10", "Cifar100", "Blobs", "ImageFolder", "NumPy"])
        #expect(Datasets.named("fashionmnist")?.name == "FashionMNIST")
        #expect(Datasets.named("ImageNet") == nil)
    }
}

@Suite struct BatcherTests {
    let set = ImageSet(
        shape: Shape(1, 2, 3), pixels: (0..<(10 * 6)).map { UInt8($0 * 4) }, labels: (0..<10).map { Int32($0) })

    @Test func anEpochVisitsEveryImageOnceWithAPartialLastBatch() {
        var batcher = Batcher(set, batchSize: 4)
        var g = RandomGenerator(seed: 3)
        batcher.shuffle(using: &g)
        #expect(batcher.batchesPerEpoch == 3)
        let input = Tensor(shape: set.shape, capacity: 4)
        var labels = [Int32](repeating: -1, count: 4)
        var seen: [Int32] = []
        for b in 0..<3 {
            let n = batcher.fill(batch: b, into: input, labels: &labels, range: .zeroToOne)
            #expect(n == (b < 2 ? 4 : 2))
            for i in 0..<n {
                // Pixel 0 of image k is 24k, scaled to [0, 1].
                #expect(abs(input.sample(i)[0] - Float(labels[i] * 24) / 255) < 1e-6)
            }
            seen += labels[0..<n]
        }
        #expect(seen.sorted() == (0..<10).map { Int32($0) })
        #expect(seen != (0..<10).map { Int32($0) }, "shuffled")
    }

    @Test func scalesToMinusOneToOne() {
        let batcher = Batcher(set, batchSize: 10)
        let input = Tensor(shape: set.shape, capacity: 10)
        _ = batcher.fill(batch: 0, into: input, labels: nil, range: .minusOneToOne)
        #expect(input.sample(0)[0] == -1)
        #expect(abs(input.sample(9)[5] - (Float(59 * 4) * 2 / 255 - 1)) < 1e-6)
    }

    /// Float intensities x fill a batch as the bytes 255x do: x in [0, 1], 2x - 1 in [-1, 1].
    @Test func floatIntensitiesScaleAsTheirBytes() {
        // The set's bytes are 4k for value k.
        let floats = ImageSet(
            shape: set.shape, pixels: .intensities((0..<60).map { Float($0 * 4) / 255 }[...]), labels: set.labels)
        for range in [PixelRange.zeroToOne, .minusOneToOne] {
            let a = Tensor(shape: set.shape, capacity: 10), b = Tensor(shape: set.shape, capacity: 10)
            _ = Batcher(set, batchSize: 10).fill(batch: 0, into: a, labels: nil, range: range)
            _ = Batcher(floats, batchSize: 10).fill(batch: 0, into: b, labels: nil, range: range)
            for k in 0..<60 { #expect(abs(a.sample(0)[k] - b.sample(0)[k]) < 1e-6, "\(range) value \(k)") }
        }
    }
}
