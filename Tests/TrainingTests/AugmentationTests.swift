import Models
import Plugins
import Testing

@testable import Engine
@testable import Training

/// `--augment`: flip mirrors exactly, crop:P keeps the size and moves the content by at most P
/// pixels with black filling in, and a step's draws depend on the seed and the step alone.
@Suite struct AugmentationTests {
    /// Image `index` of `count` distinct values, none of them the fill (-1).
    static func image(_ shape: Shape, index: Int = 0) -> [Float] {
        (0..<shape.count).map { Float(index * shape.count + $0) / 1000 }
    }

    /// `values` moved by (dy, dx) out of place, the uncovered pixels `fill`.
    static func shifted(_ values: [Float], _ shape: Shape, dy: Int, dx: Int, fill: Float) -> [Float] {
        var out = [Float](repeating: fill, count: values.count)
        for c in 0..<shape.channels {
            for y in 0..<shape.height {
                for x in 0..<shape.width {
                    let (sy, sx) = (y - dy, x - dx)
                    guard sy >= 0, sy < shape.height, sx >= 0, sx < shape.width else { continue }
                    out[(c * shape.height + y) * shape.width + x] = values[(c * shape.height + sy) * shape.width + sx]
                }
            }
        }
        return out
    }

    static func mirrored(_ values: [Float], _ shape: Shape) -> [Float] {
        (0..<values.count).map { i in
            let x = i % shape.width
            return values[i - x + shape.width - 1 - x]
        }
    }

    @Test func flipMirrorsEveryRowOfEveryChannelExactly() {
        let shape = Shape(2, 3, 5)
        let original = Self.image(shape)
        var values = original
        values.withUnsafeMutableBufferPointer {
            Augmentation(flip: true).apply(to: $0.baseAddress!, shape: shape, draw: 1, fill: -1)
        }
        #expect(values == Self.mirrored(original, shape))
        #expect(values[0] == original[4] && values[5 * 3] == original[5 * 3 + 4])
        values.withUnsafeMutableBufferPointer {
            Augmentation(flip: true).apply(to: $0.baseAddress!, shape: shape, draw: 2, fill: -1)
        }
        #expect(values == Self.mirrored(original, shape), "an even draw leaves the image as it is")
    }

    /// Every shift, including the in-place moves that overlap, against an out-of-place copy.
    @Test func shiftMovesThePlaneAndFillsWhatItUncovers() {
        let shape = Shape(1, 5, 6)
        let original = Self.image(shape)
        for dy in -6...6 {
            for dx in -7...7 {
                var values = original
                values.withUnsafeMutableBufferPointer {
                    Augmentation.shift($0.baseAddress!, height: 5, width: 6, dy: dy, dx: dx, fill: -1)
                }
                #expect(values == Self.shifted(original, shape, dy: dy, dx: dx, fill: -1), "dy \(dy), dx \(dx)")
            }
        }
    }

    @Test func cropKeepsTheSizeAndShiftsByAtMostPWithBlackFill() {
        let shape = Shape(3, 6, 7)
        let original = Self.image(shape)
        var seen = Set<[Int]>()
        for draw in 0..<400 {
            var values = original + [42]
            let bits = RandomGenerator.splitMix(7, draw)
            values.withUnsafeMutableBufferPointer {
                Augmentation(crop: 2).apply(to: $0.baseAddress!, shape: shape, draw: bits, fill: -1)
            }
            #expect(values.last == 42, "wrote past the image")
            let result = Array(values.dropLast())
            let matches = (-2...2).flatMap { dy in (-2...2).map { dx in [dy, dx] } }.filter {
                result == Self.shifted(original, shape, dy: $0[0], dx: $0[1], fill: -1)
            }
            #expect(matches.count == 1, "draw \(draw): not one shift of at most 2 pixels")
            seen.formUnion(matches)
        }
        #expect(seen.count == 25, "every shift in -2...2 both ways: \(seen.count) seen")
    }

    @Test func offsetsAreUniformOverMinusPToP() {
        var counts = [Int](repeating: 0, count: 9)
        for i in 0..<9000 { counts[Augmentation.offset(RandomGenerator.splitMix(3, i), 4) + 4] += 1 }
        #expect(counts.allSatisfy { abs($0 - 1000) < 150 }, "\(counts)")
        #expect(Augmentation.offset(0, 4) == -4 && Augmentation.offset(0xFF_FFFF, 4) == 4)
    }

