import Foundation
import Plugins
import Protobufs

/// TensorBoard's event files: TFRecord framing (length, masked CRC-32C of the length, the
/// record, masked CRC-32C of the record) around `Event` protocol buffers (TensorBoard's own
/// event.proto, through swift-protobuf) carrying scalar and image summaries. Records are
/// appended whole, one write each.
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
        try append(Self.event(step: 0) { $0.fileVersion = "brain.Event:2" })
        if let step { try append(Self.event(step: step) { $0.sessionLog.status = .start }) }
    }

    deinit { try? handle.close() }

    public func scalar(_ tag: String, _ value: Float, step: Int) throws(FileError) {
        try summary(tag, step: step) { $0.simpleValue = value }
    }

    /// A PNG as an image summary.
    public func image(_ tag: String, png: [UInt8], width: Int, height: Int, channels: Int, step: Int) throws(FileError)
    {
        try summary(tag, step: step) { value in
            value.image.height = Int32(height)
            value.image.width = Int32(width)
            value.image.colorspace = Int32(channels)
            value.image.encodedImageString = Data(png)
        }
    }

    func summary(_ tag: String, step: Int, _ fill: (inout Tensorboard_Summary.Value) -> Void) throws(FileError) {
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        fill(&value)
        try append(Self.event(step: step) { $0.summary.value = [value] })
    }

    static func event(step: Int, _ fill: (inout Tensorboard_Event) -> Void) -> Tensorboard_Event {
        var event = Tensorboard_Event()
        event.wallTime = Date().timeIntervalSince1970
        event.step = Int64(step)
        fill(&event)
        return event
    }

    private func append(_ event: Tensorboard_Event) throws(FileError) {
        let record: [UInt8]
        do { record = try event.serializedBytes() } catch {
            throw .malformed(path, "cannot encode an event: \(error)")
        }
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
