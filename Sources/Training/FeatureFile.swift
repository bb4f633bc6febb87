import DataIO

/// The formats `extract_features` writes, told by the output file's extension.
public enum FeatureFile: String, CaseIterable {
    /// float32, N x the layer's dimensions.
    case npy
    /// `features` (N x the layer's dimensions) and `labels` (N, as floats: the format's tensors
    /// here are float32).
    case safetensors
    /// `label,f0,f1,...`, one row per image, floats with 9 significant digits.
    case csv

    /// The format of `path` by its extension; any other is a usage error.
    public init(path: String) throws(BenchError) {
        let dot = path.lastIndex(of: ".")
        let slash = path.lastIndex(of: "/")
        guard let dot, slash.map({ $0 < dot }) ?? true,
            let format = FeatureFile(rawValue: String(path[path.index(after: dot)...]).lowercased())
        else {
            let known = Self.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
            throw .usage("--output: \(path) must end in \(known)")
        }
        self = format
    }

    public func encode(_ features: LayerFeatures) -> [UInt8] {
        let shape = [features.labels.count] + features.dimensions
        switch self {
        case .npy:
            return NpyWriter.encode(features.values, shape: shape)
        case .safetensors:
            var file = SafeTensors.File()
            file.tensors["features"] = SafeTensors.Tensor(shape: shape, values: features.values)
            file.tensors["labels"] = SafeTensors.Tensor(
                shape: [features.labels.count], values: features.labels.map(Float.init))
            file.metadata = ["layer": features.layer]
            return SafeTensors.encode(file)
        case .csv:
            let size = features.shape.count
            var text = "label," + (0..<size).map { "f\($0)" }.joined(separator: ",") + "\n"
            for (i, label) in features.labels.enumerated() {
                text += String(label)
                for k in (i * size)..<((i + 1) * size) {
                    text += ","
                    text += SignificantDigits.text(features.values[k])
                }
                text += "\n"
            }
            return Array(text.utf8)
        }
    }
}
