import Engine
import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

@Suite struct NumPyDatasetTests {
    typealias F = NumPyFiles

    /// `n` images of `size` values: value k of image i is (i * 7 + k * 3) mod 256, as the idx tests use.
    static func images(_ n: Int, _ size: Int) -> [UInt8] { DatasetFiles.pixels(count: n, size: size) }

    static func labels(_ n: Int, classes: Int = 10) -> [UInt8] {
        F.npy(descr: "<i8", shape: "(\(n),)", data: F.integers((0..<n).map { Int64($0 % classes) }, size: 8))
    }

    /// A folder dataset of uint8 images shaped `shape` (a tuple's text without N), 24 training and 5 test.
    func folder(shape: String = "5, 4", size: Int = 20) -> DatasetFiles {
        let files = DatasetFiles()
        files.write("train_images.npy", F.npy(descr: "|u1", shape: "(24, \(shape))", data: Self.images(24, size)))
        files.write("train_labels.npy", Self.labels(24))
        files.write("test_images.npy", F.npy(descr: "|u1", shape: "(5, \(shape))", data: Self.images(5, size)))
        files.write("test_labels.npy", Self.labels(5))
        return files
    }

    func load(_ files: DatasetFiles, layout: ImageLayout? = nil) throws(FileError) -> DatasetSplits {
        try NumPy.load(DatasetOptions(directory: files.directory, layout: layout))
    }

    func failure(_ files: DatasetFiles, layout: ImageLayout? = nil) -> FileError? {
        defer { files.remove() }
        do {
            _ = try load(files, layout: layout)
            return nil
        } catch { return error }
    }

    @Test func greyImagesSplitLikeMNIST() throws {
        let files = folder()
        defer { files.remove() }
        let data = try load(files)
        #expect(data.name == "NumPy" && data.shape == Shape(1, 5, 4))
        #expect(data.train.count == 22 && data.validation.count == 2 && data.test.count == 5)
        #expect(data.train.pixels == .bytes(Self.images(24, 20)[0..<(22 * 20)]))
        #expect(data.validation.pixels == .bytes(Self.images(24, 20)[(22 * 20)...]))
        #expect(data.validation.labels == [2, 3] && data.test.labels == [0, 1, 2, 3, 4])
        #expect(data.classNames == (0...9).map(String.init))
    }

    /// NHWC colour images become NCHW: channel c of pixel p is value p * 3 + c of the image.
    @Test(arguments: [nil, ImageLayout.nhwc])
    func colourImagesChannelsLast(layout: ImageLayout?) throws {
        let files = folder(shape: "5, 4, 3", size: 60)
        defer { files.remove() }
        let data = try load(files, layout: layout)
        #expect(data.shape == Shape(3, 5, 4))
        let source = Self.images(5, 60), test = data.test.pixels.byteValues
        for image in 0..<5 {
            for c in 0..<3 {
                for p in 0..<20 { #expect(test[image * 60 + c * 20 + p] == source[image * 60 + p * 3 + c]) }
            }
        }
    }

    @Test(arguments: [nil, ImageLayout.nchw])
    func colourImagesChannelsFirstAreKeptAsStored(layout: ImageLayout?) throws {
        let files = folder(shape: "3, 5, 4", size: 60)
        defer { files.remove() }
        let data = try load(files, layout: layout)
        #expect(data.shape == Shape(3, 5, 4) && data.test.pixels == .bytes(Self.images(5, 60)[...]))
    }

    @Test func anAmbiguousShapeNeedsTheLayoutFlag() throws {
        let e = try #require(failure(folder(shape: "3, 4, 3", size: 36)))
        #expect(
            e.file.hasSuffix("train_images.npy") && e.reason.contains("pass --layout nhwc or --layout nchw"), "\(e)")
        let files = folder(shape: "3, 4, 3", size: 36)
        defer { files.remove() }
        #expect(try load(files, layout: .nchw).shape == Shape(3, 4, 3))
        #expect(try load(files, layout: .nhwc).shape == Shape(3, 3, 4))
        let wrong = try #require(failure(folder(shape: "5, 4, 3", size: 60), layout: .nchw))
        #expect(wrong.reason == "images (24, 5, 4, 3) read as nchw have 5 channels; the bench takes 1 or 3", "\(wrong)")
    }

