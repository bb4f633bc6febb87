import Engine
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

    @Test func staircaseDecay() throws {
        let sgd = try OptimizerSpec(name: "GradientDescentOptimizer", json: #"{"learning_rate": 0.1}"#)
        let c = RunConfiguration(
            model: "M", dataset: "D", optimizer: sgd, lrDecay: true, lrDecayEpochs: 2, lrDecayFactor: 0.5)
        #expect(c.learningRate(atStep: 0, stepsPerEpoch: 10) == 0.1)
        #expect(c.learningRate(atStep: 19, stepsPerEpoch: 10) == 0.1)
        #expect(c.learningRate(atStep: 20, stepsPerEpoch: 10) == 0.05)
        #expect(c.learningRate(atStep: 45, stepsPerEpoch: 10) == 0.025)
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
