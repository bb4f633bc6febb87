import Foundation
import Protobufs

/// The node attributes the bench's layers need, built by name and kind.
extension Onnx_AttributeProto {
    public static func int(_ name: String, _ value: Int) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    public static func float(_ name: String, _ value: Float) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .float
        attribute.f = value
        return attribute
    }

    public static func ints(_ name: String, _ values: [Int]) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    public static func string(_ name: String, _ value: String) -> Self {
        var attribute = Self()
        attribute.name = name
        attribute.type = .string
        attribute.s = Array(value.utf8).withUnsafeBufferPointer { Data(buffer: $0) }
        return attribute
    }
}
