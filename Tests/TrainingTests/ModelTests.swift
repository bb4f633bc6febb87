import Testing
import Training

@testable import Engine
@testable import Models

/// Every model as GUIDE.md lays it out, on a grey 28x28 and a colour 32x32 input.
@Suite struct ModelTests {
    /// Every model on its natural input, and the MNIST-sized ones on CIFAR's shape too.
    @Test(arguments: [Shape(1, 28, 28), Shape(3, 32, 32)])
    func everyModelBuildsForTheDatasetsShapes(_ input: Shape) throws {
        for model in Models.all where model.naturalInput == input || model.naturalInput == Shape(1, 28, 28) {
            let network = try model.build(input: input, classes: 10)
            let expected = model.kind == .autoencoder ? input : Shape(10)
            #expect(network.outputShape == expected, "\(model.name) on \(input)")
        }
    }

    @Test func layerShapesFollowTheGuide() throws {
        let grey = Shape(1, 28, 28)
        let single = try SingleLayerCAE.build(input: grey, classes: 10)
        #expect(single.shape(of: Network.Node(index: 1)) == Shape(1, 32, 32))
        #expect(single.shape(of: Network.Node(index: 2)) == Shape(32, 30, 30))
        let lasagne = try LasagneCAE.build(input: grey, classes: 10)
        #expect(
            lasagne.parameters.count == 10,
            "two tied convolutions count once: conv1, conv2, dense1, dense2, two deconv biases")
        let modified = try ModifiedCNN.build(input: grey, classes: 10)
        let logits = try #require(modified.layers.last as? Dense)
        #expect(logits.inputCount == 544, "256 dense units joined with 3x3x32 branch features")
        let narrow = try NarrowCAE.build(input: grey, classes: 10)
        let expand = try #require(narrow.layers.first { $0.name == "expand" } as? Dense)
        #expect(expand.units == 32 * 17 * 17)
        let standard = try StandardCNN.build(input: grey, classes: 10)
        let convolutions: Int = (32 * 25 + 32) + (32 * 32 * 25 + 32)
        let dense: Int = (512 * 256 + 256) + (256 * 10 + 10)
        #expect(standard.parameters.map(\.count).reduce(0, +) == convolutions + dense)
    }

    /// DTB's LeNet: 5x5 same convolutions of 32 and 64 maps, two pools to 7x7x64, dense 1024;
    /// weight decay on the hidden layers' weights only; the variants add dropout or batch
    /// normalization (with its running averages as statistics) and nothing else.
    @Test func leNetsFollowDTB() throws {
        let grey = Shape(1, 28, 28)
        let lenet = try LeNet.build(input: grey, classes: 10)
        let sizes: [Int] = [32 * 25, 32, 64 * 32 * 25, 64, 1024 * 7 * 7 * 64, 1024, 10 * 1024, 10]
        #expect(lenet.parameters.map(\.count) == sizes)
        #expect(lenet.parameters.filter(\.decays).map(\.name) == ["conv1/W", "conv2/W", "fc1/W"])
        #expect(lenet.layers.map(\.name) == ["conv1", "pool1", "conv2", "pool2", "fc1", "logits"])
        let dropout = try LeNetDirectDropout.build(input: grey, classes: 10).layers.compactMap { $0 as? Dropout }
        let keeps = { (layers: [Dropout]) in
            zip(layers, [0.7, 0.6, 0.5]).allSatisfy { abs(1 - $0.probability - $1) < 1e-6 }
        }
        #expect(dropout.count == 3 && keeps(dropout) && dropout.allSatisfy { $0.scaling == .direct })
        let inverted = try LeNetDropout.build(input: grey, classes: 10).layers.compactMap { $0 as? Dropout }
        #expect(inverted.count == 3 && keeps(inverted) && inverted.allSatisfy { $0.scaling == .inverted })
        let bn = try LeNetBN.build(input: grey, classes: 10)
        #expect(bn.parameters.count == 8 + 6 && bn.statistics.count == 6)
        #expect(bn.layers.map(\.name).prefix(4) == ["conv1", "conv1/bn", "conv1/relu", "pool1"])
    }

    /// DTB's VGG: thirteen 3x3 same convolutions in blocks of 2, 2, 3, 3, 3 (64 to 512 maps),
    /// pooled to 1x1x512, dense 512; the variants add dropout or batch normalization after each.
    @Test func vggsFollowDTB() throws {
        let colour = Shape(3, 32, 32)
        let vgg = try VGG.build(input: colour, classes: 10)
        let convolutions = vgg.layers.compactMap { $0 as? Conv2D }
        #expect(convolutions.map(\.outputChannels) == [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512])
        #expect(convolutions.allSatisfy { $0.kernel == (3, 3) && $0.padding == .same && $0.activation == .relu })
        let fc1 = try #require(vgg.layers.first { $0.name == "fc1" } as? Dense)
        #expect(fc1.inputCount == 512 && fc1.units == 512)
        #expect(vgg.parameters.filter(\.decays).count == 14, "every hidden layer's weights, not the logits'")
        let drops = try VGGDropout.build(input: colour, classes: 10).layers.compactMap { $0 as? Dropout }
        #expect(drops.count == 14 && abs(drops[0].probability - 0.3) < 1e-6 && abs(drops[1].probability - 0.4) < 1e-6)
        #expect(abs(drops[13].probability - 0.5) < 1e-6)
        let bn = try VGGBN.build(input: colour, classes: 10)
        #expect(bn.statistics.count == 28 && bn.layers.filter { $0 is BatchNormalization }.count == 14)
        #expect(throws: EngineError.self) { try VGG.build(input: Shape(1, 28, 28), classes: 10) }
    }

    @Test func registryNamesEveryModel() {
        #expect(
            Models.names == [
                "SingleLayerCAE", "LasagneCAE", "NarrowCAE", "StandardCNN", "ModifiedCNN", "CifarCNN", "LeNet",
                "LeNetDropout", "LeNetDirectDropout", "LeNetBN", "VGG", "VGGDropout", "VGGDirectDropout", "VGGBN",
                "StackedCAE", "StackedDenoisingCAE",
            ])
        #expect(Models.named("lasagnecae")?.kind == .autoencoder)
    }
}
