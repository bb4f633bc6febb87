/// What a dataset plug-in in `inputs/` is given: where its files are, the run's seed, how image
/// files become tensors, and the classes a run saved.
public struct DatasetOptions: Sendable {
    /// `--data_dir`; nil for the dataset's default folder.
    public var directory: String?
    public var seed: UInt64
    /// Validate on the training files' last twelfth even where DTB validated on the test set
    /// (CIFAR-10, CIFAR-100), so the test set never chooses the model.
    public var validateOnTrainingSplit: Bool
    /// Images per split for generated datasets (Blobs); nil for their defaults.
    public var syntheticCounts: (train: Int, validation: Int, test: Int)?
    /// Side of generated images; nil for the default.
    public var syntheticSide: Int?
    /// Image files' size, channels and pixel limit (ImageFolder).
    public var image: ImageOptions
    /// The class names of the run being evaluated (its `classes.txt`), which fix the labels; nil
    /// for the dataset's own.
    public var classNames: [String]?
    /// `--layout`: where 4-D arrays keep their channels; nil to tell from the shape, which
    /// refuses a shape whose second and last axes could both be the channels.
    public var layout: ImageLayout?
    /// `--label_mode`: which label a dataset with two (CIFAR-100) gives its images; nil for its
    /// default.
    public var labelMode: LabelMode?

    public init(
        directory: String? = nil, seed: UInt64 = 0, validateOnTrainingSplit: Bool = false,
        syntheticCounts: (train: Int, validation: Int, test: Int)? = nil, syntheticSide: Int? = nil,
        image: ImageOptions = ImageOptions(), classNames: [String]? = nil,
        layout: ImageLayout? = nil, labelMode: LabelMode? = nil
    ) {
        self.directory = directory
        self.seed = seed
        self.validateOnTrainingSplit = validateOnTrainingSplit
        self.syntheticCounts = syntheticCounts
        self.syntheticSide = syntheticSide
        self.image = image
        self.classNames = classNames
        self.layout = layout
        self.labelMode = labelMode
    }
}
