import Engine
import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

/// The ImageFolder dataset end to end on PNG and JPEG files the tests encode: shapes, labels,
/// splits, resizing, channels, and the one-line error of every bad file.
@Suite struct ImageFolderTests {
    /// A w x h image of `channels` whose every byte is a function of `seed`.
    static func image(_ seed: Int, width: Int = 6, height: Int = 5, channels: Int = 1) -> DecodedImage {
        let count = width * height * channels
        return DecodedImage(
            width: width, height: height, channels: channels,
            planes: (0..<count).map { UInt8(truncatingIfNeeded: $0 * 7 + seed * 31) })
    }

    /// Writes `files` (relative path: bytes) into a fresh folder, parents made.
    static func folder(_ files: [String: [UInt8]]) -> DatasetFiles {
        let folder = DatasetFiles()
        for (name, bytes) in files {
            try! FileManager.default.createDirectory(
                atPath: (folder.path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            folder.write(name, bytes)
        }
        return folder
    }

    static func load(_ folder: DatasetFiles, _ image: ImageOptions = ImageOptions(), seed: UInt64 = 1)
        throws(FileError) -> DatasetSplits
    {
        try ImageFolder.load(DatasetOptions(directory: folder.directory, seed: seed, image: image))
    }

    /// Two classes of 12 PNGs each in train/, two test images per class.
    static func twoClasses(extra: [String: [UInt8]] = [:]) -> DatasetFiles {
        var files = extra
        for label in 0..<2 {
            for i in 0..<12 {
                files["train/c\(label)/\(i < 10 ? "0" : "")\(i).png"] = PNGEncoder.encode(image(label * 12 + i))
            }
            for i in 0..<2 { files["test/c\(label)/\(i).png"] = PNGEncoder.encode(image(100 + label * 2 + i)) }
        }
        return folder(files)
    }

    @Test func pngFilesBecomeTheImagesTheyHoldWithAPerClassValidationSplit() throws {
        let folder = Self.twoClasses(extra: ["train/c0/readme.txt": [1]])
        defer { folder.remove() }
        let data = try Self.load(folder)
        #expect(data.shape == Shape(1, 5, 6))
        #expect(data.classNames == ["c0", "c1"])
        #expect(data.train.count == 22 && data.validation.count == 2 && data.test.count == 4)
        #expect(data.validation.labels.sorted() == [0, 1])
        #expect(data.test.labels == [0, 0, 1, 1])
        #expect(data.test.bytes(of: 3) == Self.image(103).pixels)
        // Every training image is one of the files, once, under its own label.
        var seen = Set<[UInt8]>()
        for set in [data.train, data.validation] {
            for i in 0..<set.count {
                let bytes = set.bytes(of: i)
                let seed = (0..<24).first { Self.image($0).pixels == bytes }
                #expect(seed != nil && Int32(seed! / 12) == set.labels[i])
                seen.insert(bytes)
            }
        }
        #expect(seen.count == 24)
        #expect(data.notes.count == 1 && data.notes[0].contains("skipped 1 files"))
    }

    @Test func imagesOfOtherSizesAreRefusedUnlessResizedAndChannelsConvert() throws {
        let folder = Self.twoClasses(extra: ["train/c1/50.png": PNGEncoder.encode(Self.image(9, width: 9, height: 7))])
        defer { folder.remove() }
        #expect(throws: FileError.self) { try Self.load(folder) }
        do {
            _ = try Self.load(folder)
        } catch {
            #expect(error.file.hasSuffix("train/c1/50.png") && error.reason.contains("--image_size"))
            #expect(error.reason.contains("is 9x7") && error.reason.contains("c0/00.png is 6x5"))
        }
        let resized = try Self.load(folder, ImageOptions(size: ImageSize(width: 4, height: 3), channels: 3))
        #expect(resized.shape == Shape(3, 3, 4))
        let expected = PillowResize(fromWidth: 6, height: 5, toWidth: 4, height: 3)
            .resize(Self.image(100).converted(toChannels: 3))
        #expect(resized.test.bytes(of: 0) == expected.pixels)
    }

    @Test func colourJPEGsReadAsGreyWhenAsked() throws {
        var files: [String: [UInt8]] = [:]
        for i in 0..<12 { files["train/\(i).jpg"] = JPEGEncoder.encode(Self.image(i, channels: 3)) }
        files["test/0.jpeg"] = JPEGEncoder.encode(Self.image(50, channels: 3))
        let folder = Self.folder(files)
        defer { folder.remove() }
        let colour = try Self.load(folder)
        #expect(colour.shape == Shape(3, 5, 6) && colour.classNames.isEmpty && colour.validation.count == 1)
        let grey = try Self.load(folder, ImageOptions(channels: 1))
        #expect(grey.shape == Shape(1, 5, 6))
        let decoded = try ImageDecoding.decode(FileBytes.read(folder.path("test/0.jpeg")), file: "t", channels: 1)
        #expect(grey.test.bytes(of: 0) == decoded.pixels)
    }

    /// The error a folder with one bad entry gives, made by `spoil` after the good files exist.
    func failure(_ spoil: (DatasetFiles) -> Void, _ image: ImageOptions = ImageOptions()) -> FileError? {
        let folder = Self.twoClasses()
        defer { folder.remove() }
        spoil(folder)
        do {
            _ = try Self.load(folder, image)
            return nil
        } catch { return error }
    }

    @Test func everyBadFileIsOneLineNamingIt() throws {
        let png = PNGEncoder.encode(Self.image(3))
        let truncated = failure { $0.write("train/c0/03.png", Array(png.prefix(png.count - 20))) }
        #expect(truncated?.kind == .malformed && truncated?.file.hasSuffix("train/c0/03.png") == true)
        let notAnImage = failure { $0.write("train/c1/05.png", Array("hello, world".utf8)) }
        #expect(notAnImage?.kind == .malformed && notAnImage?.file.hasSuffix("train/c1/05.png") == true)
        let bomb = failure(
            { $0.write("test/c0/9.png", PNGEncoder.encode(Self.image(1, width: 40, height: 40))) },
            ImageOptions(size: ImageSize(width: 6, height: 5), maxPixels: 1000))
        #expect(bomb?.file.hasSuffix("test/c0/9.png") == true && bomb?.reason.contains("--max_image_pixels") == true)
        let loop = failure { folder in
            _ = symlink(folder.path("train/c0/loop.png"), folder.path("train/c0/loop.png"))
        }
        #expect(loop?.file.hasSuffix("train/c0/loop.png") == true)
        let dangling = failure { folder in
            _ = symlink(folder.path("nowhere.png"), folder.path("train/c1/gone.png"))
        }
        #expect(dangling?.kind == .missing && dangling?.file.hasSuffix("train/c1/gone.png") == true)
        for error in [truncated, notAnImage, bomb, loop, dangling] {
            #expect(error.map { !$0.description.contains("\n") } == true)
        }
    }
}