    /// A float intensity x maps to the model's range as the byte 255x does.
    @Test func floatIntensitiesAreKeptAndScaledLikeBytes() throws {
        let bytes = Self.images(24, 20)
        let files = folder()
        defer { files.remove() }
        let intensities = bytes.map { Float($0) / 255 }
        files.write("train_images.npy", F.npy(descr: "<f4", shape: "(24, 5, 4)", data: F.floats(intensities)))
        files.write(
            "test_images.npy",
            F.npy(
                descr: ">f8", shape: "(5, 5, 4)",
                data: F.doubles(Self.images(5, 20).map { Double($0) / 255 }, bigEndian: true)))
        let floats = try load(files)
        #expect(floats.train.pixels.floatValues == Array(intensities[0..<(22 * 20)]))
        let bytesFiles = folder()
        defer { bytesFiles.remove() }
        let plain = try load(bytesFiles)
        for range in [PixelRange.zeroToOne, .minusOneToOne] {
            let a = Tensor(shape: Shape(1, 5, 4), capacity: 5), b = Tensor(shape: Shape(1, 5, 4), capacity: 5)
            _ = Batcher(floats.test, batchSize: 5).fill(batch: 0, into: a, labels: nil, range: range)
            _ = Batcher(plain.test, batchSize: 5).fill(batch: 0, into: b, labels: nil, range: range)
            for k in 0..<100 { #expect(abs(a.sample(0)[k] - b.sample(0)[k]) < 1e-6, "\(range) value \(k)") }
            #expect(range == .zeroToOne ? a.sample(0)[0] == 0 : a.sample(0)[0] == -1)
        }
    }

    @Test func floatsOutsideZeroToOneAreRefused() throws {
        let files = folder()
        files.write(
            "train_images.npy",
            F.npy(descr: "<f4", shape: "(24, 5, 4)", data: F.floats(Self.images(24, 20).map(Float.init))))
        let e = try #require(failure(files))
        #expect(
            e.file.hasSuffix("train_images.npy")
                && e.reason.contains("must hold intensities in [0, 1]; element 1 is 3.0"), "\(e)")
        let nan = folder()
        nan.write(
            "test_images.npy",
            F.npy(descr: "<f4", shape: "(5, 5, 4)", data: F.floats([.nan] + [Float](repeating: 0, count: 99))))
        let f = try #require(failure(nan))
        #expect(f.reason.contains("element 0 is nan"), "\(f)")
    }

    @Test func labelsOfAnyIntegerTypeAndShapeNOrNByOne() throws {
        let files = folder()
        defer { files.remove() }
        files.write(
            "train_labels.npy",
            F.npy(
                descr: ">u2", shape: "(24, 1)",
                data: F.integers((0..<24).map { Int64($0 % 10) }, size: 2, bigEndian: true)))
        files.write("test_labels.npy", F.npy(descr: "|i1", shape: "(5,)", data: F.integers([0, 1, 2, 3, 4], size: 1)))
        let data = try load(files)
        #expect(data.train.labels == (0..<22).map { Int32($0 % 10) } && data.test.labels == [0, 1, 2, 3, 4])
    }

    @Test func badLabels() throws {
        let count = folder()
        count.write("test_labels.npy", Self.labels(4))
        let e = try #require(failure(count))
        #expect(e.file.hasSuffix("test_labels.npy") && e.reason.hasPrefix("has 4 labels for 5 images in "), "\(e)")
        let negative = folder()
        negative.write(
            "test_labels.npy", F.npy(descr: "<i2", shape: "(5,)", data: F.integers([0, 1, -3, 1, 1], size: 2)))
        let f = try #require(failure(negative))
        #expect(f.reason == "label -3 of image 2 is negative", "\(f)")
        let float = folder()
        float.write("test_labels.npy", F.npy(descr: "<f4", shape: "(5,)", data: F.floats([0, 1, 2, 3, 4])))
        let g = try #require(failure(float))
        #expect(g.reason == "labels are float32; expected an integer type", "\(g)")
        let huge = folder()
        huge.write(
            "test_labels.npy", F.npy(descr: "<u8", shape: "(5,)", data: F.integers([0, 1, 2, 1_000_000, 1], size: 8)))
        let h = try #require(failure(huge))
        #expect(h.reason.hasPrefix("label 1000000 of image 3 would make 1000001 classes"), "\(h)")
        let shape = folder()
        shape.write("test_labels.npy", F.npy(descr: "<i8", shape: "(5, 2)", data: [UInt8](repeating: 0, count: 80)))
        let i = try #require(failure(shape))
        #expect(i.reason == "labels are (5, 2); expected (N,) or (N, 1)", "\(i)")
    }

