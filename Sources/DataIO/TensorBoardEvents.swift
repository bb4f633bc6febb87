import Foundation
import Plugins

/// TensorBoard's event files: TFRecord framing (length, masked CRC-32C of the length, the
/// record, masked CRC-32C of the record) around hand-encoded `Event` protocol buffers carrying
/// scalar and image summaries. Records are appended whole, one write each.
public final class TensorBoardEvents {
    public let path: String
    private let handle: FileHandle

    /// A new events file in `directory`; `resumedAt` writes a SessionLog START at that step, which
    /// tells TensorBoard to drop events a killed run logged beyond its last checkpoint.
    public init(directory: String, resumedAt step: Int? = nil) throws(FileError) {
        let host = ProcessInfo.processInfo.hostName
        path = "\(directory)/events.out.tfevents.\(Int(Date().timeIntervalSince1970)).\(host).\(getpid())"
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw .missing(path, "cannot create the TensorBoard events file")
        }
        self.handle = handle
        try append(Self.event(step: 0, body: Protobuf.string(3, "brain.Event:2")))
        if let step { try append(Self.event(step: step, body: Protobuf.message(6, Protobuf.varintField(1, 1)))) }
    }

    deinit { try? handle.close() }

    public func scalar(_ tag: String, _ value: Float, step: Int) throws(FileError) {
        let summaryValue = Protobuf.string(1, tag) + Protobuf.fixed32(2, value.bitPattern)
        try append(Self.event(step: step, body: Protobuf.message(5, Protobuf.message(1, summaryValue))))
    }

    /// A PNG as an image summary.
    public func image(_ tag: String, png: [UInt8], width: Int, height: Int, channels: Int, step: Int) throws(FileError)
    {
        let image =
            Protobuf.varintField(1, UInt64(height)) + Protobuf.varintField(2, UInt64(width))
            + Protobuf.varintField(3, UInt64(channels)) + Protobuf.bytes(4, png)
        let summaryValue = Protobuf.string(1, tag) + Protobuf.message(4, image)
        try append(Self.event(step: step, body: Protobuf.message(5, Protobuf.message(1, summaryValue))))
    }

    static func event(step: Int, body: [UInt8]) -> [UInt8] {
        Protobuf.fixed64(1, Date().timeIntervalSince1970.bitPattern) + Protobuf.varintField(2, UInt64(step)) + body
    }

    private func append(_ record: [UInt8]) throws(FileError) {
        var framed = [UInt8]()
        let length = Self.littleEndian(UInt64(record.count))
        framed += length
        framed += Self.littleEndian(CRC32C.masked(length))
        framed += record
        framed += Self.littleEndian(CRC32C.masked(record))
        do { try handle.write(contentsOf: Data(framed)) } catch {
            throw .malformed(path, "cannot write: \(error.localizedDescription)")
        }
    }

    static func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }
}

/// The few protocol-buffer wire forms the events need.
enum Protobuf {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out = [UInt8]()
        repeat {
            out.append(UInt8(v & 0x7F) | (v > 0x7F ? 0x80 : 0))
            v >>= 7
        } while v > 0
        return out
    }

    static func varintField(_ field: Int, _ value: UInt64) -> [UInt8] { varint(UInt64(field << 3)) + varint(value) }
    static func fixed64(_ field: Int, _ value: UInt64) -> [UInt8] {
        varint(UInt64(field << 3 | 1)) + TensorBoardEvents.littleEndian(value)
    }
    static func fixed32(_ field: Int, _ value: UInt32) -> [UInt8] {
        varint(UInt64(field << 3 | 5)) + TensorBoardEvents.littleEndian(value)
    }
    static func bytes(_ field: Int, _ value: [UInt8]) -> [UInt8] {
        varint(UInt64(field << 3 | 2)) + varint(UInt64(value.count)) + value
    }
    static func string(_ field: Int, _ value: String) -> [UInt8] { bytes(field, Array(value.utf8)) }
    static func message(_ field: Int, _ value: [UInt8]) -> [UInt8] { bytes(field, value) }
}
