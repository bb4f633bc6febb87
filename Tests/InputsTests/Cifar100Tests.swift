import Engine
import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

@Suite struct Cifar100Tests {
    /// The pixels of `writeCifar100`'s records, training then test, and their labels.
    static let images = DatasetFiles.pixels(count: 30, size: 3072)
    static func fine(_ records: Range<Int>) -> [Int32] { records.map { Int32(99 - $0 % 100) } }
    static func coarse(_ records: Range<Int>) -> [Int32] { records.map { Int32($0 % 20) } }

    @Test func fineLabelsByDefaultValidatingOnTheTestFileAsCifar10() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 24, test: 6)
        let data = try Cifar100.load(DatasetOptions(directory: files.directory))
        #expect(data.name == "Cifar100" && data.shape == Shape(3, 32, 32))
        #expect(data.train.count == 24 && data.validation.count == 6 && data.test.count == 6)
        #expect(data.train.pixels == .bytes(Self.images[0..<(24 * 3072)]))
        #expect(data.test.pixels == .bytes(Self.images[(24 * 3072)...]))
        #expect(data.train.labels == Self.fine(0..<24) && data.test.labels == Self.fine(24..<30))
        #expect(data.validation.labels == data.test.labels)
        #expect(data.classNames == (0..<100).map { "fine\($0)" })
    }

    @Test func coarseLabelsGiveTheSameImagesTheirSuperclasses() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 24, test: 6)
        let data = try Cifar100.load(DatasetOptions(directory: files.directory, labelMode: .coarse))
        #expect(data.train.pixels == .bytes(Self.images[0..<(24 * 3072)]))
        #expect(data.test.pixels == .bytes(Self.images[(24 * 3072)...]))
        #expect(data.train.labels == Self.coarse(0..<24) && data.test.labels == Self.coarse(24..<30))
        #expect(data.classNames == (0..<20).map { "coarse\($0)" })
    }

    @Test(arguments: LabelMode.allCases)
    func theRedGreenAndBluePlanesAreTheChannels(_ mode: LabelMode) throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 12, test: 1)
        let planes = [10, 20, 30].flatMap { [UInt8](repeating: $0, count: 1024) }
        files.write("test.bin", [7, 42] + planes)
        let test = try Cifar100.load(DatasetOptions(directory: files.directory, labelMode: mode)).test
        #expect(test.shape == Shape(3, 32, 32) && test.bytes(of: 0) == planes)
        #expect(test.labels == [mode == .fine ? 42 : 7])
    }

    @Test func numberedClassNamesWithoutTheArchivesNameFiles() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 12, test: 2, names: false)
        let fine = try Cifar100.load(DatasetOptions(directory: files.directory))
        #expect(fine.classNames == (0..<100).map(String.init))
        let coarse = try Cifar100.load(DatasetOptions(directory: files.directory, labelMode: .coarse))
        #expect(coarse.classNames == (0..<20).map(String.init))
    }

    @Test(arguments: LabelMode.allCases)
    func canHoldOutATwelfthOfTheTrainingFileInstead(_ mode: LabelMode) throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 24, test: 6, names: false)
        let data = try Cifar100.load(
            DatasetOptions(directory: files.directory, validateOnTrainingSplit: true, labelMode: mode))
        #expect(data.train.count == 22 && data.validation.count == 2 && data.test.count == 6)
        let labels = mode == .fine ? Self.fine : Self.coarse
        #expect(data.train.labels == labels(0..<22) && data.validation.labels == labels(22..<24))
        #expect(data.validation.pixels == .bytes(Self.images[(22 * 3072)..<(24 * 3072)]))
        #expect(data.test.labels == labels(24..<30))
    }

    @Test func tooFewTrainingRecordsToHoldOutATwelfth() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 11, test: 1)
        #expect(
            throws: FileError.malformed(
                files.path("train.bin"), "11 records are too few to hold out a twelfth for validation")
        ) {
            try Cifar100.load(DatasetOptions(directory: files.directory, validateOnTrainingSplit: true))
        }
    }

    func failure(_ mode: LabelMode = .fine, _ setup: (DatasetFiles) -> Void) -> FileError? {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar100(train: 12, test: 2)
        setup(files)
        do {
            _ = try Cifar100.load(DatasetOptions(directory: files.directory, labelMode: mode))
            return nil
        } catch {
            return error
        }
    }

    @Test func aMissingFolderOrFileSaysWhereToGetIt() throws {
        let provider = "run scripts/fetch_cifar100.sh or pass --data_dir"
        #expect(throws: FileError.missing("/nonexistent/cifar-100-binary", "no such folder; \(provider)")) {
            try Cifar100.load(DatasetOptions(directory: "/nonexistent/cifar-100-binary"))
        }
        for name in ["train.bin", "test.bin"] {
            let e = try #require(failure { try? FileManager.default.removeItem(atPath: $0.path(name)) })
            #expect(
                e.kind == .missing && e.file.hasSuffix("/" + name) && e.reason == "no such file; \(provider)", "\(e)")
            #expect(e.exitCode == 66)
        }
    }

    @Test func lengthNotAMultipleOfTheRecord() throws {
        let e = try #require(failure { $0.write("train.bin", [UInt8](repeating: 1, count: 3074 * 2 + 5)) })
        #expect(
            e.file.hasSuffix("train.bin") && e.reason == "6153 bytes is not a whole number of 3074-byte records",
            "\(e)")
        #expect(e.exitCode == 65)
        let empty = try #require(failure { $0.write("test.bin", []) })
        #expect(
            empty.file.hasSuffix("test.bin") && empty.reason == "0 bytes is not a whole number of 3074-byte records")
    }

    /// Both label bytes are checked whichever the run takes: either out of range means a broken file.
    @Test(arguments: LabelMode.allCases)
    func labelsOutOfRangeNameTheFileAndRecord(_ mode: LabelMode) throws {
        let image = [UInt8](repeating: 0, count: 3072)
        let fine = try #require(failure(mode) { $0.write("test.bin", [0, 5] + image + [19, 100] + image) })
        #expect(
            fine.file.hasSuffix("test.bin") && fine.reason == "fine label 100 of record 1 is outside 0...99", "\(fine)")
        #expect(fine.exitCode == 65)
        let coarse = try #require(failure(mode) { $0.write("train.bin", [20, 5] + image) })
        #expect(
            coarse.file.hasSuffix("train.bin") && coarse.reason == "coarse label 20 of record 0 is outside 0...19",
            "\(coarse)")
    }

    @Test func aNameFileMustNameEveryClass() throws {
        let fine = try #require(failure { $0.write("fine_label_names.txt", Array("apple\npear\n".utf8)) })
        #expect(
            fine.file.hasSuffix("fine_label_names.txt") && fine.reason == "names 2 classes, expected 100", "\(fine)")
        #expect(fine.exitCode == 65)
        let coarse = try #require(failure(.coarse) { $0.write("coarse_label_names.txt", Array("fruit\n".utf8)) })
        #expect(coarse.reason == "names 1 classes, expected 20", "\(coarse)")
        // Only the taken label's names are read.
        #expect(failure(.coarse) { $0.write("fine_label_names.txt", Array("apple\n".utf8)) } == nil)
    }
}
