extension Predictions {
    /// The rows `predict` writes: `file,label,name,prob_0,...` for a classifier (`names` the
    /// classes' names in label order), `file,reconstruction_error` for an autoencoder.
    public func csv(files: [String], names: [String]) -> String {
        var text: String
        if kind == .autoencoder {
            text = "file,reconstruction_error\n"
            for (file, error) in zip(files, errors) { text += "\(csvField(file)),\(error)\n" }
            return text
        }
        text = "file,label,name," + (0..<classes).map { "prob_\($0)" }.joined(separator: ",") + "\n"
        for (row, (file, label)) in zip(files, labels).enumerated() {
            text += "\(csvField(file)),\(label),\(csvField(label < names.count ? names[label] : String(label)))"
            for k in (row * classes)..<((row + 1) * classes) {
                text += ","
                text += SignificantDigits.text(probabilities[k])
            }
            text += "\n"
        }
        return text
    }
}