    /// A network's input after `prepare`, and the target, on `threads` threads.
    static func prepared(
        threads: Int, step: Int, augmentation: Augmentation, noise: InputNoise?, seed: UInt64 = 42
    ) throws -> (input: [Float], target: [Float]?) {
        let network = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 16, threads: threads)
        for i in 0..<16 { network.inputTensor.sample(i).update(from: image(Shape(1, 8, 8), index: i), count: 64) }
        let inputs = TrainingInputs(
            augmentation: augmentation, noise: noise, seed: seed, range: .minusOneToOne, network: network)
        inputs.prepare(batch: 13, step: step)
        return (
            network.inputTensor.values(), inputs.target.map { Array(UnsafeBufferPointer(start: $0, count: 16 * 64)) }
        )
    }

    @Test func aStepsDrawsAreTheSameOnOneAndTwoThreadsAndDifferFromStepToStep() throws {
        let flipCrop = Augmentation(flip: true, crop: 2)
        for noise: InputNoise? in [nil, .gaussian(sigma: 0.1), .masking(probability: 0.25)] {
            let one = try Self.prepared(threads: 1, step: 5, augmentation: flipCrop, noise: noise)
            let two = try Self.prepared(threads: 2, step: 5, augmentation: flipCrop, noise: noise)
            #expect(one.input == two.input && one.target == two.target, "\(String(describing: noise))")
            let next = try Self.prepared(threads: 2, step: 6, augmentation: flipCrop, noise: noise)
            #expect(next.input != one.input)
            let reseeded = try Self.prepared(threads: 2, step: 5, augmentation: flipCrop, noise: noise, seed: 7)
            #expect(reseeded.input != one.input)
        }
    }

    @Test func onlyTheBatchsImagesAreAugmentedEachFlippedOrNot() throws {
        let shape = Shape(1, 8, 8)
        let (input, target) = try Self.prepared(threads: 2, step: 3, augmentation: Augmentation(flip: true), noise: nil)
        #expect(target == nil, "without noise the input is its own target")
        var flipped = 0
        for i in 0..<16 {
            let image = Array(input[(i * 64)..<((i + 1) * 64)]), original = Self.image(shape, index: i)
            if i >= 13 {
                #expect(image == original, "image \(i) is past the batch")
            } else if image != original {
                #expect(image == Self.mirrored(original, shape), "image \(i)")
                flipped += 1
            }
        }
        #expect(flipped > 0 && flipped < 13, "\(flipped) of 13 flipped")
    }

    /// An autoencoder's target is the augmented image: with noise, the target holds the
    /// augmentation's output, and without it the input (augmented) is the target itself.
    @Test func theTargetOfANoisyBatchIsTheAugmentedCleanImage() throws {
        let flipCrop = Augmentation(flip: true, crop: 3)
        let augmented = try Self.prepared(threads: 1, step: 9, augmentation: flipCrop, noise: nil)
        let noisy = try Self.prepared(threads: 1, step: 9, augmentation: flipCrop, noise: .masking(probability: 0.5))
        let target = try #require(noisy.target)
        #expect(Array(target[0..<(13 * 64)]) == Array(augmented.input[0..<(13 * 64)]))
        #expect(noisy.input != augmented.input)
    }

    @Test(arguments: [
        ("flip", Augmentation(flip: true), "flip", "flip"),
        ("crop:4", Augmentation(crop: 4), "crop:4", "crop4"),
        ("crop:4,flip", Augmentation(flip: true, crop: 4), "flip,crop:4", "flip+crop4"),
        ("flip,crop:+2", Augmentation(flip: true, crop: 2), "flip,crop:2", "flip+crop2"),
    ])
    func augmentParsesAndIsSpelledForTheFlagAndTheRunName(
        _ text: String, _ expected: Augmentation, _ flag: String, _ tag: String
    ) throws {
        let parsed = try Augmentation(flag: text)
        #expect(parsed == expected && parsed.flagValue == flag && parsed.runNameTag == tag)
        #expect(try Augmentation(flag: parsed.flagValue) == parsed)
    }

    @Test(arguments: [
        ("crop:-1", "crop:P takes a whole number of pixels from 1 to 4096, not '-1'"),
        ("crop:0", "crop:P takes a whole number of pixels from 1 to 4096, not '0'"),
        ("crop:4097", "crop:P takes a whole number of pixels from 1 to 4096, not '4097'"),
        ("crop:x", "crop:P takes a whole number of pixels from 1 to 4096, not 'x'"),
        ("crop", "'crop' is neither flip nor crop:P (give a comma list such as flip,crop:4)"),
        ("flip:1", "'flip:1' is neither flip nor crop:P"),
        ("rotate", "'rotate' is neither flip nor crop:P"),
        ("", "'' is neither flip nor crop:P"),
        ("flip,", "'' is neither flip nor crop:P"),
        ("flip,flip", "'flip' is given twice"),
        ("crop:2,crop:4", "'crop' is given twice"),
    ])
    func badAugmentValuesAreUsageErrors(_ text: String, _ message: String) {
        let error = #expect(throws: BenchError.self) { try Augmentation(flag: text) }
        #expect(error?.exitCode == 64 && error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test func aCropMustLeaveSomeOfTheImage() throws {
        try Augmentation(crop: 7).check(for: Shape(1, 8, 9))
        #expect(throws: BenchError.usage("--augment: crop:8 pads more than the 8x9 images hold; P must be below 8")) {
            try Augmentation(crop: 8).check(for: Shape(1, 8, 9))
        }
    }
}
