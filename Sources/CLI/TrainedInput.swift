import Engine
import Inputs
import Plugins
import Training

/// The input a run's model was trained for and its classes, read from the run folder: the saved
/// image flags where they give the size and channels (and classes.txt a classifier's classes),
/// else the dataset it trained on, loaded as training loaded it.
public struct TrainedInput {
    public let shape: Shape
    public let classNames: [String]

    public init(_ run: SavedRun, checkpointDirectory: String, kind: ModelKind) throws(BenchError) {
        guard let flags = run.configuration else {
            throw .file(
                .missing(
                    checkpointDirectory,
                    "no flags.json in this run folder: the size of the model's input is unknown"))
        }
        if let size = flags.imageSize, let channels = flags.channels, kind == .autoencoder || run.classNames != nil {
            shape = Shape(channels, size.height, size.width)
            classNames = run.classNames ?? []
            return
        }
        guard let dataset = Datasets.named(flags.dataset) else {
            throw .usage("\(checkpointDirectory): trained on \(flags.dataset), a dataset this bench does not have")
        }
        let options = DatasetOptions(
            directory: flags.dataDirectory, seed: flags.seed, validateOnTrainingSplit: flags.validateOnTrainingSplit,
            image: run.imageOptions ?? ImageOptions(), classNames: run.classNames, layout: flags.layout,
            labelMode: flags.labelMode)
        let data: DatasetSplits
        do { data = try dataset.load(options) } catch { throw .file(error) }
        shape = data.shape
        classNames = run.classNames ?? data.classNames
    }
}
