import Engine
import Foundation
import Plugins

/// The binary versions of CIFAR-10 and CIFAR-100: files of fixed-size records, each some label
/// bytes then a 3x32x32 image in channel planes (red, green, blue), and a text file naming the
/// classes one a line. As DTB did, a run validates on the test file unless told to hold out the
/// training records' last twelfth instead.
public struct CifarBinary: Sendable {
    /// One label byte of every record: what errors call it and how many classes it counts.
    public struct Label: Sendable {
        public let name: String
        public let classes: Int

        public init(_ name: String, classes: Int) {
            self.name = name
            self.classes = classes
        }
    }

    public static let shape = Shape(3, 32, 32)

    /// The label bytes before each image, in file order; every one is checked, one is taken.
    public let labels: [Label]
    public let takenLabel: Int
    public let trainFiles: [String]
    public let testFile: String
    /// The file naming the taken label's classes, which the archives hold but a folder may lack.
    public let classNamesFile: String
    public let defaultClassNames: [String]

    public init(
        labels: [Label], takenLabel: Int, trainFiles: [String], testFile: String, classNamesFile: String,
        defaultClassNames: [String]
    ) {
        precondition(defaultClassNames.count == labels[takenLabel].classes, "a default name for every class")
        self.labels = labels
        self.takenLabel = takenLabel
        self.trainFiles = trainFiles
        self.testFile = testFile
        self.classNamesFile = classNamesFile
        self.defaultClassNames = defaultClassNames
    }

    public var recordSize: Int { labels.count + Self.shape.count }

    /// The files in `directory`; `provider` tells a user where they come from.
    public func load(name: String, directory: String, provider: String, validateOnTrainingSplit: Bool)
        throws(FileError) -> DatasetSplits
    {
        guard FileBytes.isDirectory(directory) else { throw .missing(directory, "no such folder; \(provider)") }
        let classNames = try readClassNames(directory + "/" + classNamesFile)
        var parts: [ImageSet] = []
        for file in trainFiles { parts.append(try read(directory + "/" + file, provider: provider)) }
        let train = ImageSet.joined(parts)
        let test = try read(directory + "/" + testFile, provider: provider)
        guard validateOnTrainingSplit else {
            return DatasetSplits(name: name, train: train, validation: test, test: test, classNames: classNames)
        }
        guard train.count >= 12 else {
            throw .malformed(
                directory + "/" + trainFiles[0],
                "\(train.count) records are too few to hold out a twelfth for validation")
        }
        let (training, validation) = train.splitForValidation()
        return DatasetSplits(name: name, train: training, validation: validation, test: test, classNames: classNames)
    }

    func read(_ path: String, provider: String) throws(FileError) -> ImageSet {
        guard FileBytes.exists(path) else { throw .missing(path, "no such file; \(provider)") }
        return try parse(try FileBytes.read(path), path: path)
    }

    /// The records in one file's bytes, labelled by the taken label; `path` names the file in errors.
    public func parse(_ bytes: [UInt8], path: String) throws(FileError) -> ImageSet {
        let recordSize = self.recordSize, imageSize = Self.shape.count
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw .malformed(path, "\(bytes.count) bytes is not a whole number of \(recordSize)-byte records")
        }
        let n = bytes.count / recordSize
        var pixels = [UInt8](repeating: 0, count: n * imageSize)
        var taken = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            for (i, label) in labels.enumerated() {
                let value = bytes[r * recordSize + i]
                guard value < label.classes else {
                    throw .malformed(
                        path, "\(label.name) \(value) of record \(r) is outside 0...\(label.classes - 1)")
                }
                if i == takenLabel { taken[r] = Int32(value) }
            }
            pixels.withUnsafeMutableBufferPointer { dst in
                bytes.withUnsafeBufferPointer { src in
                    (dst.baseAddress! + r * imageSize).update(
                        from: src.baseAddress! + r * recordSize + labels.count, count: imageSize)
                }
            }
        }
        return ImageSet(shape: Self.shape, pixels: pixels, labels: taken)
    }

    /// The class names, one a line (blank lines skipped); the defaults when the file is absent.
    func readClassNames(_ path: String) throws(FileError) -> [String] {
        guard FileBytes.exists(path) else { return defaultClassNames }
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        guard names.count == defaultClassNames.count else {
            throw .malformed(path, "names \(names.count) classes, expected \(defaultClassNames.count)")
        }
        return names
    }
}
