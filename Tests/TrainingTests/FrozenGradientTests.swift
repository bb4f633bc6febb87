import Engine
import Models
import Plugins
import Testing

/// Frozen parameters against the plain backward pass: the same network with some parameters
/// frozen gives every other parameter bit for bit the gradient it gets with none frozen, and
/// the frozen ones none.
struct FrozenGradientTests {
    /// Whether `p`'s name starts with one of the comma list's prefixes.
    static func isUnder(_ p: Parameter, _ prefixes: String) -> Bool {
        prefixes.split(separator: ",").contains { p.name.hasPrefix($0) }
    }

    /// `model` built twice from one seed, one copy with the parameters under `frozen` frozen,
    /// both planned with `options`, one training pass on the same batch and output gradient.
    static func gradients(
        _ model: any ModelPlugin.Type, side: Int, frozen: String, options: Network.PlanOptions
    ) throws -> (plain: Network, frozen: Network) {
        let networks = try [false, true].map { freeze in
            let network = try model.build(input: Shape(1, side, side), classes: 10)
            for p in network.parameters { p.frozen = freeze && isUnder(p, frozen) }
            network.plan(capacity: 4, threads: 2, options: options)
            network.initialize(seed: 7)
            var generator = RandomGenerator(seed: 3)
            for i in 0..<(4 * network.inputShape.count) { network.inputTensor.data[i] = generator.nextUniform() }
            network.forward(batch: 4, mode: .training)
            for i in 0..<(4 * network.outputShape.count) {
                network.outputGradient.data[i] = generator.nextUniform() - 0.5
            }
            network.backward(batch: 4)
            return network
        }
        return (networks[0], networks[1])
    }

    @Test(arguments: [
        ("StandardCNN", "dense", true), ("StandardCNN", "conv2", false), ("StandardCNN", "conv2", true),
        ("StandardCNN", "conv1,logits/b", false),
        ("LasagneCAE", "conv2,dense1/b", false), ("LasagneCAE", "deconv1", true),
    ])
    func trainableParametersGetThePlainGradientAndFrozenOnesNone(_ name: String, _ frozen: String, _ fusion: Bool)
        throws
    {
        let model = try #require(Models.named(name))
        let (plain, partly) = try Self.gradients(
            model, side: 16, frozen: frozen, options: Network.PlanOptions(fusion: fusion))
        var compared = 0
        for (p, q) in zip(plain.parameters, partly.parameters) {
            #expect(p.name == q.name)
            if Self.isUnder(q, frozen) {
                #expect(q.frozen && q.gradients.allSatisfy { $0 == 0 }, "\(q.name) frozen but has a gradient")
                #expect(p.gradients.contains { $0 != 0 }, "\(p.name): the plain pass gives it a gradient")
            } else {
                #expect(p.gradients == q.gradients, "\(q.name) differs from the plain pass")
                compared += 1
            }
        }
        #expect(compared > 0)
    }

    /// Everything before the trainable layers frozen: no gradient flows into the trunk at all.
    @Test func aFrozenTrunkReceivesNoGradient() throws {
        let network = try StandardCNN.build(input: Shape(1, 16, 16), classes: 10)
        for p in network.parameters { p.frozen = !Self.isUnder(p, "dense,logits") }
        let conv2 = try #require(network.layers.first { $0.name == "conv2" })
        let dense = try #require(network.layers.first { $0.name == "dense" })
        #expect(!network.receivesGradient(try #require(network.nodes(of: conv2)).output))
        #expect(!network.receivesGradient(try #require(network.nodes(of: dense)).inputs[0]))
        #expect(network.receivesGradient(try #require(network.nodes(of: dense)).output))
    }
}
