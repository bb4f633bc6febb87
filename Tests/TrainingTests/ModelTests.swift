import Testing
import Training

@testable import Engine
@testable import Models

/// Every model as GUIDE.md lays it out, on a grey 28x28 and a colour 32x32 input.
@Suite struct ModelTests {
    @Test(arguments: [Shape(1, 28, 28), Shape(3, 32, 32)])
    func everyModelBuildsForTheDatasetsShapes(_ input: Shape) throws {
        for model in Models.all {
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

    @Test func registryNamesEveryModel() {
        #expect(
            Models.names == ["SingleLayerCAE", "LasagneCAE", "NarrowCAE", "StandardCNN", "ModifiedCNN", "CifarCNN"])
        #expect(Models.named("lasagnecae")?.kind == .autoencoder)
    }
}
