/// An array read from an `.npy` file, as the bench keeps it whatever the file's own order: the
/// elements in C order (row-major) and little-endian, so callers never see a byte order or a
/// Fortran layout. An array that needed neither conversion shares the file's bytes.
public struct NpyArray: Sendable {
    public let shape: [Int]
    /// The element type; always little-endian here.
    public let dtype: NpyDType
    public let bytes: ArraySlice<UInt8>

    public init(shape: [Int], dtype: NpyDType, bytes: ArraySlice<UInt8>) {
        precondition(!dtype.bigEndian, "NpyArray holds little-endian elements")
        self.shape = shape
        self.dtype = dtype
        self.bytes = bytes
    }

    /// Elements in the array.
    public var count: Int { bytes.count / dtype.size }

    /// The shape as Python writes a tuple: `(60000, 28, 28)`, `(10,)`.
    public static func describe(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
}
