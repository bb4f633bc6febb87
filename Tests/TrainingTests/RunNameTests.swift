import Engine
import Foundation
import Plugins
import Testing

@testable import Training

@Suite struct RunNameTests {
    @Test(arguments: [
        (0.001, "0.001"), (1e-5, "1e-05"), (0.01, "0.01"), (1.0, "1.0"), (0.0001, "0.0001"),
        (0.5, "0.5"), (100.0, "100.0"), (1e16, "1e+16"), (1.5e-7, "1.5e-07"), (123456.789, "123456.789"),
        (0.0, "0.0"), (2.5e-10, "2.5e-10"), (1e22, "1e+22"),
    ])
    func pythonFloatSpellsNumbersAsPython(_ value: Double, _ expected: String) {
        #expect(pythonFloat(value) == expected)
    }

    @Test func runNamesFollowDTB() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 1e-3}"#)
        var c = RunConfiguration(
            model: "SingleLayerCAE", dataset: "FashionMNIST", optimizer: adam, l2Penalty: 1e-5,
            comment: "sweep1")
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_l2=1e-05_sweep1")
        #expect(c.runDirectory == "log/SingleLayerCAE/FashionMNIST_Adam_lr=0.001_l2=1e-05_sweep1")
        c.lrDecay = true
        c.l2Penalty = 0
        c.comment = nil
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_exp_lr")
        let momentum = try OptimizerSpec(name: "MomentumOptimizer", json: nil)
        #expect(RunConfiguration(model: "M", dataset: "MNIST", optimizer: momentum).runName == "MNIST_Momentum_lr=0.01")
    }

    /// GUIDE.md's grammar: `..._l2=<L2>_<augmentation>_<input noise>_<COMMENT>`.
    @Test func augmentationAndInputNoiseComeAfterL2AndBeforeTheComment() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 1e-3}"#)
        var c = RunConfiguration(
            model: "SingleLayerCAE", dataset: "FashionMNIST", optimizer: adam, l2Penalty: 1e-5, comment: "sweep1",
            augmentation: Augmentation(flip: true, crop: 4), inputNoise: .gaussian(sigma: 0.1))
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_l2=1e-05_flip+crop4_gaussian0.1_sweep1")
        c.l2Penalty = 0
        c.comment = nil
        c.augmentation = Augmentation()
        c.inputNoise = .masking(probability: 0.25)
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_masking0.25")
        c.augmentation = Augmentation(crop: 2)
        c.inputNoise = nil
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_crop2")
    }

    @Test func augmentationAndInputNoiseRoundTripThroughFlagsJSON() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 1e-3}"#)
        let c = RunConfiguration(
            model: "SingleLayerCAE", dataset: "MNIST", optimizer: adam, augmentation: Augmentation(flip: true, crop: 4),
            inputNoise: .masking(probability: 0.25))
        let json = try JSONEncoder().encode(c)
        let flags = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(flags["augment"] as? String == "flip,crop:4" && flags["input_noise"] as? String == "masking:0.25")
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: json) == c)

        // Runs without them, and the folders of releases before them, have neither key.
        let plain = RunConfiguration(model: "SingleLayerCAE", dataset: "MNIST", optimizer: adam)
        let plainJSON = try JSONEncoder().encode(plain)
        let plainFlags = try #require(try JSONSerialization.jsonObject(with: plainJSON) as? [String: Any])
        #expect(plainFlags["augment"] == nil && plainFlags["input_noise"] == nil)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: plainJSON) == plain)

        // A saved value that the command line would refuse makes the file unreadable.
        var bad = flags
        bad["input_noise"] = "masking:1.5"
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: bad))
        }
        #expect(
            c.differences(from: plain) == [
                "--augment: saved none, now flip,crop:4", "--input_noise: saved none, now masking:0.25",
            ])
    }

    /// GUIDE.md's grammar: `..._lr=<LR>[_exp_lr|_cosine_lr|_plateau_lr][_warmup=<N>][_l2=<L2>]...`;
    /// early stopping has no place in it.
    @Test func schedulesAndWarmupComeAfterTheRateAndBeforeL2() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 1e-3}"#)
        var c = RunConfiguration(
            model: "SingleLayerCAE", dataset: "FashionMNIST", optimizer: adam, l2Penalty: 1e-5, lrSchedule: .cosine,
            warmupEpochs: 2, comment: "sweep1", augmentation: Augmentation(flip: true, crop: 4))
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_cosine_lr_warmup=2_l2=1e-05_flip+crop4_sweep1")
        c = RunConfiguration(
            model: "SingleLayerCAE", dataset: "FashionMNIST", optimizer: adam, lrSchedule: .plateau,
            plateauPatience: 3, earlyStoppingPatience: 4, minDelta: 0.01)
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_plateau_lr")
        c.lrSchedule = .exponential
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_exp_lr")
        c.lrSchedule = nil
        c.lrDecay = true
        c.warmupEpochs = 1
        #expect(c.runName == "FashionMNIST_Adam_lr=0.001_exp_lr_warmup=1")
    }

    @Test func schedulesAndEarlyStoppingRoundTripThroughFlagsJSON() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 1e-3}"#)
        let c = RunConfiguration(
            model: "SingleLayerCAE", dataset: "MNIST", optimizer: adam, lrSchedule: .plateau, warmupEpochs: 2,
            plateauPatience: 3, earlyStoppingPatience: 4, minDelta: 0.01)
        let json = try JSONEncoder().encode(c)
        let flags = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(flags["lr_schedule"] as? String == "plateau" && flags["warmup_epochs"] as? Int == 2)
        #expect(flags["plateau_patience"] as? Int == 3 && flags["early_stopping_patience"] as? Int == 4)
        #expect(flags["min_delta"] as? Double == 0.01)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: json) == c)

        // Runs without them, and the folders of releases before them, have none of the keys.
        let plain = RunConfiguration(model: "SingleLayerCAE", dataset: "MNIST", optimizer: adam)
        let plainFlags = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(plain)) as? [String: Any])
        for key in ["lr_schedule", "warmup_epochs", "plateau_patience", "early_stopping_patience", "min_delta"] {
            #expect(plainFlags[key] == nil, "\(key)")
        }
        #expect(
            c.differences(from: plain) == [
                "--early_stopping_patience: saved none, now 4", "--lr_schedule: saved none, now plateau",
                "--min_delta: saved 0.0, now 0.01", "--plateau_patience: saved none, now 3",
                "--warmup_epochs: saved 0, now 2",
            ])

        // A saved value that the command line would refuse makes the file unreadable.
        for (key, value) in [
            ("lr_schedule", "linear"), ("warmup_epochs", -1), ("plateau_patience", 0), ("early_stopping_patience", 0),
            ("min_delta", -0.5),
        ] as [(String, Any)] {
            var bad = flags
            bad[key] = value
            #expect(throws: DecodingError.self, "\(key)") {
                try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: bad))
            }
        }
        var both = flags
        both["lr_decay"] = true
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: both))
        }
    }

    @Test func labelModeRoundTripsThroughFlagsJSON() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 1e-3}"#)
        let coarse = RunConfiguration(model: "StandardCNN", dataset: "Cifar100", optimizer: adam, labelMode: .coarse)
        let json = try JSONEncoder().encode(coarse)
        let flags = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(flags["label_mode"] as? String == "coarse")
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: json) == coarse)
        // It names no folder of its own: a run with the other label is told apart by --comment.
        #expect(coarse.runName == "Cifar100_Adam_lr=0.001")

        // Other datasets' runs, and the folders of releases before it, have no key.
        var other = flags
        other["label_mode"] = nil
        let old = try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: other))
        #expect(old.labelMode == nil)
        #expect(coarse.differences(from: old) == ["--label_mode: saved none, now coarse"])

        // A saved value that the command line would refuse makes the file unreadable.
        var bad = flags
        bad["label_mode"] = "medium"
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: bad))
        }
    }

    @Test func staircaseDecay() throws {
        let sgd = try OptimizerSpec(name: "GradientDescentOptimizer", json: #"{"learning_rate": 0.1}"#)
        let c = RunConfiguration(
            model: "M", dataset: "D", optimizer: sgd, lrDecay: true, lrDecayEpochs: 2, lrDecayFactor: 0.5)
        let rates = c.learningRates(over: try EpochSchedule(epochs: 10, stepsPerEpoch: 10))
        #expect(rates.rate(atStep: 0) == 0.1)
        #expect(rates.rate(atStep: 19) == 0.1)
        #expect(rates.rate(atStep: 20) == 0.05)
        #expect(rates.rate(atStep: 45) == 0.025)
    }

    @Test(arguments: [
        ("NadamOptimizer", #"{"learning_rate": 1}"#, "--optimizer: unknown optimizer 'NadamOptimizer'"),
        ("AdamOptimizer", #"{"learning_rate": "#, "--optimizer_args: not a JSON object"),
        (
            "AdamOptimizer", #"{"learning_rate": 0.1, "momentum": 0.9}"#,
            "--optimizer_args: AdamOptimizer has no argument 'momentum'"
        ),
        (
            "AdamOptimizer", #"{"learning_rate": -1}"#,
            "--optimizer_args: learning_rate = -1.0 must be a finite number above 0"
        ),
        ("AdamOptimizer", #"{"learning_rate": 0.1, "beta1": 1.5}"#, "--optimizer_args: beta1 = 1.5 must be in [0, 1)"),
        (
            "MomentumOptimizer", #"{"learning_rate": 0.1, "momentum": 0.9, "use_nesterov": 1}"#,
            "--optimizer_args: use_nesterov must be a boolean"
        ),
        ("MomentumOptimizer", #"{"learning_rate": 0.1}"#, "--optimizer_args: MomentumOptimizer needs momentum"),
        ("AdamOptimizer", #"{"beta1": 0.5}"#, "--optimizer_args: AdamOptimizer needs learning_rate"),
    ])
    func badOptimizerFlagsAreUsageErrors(_ name: String, _ json: String, _ message: String) {
        do {
            _ = try OptimizerSpec(name: name, json: json)
            Issue.record("accepted \(name) \(json)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
            #expect(error.exitCode == 64)
        }
    }

    @Test func nesterovMomentumParses() throws {
        let spec = try OptimizerSpec(
            name: "MomentumOptimizer", json: #"{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}"#)
        let rule = try #require(spec.rule as? Momentum)
        #expect(rule.useNesterov && rule.momentum == 0.9 && spec.learningRate == 0.01)
        #expect(spec.canonicalJSON == #"{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}"#)
    }
}