    @Test func classesTxtNamesTheClassesAndBoundsTheLabels() throws {
        let files = folder()
        defer { files.remove() }
        let names = (0..<12).map { "class \($0)" }
        files.write("classes.txt", Array((names.joined(separator: "\n") + "\n").utf8))
        #expect(try load(files).classNames == names)
        files.write("classes.txt", Array("a\nb\n\nc\n".utf8))
        let e = try #require(failure(files))
        #expect(
            e.file.hasSuffix("train_labels.npy") && e.reason.hasPrefix("label 3 of image 3 is outside 0...2"), "\(e)")
    }

    @Test func inferredClassesCoverEverySplit() throws {
        let files = folder()
        defer { files.remove() }
        files.write("train_labels.npy", Self.labels(24, classes: 3))
        files.write("test_labels.npy", F.npy(descr: "<i8", shape: "(5,)", data: F.integers([0, 1, 6, 1, 1], size: 8)))
        #expect(try load(files).classNames == (0...6).map(String.init))
    }

    @Test func validationArraysAreUsedWhenPresent() throws {
        let files = folder()
        defer { files.remove() }
        files.write("validation_images.npy", F.npy(descr: "|u1", shape: "(3, 5, 4)", data: Self.images(3, 20)))
        files.write("validation_labels.npy", Self.labels(3))
        let data = try load(files)
        #expect(data.train.count == 24 && data.validation.count == 3 && data.validation.labels == [0, 1, 2])
        files.write("validation_images.npy", F.npy(descr: "|u1", shape: "(3, 4, 5)", data: Self.images(3, 20)))
        let e = try #require(failure(files))
        #expect(
            e.file.hasSuffix("validation_images.npy") && e.reason == "images are 1x4x5, the training images are 1x5x4",
            "\(e)")
    }

    @Test func missingFolderArraysAndHalfSplits() throws {
        #expect(
            throws: FileError.missing(
                "/nonexistent/np",
                "no such folder or .npz file; pass --data_dir (a folder of .npy files, or an .npz file)")
        ) { try NumPy.load(DatasetOptions(directory: "/nonexistent/np")) }
        let test = folder()
        try FileManager.default.removeItem(atPath: test.path("test_images.npy"))
        try FileManager.default.removeItem(atPath: test.path("test_labels.npy"))
        let e = try #require(failure(test))
        #expect(e.kind == .missing && e.exitCode == 66 && e.file.hasSuffix("test_images.npy"), "\(e)")
        let half = folder()
        half.write("validation_labels.npy", Self.labels(3))
        let f = try #require(failure(half))
        #expect(f.kind == .missing && f.file.hasSuffix("validation_images.npy"), "\(f)")
        let few = DatasetFiles()
        few.write("train_images.npy", F.npy(descr: "|u1", shape: "(11, 2, 2)", data: Self.images(11, 4)))
        few.write("train_labels.npy", Self.labels(11))
        few.write("test_images.npy", F.npy(descr: "|u1", shape: "(1, 2, 2)", data: Self.images(1, 4)))
        few.write("test_labels.npy", Self.labels(1))
        let g = try #require(failure(few))
        #expect(g.reason == "11 images are too few to split off validation", "\(g)")
    }

    @Test(arguments: [false, true])
    func anNpzFileAsDataDir(deflated: Bool) throws {
        let files = DatasetFiles()
        defer { files.remove() }
        let members: [(name: String, contents: [UInt8])] = [
            ("train_images.npy", F.npy(descr: "|u1", shape: "(24, 5, 4)", data: Self.images(24, 20))),
            ("train_labels.npy", Self.labels(24)),
            ("test_images.npy", F.npy(descr: "|u1", shape: "(5, 5, 4)", data: Self.images(5, 20))),
            ("test_labels.npy", Self.labels(5)),
        ]
        files.write("digits.npz", F.zip(members, deflated: deflated))
        files.write("classes.txt", Array((0..<10).map { "digit \($0)" }.joined(separator: "\n").utf8))
        let data = try NumPy.load(DatasetOptions(directory: files.path("digits.npz")))
        #expect(data.train.count == 22 && data.test.pixels == .bytes(Self.images(5, 20)[...]))
        #expect(data.classNames.first == "digit 0")
        files.write("partial.npz", F.zip(Array(members.prefix(2)), deflated: deflated))
        let e = try #require(throws: FileError.self) {
            try NumPy.load(DatasetOptions(directory: files.path("partial.npz")))
        }
        #expect(e.kind == .missing && e.file == files.path("partial.npz") + ":test_images.npy", "\(e)")
        #expect(e.reason == "no such array; the archive holds train_images, train_labels", "\(e)")
    }

    /// The same digits as idx files and as .npy arrays give the same image sets and splits, so
    /// a seeded run trains to the same numbers on either.
    @Test func theSameDigitsAsArraysAreTheSameDatasetAsIdxFiles() throws {
        let idx = DatasetFiles()
        defer { idx.remove() }
        idx.writeIdxDataset(train: 30, test: 7, rows: 5, cols: 4, gzip: true)
        let arrays = DatasetFiles()
        defer { arrays.remove() }
        for (prefix, n) in [("train", 30), ("test", 7)] {
            arrays.write(
                "\(prefix)_images.npy", NpyWriter.encode(DatasetFiles.pixels(count: n, size: 20), shape: [n, 5, 4]))
            arrays.write("\(prefix)_labels.npy", NpyWriter.encode((0..<n).map { Int64($0 % 10) }, shape: [n]))
        }
        let a = try MNIST.load(DatasetOptions(directory: idx.directory))
        let b = try NumPy.load(DatasetOptions(directory: arrays.directory))
        #expect(a.classNames == b.classNames && a.shape == b.shape)
        for (x, y) in [(a.train, b.train), (a.validation, b.validation), (a.test, b.test)] {
            #expect(x.pixels == y.pixels && x.labels == y.labels && x.shape == y.shape)
        }
        // And an exported image set reads back as itself.
        let exported = DatasetFiles()
        defer { exported.remove() }
        for (name, set) in [("train", a.train), ("validation", a.validation), ("test", a.test)] {
            exported.write("\(name)_images.npy", NpyWriter.images(set))
            exported.write("\(name)_labels.npy", NpyWriter.labels(set))
        }
        let c = try NumPy.load(DatasetOptions(directory: exported.directory))
        #expect(c.train.pixels == a.train.pixels && c.validation.labels == a.validation.labels)
    }
}
