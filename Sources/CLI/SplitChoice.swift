import ArgumentParser
import Plugins

/// A `--split` value: which of a dataset's three image sets a command reads.
public enum SplitChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case train, validation, test

    public func images(of data: DatasetSplits) -> ImageSet {
        switch self {
        case .train: data.train
        case .validation: data.validation
        case .test: data.test
        }
    }
}
