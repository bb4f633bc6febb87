import Plugins

/// The `--model` values: adding a model is adding its file here and one line below.
public enum Models {
    public static var all: [any ModelPlugin.Type] {
        [
            SingleLayerCAE.self, LasagneCAE.self, NarrowCAE.self, StandardCNN.self, ModifiedCNN.self, CifarCNN.self,
            LeNet.self, LeNetDropout.self, LeNetDirectDropout.self, LeNetBN.self, VGG.self, VGGDropout.self,
            VGGDirectDropout.self, VGGBN.self, StackedCAE.self, StackedDenoisingCAE.self,
        ]
    }

    public static var names: [String] { all.map { $0.name } }

    public static func named(_ name: String) -> (any ModelPlugin.Type)? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }
}
