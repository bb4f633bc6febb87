import Foundation
import Plugins

/// The safetensors format (8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data), so that Python's
/// `safetensors` and numpy can open the bench's checkpoints. Only float32 tensors are written.
public enum SafeTensors {
    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "shape \(shape) for \(values.count) values")
            self.shape = shape
            self.values = values
        }
    }

    public struct File: Equatable, Sendable {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]

        public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    public static func encode(_ file: File) -> [UInt8] {
        var header: [String: Any] = [:]
        if !file.metadata.isEmpty { header["__metadata__"] = file.metadata }
        var offset = 0
        let names = file.tensors.keys.sorted()
        for name in names {
            let t = file.tensors[name]!
            header[name] =
                ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.values.count]]
                as [String: Any]
            offset += 4 * t.values.count
        }
        var json = Array(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }  // the format pads the header with spaces
        var out = [UInt8]()
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out += json
        for name in names {
            file.tensors[name]!.values.withUnsafeBytes { out.append(contentsOf: $0) }  // x86 and ARM are little-endian
        }
        return out
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(FileError) -> File {
        guard bytes.count >= 8 else { throw .malformed(path, "not a safetensors file (\(bytes.count) bytes)") }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length > 0, length <= UInt64(bytes.count - 8) else {
            throw .malformed(
                path, "not a safetensors file (header length \(length) for a file of \(bytes.count) bytes)")
        }
        let dataStart = 8 + Int(length)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw .malformed(path, "not a safetensors file (its header is not a JSON object)")
        }
        var file = File()
        if let meta = header["__metadata__"] {
            guard let meta = meta as? [String: String] else {
                throw .malformed(path, "__metadata__ is not a map of strings")
            }
            file.metadata = meta
        }
        let dataLength = bytes.count - dataStart
        var ranges: [(Int, Int)] = []
        for (name, entry) in header where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else {
                throw .malformed(path, "tensor \(name) has no valid dtype, shape and data_offsets")
            }
            guard dtype == "F32" else { throw .malformed(path, "tensor \(name) is \(dtype), the bench reads F32 only") }
            let (begin, end) = (offsets[0], offsets[1])
            guard shape.allSatisfy({ $0 >= 0 }), begin >= 0, begin <= end, end <= dataLength else {
                throw .malformed(
                    path, "tensor \(name) lies outside the file (bytes \(begin)..<\(end) of \(dataLength))")
            }
            var count = 1
            for d in shape {
                let (p, o) = count.multipliedReportingOverflow(by: d)
                guard !o, p <= dataLength else {
                    throw .malformed(path, "tensor \(name) has an impossible shape \(shape)")
                }
                count = p
            }
            guard end - begin == 4 * count else {
                throw .malformed(path, "tensor \(name) of shape \(shape) needs \(4 * count) bytes, has \(end - begin)")
            }
            ranges.append((begin, end))
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(dataStart + begin)..<(dataStart + end)]))
                }
            }
            file.tensors[name] = Tensor(shape: shape, values: values)
        }
        ranges.sort { $0.0 < $1.0 }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
            throw .malformed(path, "tensors overlap at byte \(b.0)")
        }
        return file
    }
}
