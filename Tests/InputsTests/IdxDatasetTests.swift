import Engine
import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

@Suite struct IdxDatasetTests {
    func load(_ files: DatasetFiles) throws(FileError) -> DatasetSplits {
        try MNIST.load(DatasetOptions(directory: files.directory))
    }

    @Test(arguments: [false, true])
    func roundTripsEveryPixelAndLabel(gzip: Bool) throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeIdxDataset(train: 30, test: 7, rows: 5, cols: 4, gzip: gzip)
        let data = try load(files)
        #expect(data.train.count == 28 && data.validation.count == 2 && data.test.count == 7)
        #expect(data.shape == Shape(1, 5, 4))
        let expectedTrain = DatasetFiles.pixels(count: 30, size: 20)
        #expect(data.train.pixels == .bytes(expectedTrain[0..<(28 * 20)]))
        #expect(data.validation.pixels == .bytes(expectedTrain[(28 * 20)...]))
        #expect(data.test.pixels == .bytes(DatasetFiles.pixels(count: 7, size: 20)[...]))
        #expect(data.train.labels == (0..<28).map { Int32($0 % 10) })
        #expect(data.validation.labels == [8, 9])
        #expect(data.test.labels == (0..<7).map { Int32($0 % 10) })
    }

    /// One bad file at a time, and the line the user sees for it.
    func failure(_ setup: (DatasetFiles) -> Void) -> FileError? {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeIdxDataset(train: 24, test: 5, gzip: false)
        setup(files)
        do {
            _ = try load(files)
            return nil
        } catch {
            return error
        }
    }

    static let images = "train-images-idx3-ubyte"
    static let labels = "train-labels-idx1-ubyte"

    @Test func missingFolderNamesItAndTheFetchScript() {
        #expect(
            throws: FileError.missing(
                "/nonexistent/mnist", "no such folder; run scripts/fetch_mnist.sh or pass --data_dir")
        ) {
            try MNIST.load(DatasetOptions(directory: "/nonexistent/mnist"))
        }
        #expect(FileError.missing("x", "y").exitCode == 66)
    }

    @Test func missingFileNamesIt() throws {
        let e = try #require(failure { try? FileManager.default.removeItem(atPath: $0.path(Self.labels)) })
        #expect(e.kind == .missing && e.file.hasSuffix(Self.labels + "[.gz]"), "\(e)")
    }

    @Test func wrongMagic() throws {
        let e = try #require(failure { $0.write(Self.images, [1, 2, 8, 3] + [UInt8](repeating: 0, count: 12)) })
        #expect(e.description.hasSuffix("not an idx file (magic number starts 0x0102, expected 0x0000)"), "\(e)")
        #expect(e.exitCode == 65)
    }

    @Test func wrongTypeAndRank() throws {
        let type = try #require(
            failure {
                $0.write(
                    Self.images, [0, 0, 0x0d, 3] + DatasetFiles.bigEndian(1) + [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0])
            })
        #expect(type.reason == "idx data type 0x0d is not unsigned bytes (0x08)", "\(type)")
        let rank = try #require(
            failure {
                $0.write(Self.labels, DatasetFiles.idx(dimensions: [24, 1], payload: [UInt8](repeating: 0, count: 24)))
            })
        #expect(rank.reason == "idx file has 2 dimensions, expected 1", "\(rank)")
    }

    @Test func truncatedAndTooLongFiles() throws {
        let truncated = try #require(
            failure { f in
                f.write(
                    Self.images,
                    Array(
                        DatasetFiles.idx(dimensions: [24, 5, 4], payload: DatasetFiles.pixels(count: 24, size: 20))
                            .dropLast(7)))
            })
        #expect(
            truncated.reason == "truncated: the idx header (24x5x4) claims 496 bytes, the file has 489", "\(truncated)")
        let long = try #require(
            failure { f in
                f.write(
                    Self.images,
                    DatasetFiles.idx(dimensions: [24, 5, 4], payload: DatasetFiles.pixels(count: 25, size: 20)))
            })
        #expect(long.reason.hasPrefix("too long"), "\(long)")
        let header = try #require(failure { $0.write(Self.images, [0, 0, 8, 3, 0, 0]) })
        #expect(header.reason == "truncated: the idx header needs 16 bytes, the file has 6", "\(header)")
    }

    @Test func overflowingDimensionsAreRefusedBeforeAllocating() throws {
        let e = try #require(
            failure { $0.write(Self.images, [0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 9]) })
        #expect(e.reason == "idx dimensions 4294967295x4294967295x9 are too large", "\(e)")
    }

    @Test func labelAndImageCountsMustAgree() throws {
        let e = try #require(
            failure {
                $0.write(Self.labels, DatasetFiles.idx(dimensions: [23], payload: [UInt8](repeating: 1, count: 23)))
            })
        #expect(
            e.reason
                == "has 23 labels for 24 images in "
                + e.file.replacingOccurrences(of: "labels-idx1", with: "images-idx3"),
            "\(e)")
    }

    @Test func labelOutsideTheClasses() throws {
        let e = try #require(
            failure { f in
                var labels = [UInt8](repeating: 1, count: 24)
                labels[17] = 10
                f.write(Self.labels, DatasetFiles.idx(dimensions: [24], payload: labels))
            })
        #expect(e.reason == "label 10 of image 17 is outside 0...9", "\(e)")
    }

    @Test func corruptGzipStream() throws {
        let e = try #require(
            failure { f in
                var gz = DatasetFiles.gzip(
                    DatasetFiles.idx(dimensions: [24, 5, 4], payload: DatasetFiles.pixels(count: 24, size: 20)))
                for i in 20..<min(40, gz.count - 8) { gz[i] ^= 0x5a }
                try? FileManager.default.removeItem(atPath: f.path(Self.images))
                f.write(Self.images + ".gz", gz)
            })
        #expect(e.kind == .malformed && e.file.hasSuffix(".gz"), "\(e)")
        #expect(e.reason.hasPrefix("corrupt gzip stream") || e.reason.contains("claims"), "\(e)")
    }

    @Test func truncatedGzip() throws {
        let e = try #require(
            failure { f in
                let gz = DatasetFiles.gzip(
                    DatasetFiles.idx(dimensions: [24, 5, 4], payload: DatasetFiles.pixels(count: 24, size: 20)))
                try? FileManager.default.removeItem(atPath: f.path(Self.images))
                f.write(Self.images + ".gz", Array(gz.dropLast(30)))
            })
        #expect(e.kind == .malformed, "\(e)")
    }

    /// A header that lies about the size inside a gzip file is caught by the trailer's ISIZE
    /// before anything of that size is allocated.
    @Test func lyingGzipHeaderIsCaughtByTheTrailer() throws {
        let e = try #require(
            failure { f in
                let lie =
                    [0, 0, 8, 3] + DatasetFiles.bigEndian(1_000_000) + DatasetFiles.bigEndian(28)
                    + DatasetFiles.bigEndian(28)
                try? FileManager.default.removeItem(atPath: f.path(Self.images))
                f.write(Self.images + ".gz", DatasetFiles.gzip(lie + DatasetFiles.pixels(count: 24, size: 20)))
            })
        #expect(e.reason.contains("claims 784000016 bytes"), "\(e)")
    }

    static let fashion = FashionMNIST.defaultDirectory

    /// The real data, where Debian's dataset-fashion-mnist is installed (CI installs it).
    @Test(.enabled(if: FileBytes.isDirectory(fashion), "dataset-fashion-mnist is not installed"))
    func realFashionMNIST() throws {
        let data = try FashionMNIST.load(DatasetOptions())
        #expect(data.train.count == 55_000 && data.validation.count == 5_000 && data.test.count == 10_000)
        #expect(data.shape == Shape(1, 28, 28))
        #expect(Array(data.train.labels.prefix(10)) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect(Array(data.test.labels.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        #expect(data.train.pixels.byteValues.prefix(784).reduce(0) { $0 + Int($1) } == 76_247)
        #expect(data.train.pixels.byteValues.max() == 255 && data.test.pixels.byteValues.min() == 0)
        #expect(data.classNames[9] == "Ankle boot")
    }
}
