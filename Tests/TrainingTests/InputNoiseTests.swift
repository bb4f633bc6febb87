import Models
import Plugins
import Testing

@testable import Engine
@testable import Training

/// `--input_noise`: the noise's statistics and the clean target a denoising step trains against.
@Suite struct InputNoiseTests {
    /// `count` pixels of `value` corrupted by `noise` (and a sentinel after them, which must stay).
    static func corrupted(_ noise: InputNoise, _ value: Float, count: Int, range: PixelRange) -> [Float] {
        var pixels = [Float](repeating: value, count: count) + [42]
        pixels.withUnsafeMutableBufferPointer { noise.corrupt($0.baseAddress!, count: count, range: range, key: 5) }
        #expect(pixels.last == 42, "wrote past the image")
        return Array(pixels.dropLast())
    }

    @Test func gaussianNoiseHasTheStandardDeviationAskedFor() {
        let pixels = Self.corrupted(.gaussian(sigma: 0.1), 0, count: 100_001, range: .minusOneToOne)
        let mean = pixels.reduce(0.0) { $0 + Double($1) } / Double(pixels.count)
        let sd = (pixels.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(pixels.count) - mean * mean).squareRoot()
        #expect(abs(mean) < 0.002 && abs(sd - 0.1) < 0.002, "mean \(mean), sd \(sd)")
        let withinOneSigma = Double(pixels.filter { abs($0) < 0.1 }.count) / Double(pixels.count)
        #expect(abs(withinOneSigma - 0.6827) < 0.01, "\(withinOneSigma) within one sigma")
        #expect(pixels.last != 0, "an odd count's last pixel gets noise too")
    }

    @Test(arguments: [PixelRange.zeroToOne, .minusOneToOne])
    func gaussianNoiseIsClippedToTheModelsRange(_ range: PixelRange) {
        let pixels = Self.corrupted(.gaussian(sigma: 2), range == .zeroToOne ? 0.5 : 0, count: 10_000, range: range)
        #expect(pixels.min() == range.minimum && pixels.max() == range.maximum)
    }

    @Test(arguments: [PixelRange.zeroToOne, .minusOneToOne])
    func maskingSetsAboutPOfThePixelsToTheRangesMinimum(_ range: PixelRange) {
        let pixels = Self.corrupted(.masking(probability: 0.25), 0.5, count: 100_000, range: range)
        let masked = pixels.filter { $0 == range.minimum }.count
        #expect(masked + pixels.filter { $0 == 0.5 }.count == pixels.count)
        #expect(abs(Double(masked) / 100_000 - 0.25) < 0.01, "\(masked) masked")
        #expect(
            Self.corrupted(.masking(probability: 1), 0.5, count: 1000, range: range).allSatisfy { $0 == range.minimum })
    }

    /// masking:1.0 leaves nothing of the input, yet the step's loss is the output's distance to
    /// the clean images: the target is not the input.
    @Test func aDenoisingStepTrainsAgainstTheCleanImages() throws {
        let network = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 4, threads: 2)
        network.initialize(seed: 9)
        var g = RandomGenerator(seed: 10)
        for i in 0..<(4 * 64) { network.inputTensor.data[i] = g.nextUniform() * 2 - 1 }
        let clean = network.inputTensor.values(batch: 4)
        let inputs = TrainingInputs(
            augmentation: Augmentation(), noise: .masking(probability: 1), seed: 1, range: .minusOneToOne,
            network: network)
        inputs.prepare(batch: 4, step: 0)
        #expect(network.inputTensor.values(batch: 4).allSatisfy { $0 == -1 })
        let target = try #require(inputs.target)
        #expect(Array(UnsafeBufferPointer(start: target, count: 4 * 64)) == clean)

        network.forward(batch: 4, mode: .training)
        let output = network.outputTensor.values(batch: 4)
        func halfMSE(_ t: [Float]) -> Double {
            zip(output, t).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(2 * output.count)
        }
        let step = TrainingStep(
            network: network, evaluator: Evaluator(kind: .autoencoder, range: .minusOneToOne, capacity: 4),
            optimizer: Optimizer(GradientDescent(), learningRate: 0.1, parameters: network.parameters),
            l2Penalty: 0, target: inputs.target)
        let loss = step(batch: 4, learningRate: 0.1)
        let againstClean = halfMSE(clean), againstInput = halfMSE([Float](repeating: -1, count: 4 * 64))
        #expect(abs(loss - againstClean) < 1e-6 * againstClean, "\(loss) vs \(againstClean)")
        #expect(abs(againstClean - againstInput) > 0.01, "the two targets must tell apart: \(againstInput)")
    }

    @Test(arguments: [
        ("gaussian:0.1", InputNoise.gaussian(sigma: 0.1), "gaussian:0.1", "gaussian0.1"),
        ("gaussian:1e-5", .gaussian(sigma: 1e-5), "gaussian:1e-05", "gaussian1e-05"),
        ("masking:0.25", .masking(probability: 0.25), "masking:0.25", "masking0.25"),
        ("masking:1", .masking(probability: 1), "masking:1.0", "masking1.0"),
    ])
    func inputNoiseParsesAndIsSpelledForTheFlagAndTheRunName(
        _ text: String, _ expected: InputNoise, _ flag: String, _ tag: String
    ) throws {
        let parsed = try InputNoise(flag: text)
        #expect(parsed == expected && parsed.flagValue == flag && parsed.runNameTag == tag)
        #expect(try InputNoise(flag: parsed.flagValue) == parsed)
    }

    @Test(arguments: [
        ("gaussian:x", "gaussian:SIGMA takes a finite number above 0, not 'x'"),
        ("gaussian:0", "gaussian:SIGMA takes a finite number above 0, not '0'"),
        ("gaussian:-0.1", "gaussian:SIGMA takes a finite number above 0, not '-0.1'"),
        ("gaussian:nan", "gaussian:SIGMA takes a finite number above 0, not 'nan'"),
        ("gaussian:inf", "gaussian:SIGMA takes a finite number above 0, not 'inf'"),
        ("gaussian:1e39", "gaussian:SIGMA takes a finite number above 0, not '1e39'"),
        ("gaussian:1e-50", "gaussian:SIGMA takes a finite number above 0, not '1e-50'"),
        ("masking:1.5", "masking:P takes a probability above 0 and at most 1, not '1.5'"),
        ("masking:0", "masking:P takes a probability above 0 and at most 1, not '0'"),
        ("masking:", "masking:P takes a probability above 0 and at most 1, not ''"),
        ("gaussian", "'gaussian' is neither gaussian:SIGMA nor masking:P"),
        ("salt:0.1", "'salt:0.1' is neither gaussian:SIGMA nor masking:P"),
        ("", "'' is neither gaussian:SIGMA nor masking:P"),
    ])
    func badInputNoiseValuesAreUsageErrors(_ text: String, _ message: String) {
        let error = #expect(throws: BenchError.self) { try InputNoise(flag: text) }
        #expect(error?.exitCode == 64 && error?.description == message, "\(String(describing: error))")
    }
}
