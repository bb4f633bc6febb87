import Foundation
import Protobufs
import TestSupport
import Testing

@testable import DataIO

/// The events file read back record by record (TFRecord framing, checksums verified) and each
/// record decoded as TensorBoard's `Event`: the version record, the SessionLog START a resumed
/// run writes at its step, and the summaries in the order written.
@Suite struct TensorBoardEventsTests {
    static func records(_ bytes: [UInt8]) -> [[UInt8]] {
        var records: [[UInt8]] = [], offset = 0
        func word<T: FixedWidthInteger>(_ type: T.Type) -> T {
            defer { offset += MemoryLayout<T>.size }
            return bytes[offset..<(offset + MemoryLayout<T>.size)].reversed().reduce(0) { $0 << 8 | T($1) }
        }
        while offset < bytes.count {
            let lengthBytes = Array(bytes[offset..<(offset + 8)])
            let length = Int(word(UInt64.self))
            #expect(word(UInt32.self) == CRC32C.masked(lengthBytes))
            let record = Array(bytes[offset..<(offset + length)])
            offset += length
            #expect(word(UInt32.self) == CRC32C.masked(record))
            records.append(record)
        }
        return records
    }

    @Test func aResumedFileStartsAtItsStepAndHoldsItsSummaries() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        let events = try TensorBoardEvents(directory: data.directory, resumedAt: 7)
        try events.scalar("loss", 0.25, step: 8)
        try events.image("filters", png: [1, 2, 3], width: 4, height: 5, channels: 1, step: 9)
        let decoded = try Self.records(FileBytes.read(events.path)).map { try Tensorboard_Event(serializedBytes: $0) }
        #expect(decoded.count == 4)
        #expect(decoded[0].fileVersion == "brain.Event:2" && decoded[0].step == 0)
        #expect(decoded[1].sessionLog.status == .start && decoded[1].step == 7)
        let scalar = decoded[2].summary.value
        #expect(decoded[2].step == 8 && scalar.map(\.tag) == ["loss"] && scalar.first?.simpleValue == 0.25)
        let image = decoded[3].summary.value.first?.image
        #expect(decoded[3].step == 9 && image?.encodedImageString == Data([1, 2, 3]))
        #expect(image?.width == 4 && image?.height == 5 && image?.colorspace == 1)
        #expect(decoded.allSatisfy { abs($0.wallTime - Date().timeIntervalSince1970) < 60 })
    }
}
