import Engine
import Foundation
import Plugins
import TestSupport
import Testing

@testable import DataIO
@testable import Inputs

@Suite struct Cifar10Tests {
    @Test func roundTripsRecordsAndValidatesOnTheTestBatchAsDTB() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar(perBatch: 4)
        let data = try Cifar10.load(DatasetOptions(directory: files.directory))
        let images = DatasetFiles.pixels(count: 24, size: 3072)
        #expect(data.shape == Shape(3, 32, 32))
        #expect(data.train.count == 20 && data.test.count == 4 && data.validation.count == 4)
        #expect(data.train.pixels == .bytes(images[0..<(20 * 3072)]))
        #expect(data.test.pixels == .bytes(images[(20 * 3072)...]))
        #expect(data.train.labels == (0..<20).map { Int32($0 % 10) })
        #expect(data.test.labels == [0, 1, 2, 3])
        #expect(data.classNames.last == "truck")
    }

    @Test func canHoldOutATwelfthOfTheTrainingBatchesInstead() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar(perBatch: 12, meta: false)
        let data = try Cifar10.load(DatasetOptions(directory: files.directory, validateOnTrainingSplit: true))
        #expect(data.train.count == 55 && data.validation.count == 5 && data.test.count == 12)
        #expect(data.validation.labels == (55..<60).map { Int32($0 % 10) })
    }

    func failure(_ setup: (DatasetFiles) -> Void) -> FileError? {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeCifar(perBatch: 2)
        setup(files)
        do { _ = try Cifar10.load(DatasetOptions(directory: files.directory)); return nil } catch { return error }
    }

    @Test func lengthNotAMultipleOfTheRecord() throws {
        let e = try #require(failure { $0.write("data_batch_3.bin", [UInt8](repeating: 1, count: 3073 * 2 + 5)) })
        #expect(
            e.file.hasSuffix("data_batch_3.bin") && e.reason == "6151 bytes is not a whole number of 3073-byte records",
            "\(e)")
        #expect(e.exitCode == 65)
    }

    @Test func labelOutOfRange() throws {
        let e = try #require(failure { $0.write("test_batch.bin", [12] + [UInt8](repeating: 0, count: 3072)) })
        #expect(e.reason == "label 12 of record 0 is outside 0...9", "\(e)")
    }

    @Test func missingBatchAndBadMeta() throws {
        let missing = try #require(failure { try? FileManager.default.removeItem(atPath: $0.path("data_batch_5.bin")) })
        #expect(missing.kind == .missing && missing.file.hasSuffix("data_batch_5.bin"), "\(missing)")
        let meta = try #require(failure { $0.write("batches.meta.txt", Array("cat\ndog\n".utf8)) })
        #expect(meta.reason == "names 2 classes, expected 10", "\(meta)")
    }
}
