import Training

extension ConfusionMatrix {
    /// `confusion_<split>.csv`: a header row `true/predicted,<class>,...`, then a row per true
    /// class, its name first and its counts by predicted class (pandas:
    /// `read_csv(path, index_col=0)`).
    public var csv: String {
        var text = (["true/predicted"] + classNames).map(csvField).joined(separator: ",") + "\n"
        for (t, row) in counts.enumerated() {
            text += ([csvField(classNames[t])] + row.map(String.init)).joined(separator: ",") + "\n"
        }
        return text
    }
}
