import Plugins

/// An element type of an `.npy` array that the bench reads: integers of 1, 2, 4 or 8 bytes,
/// signed or not, and 32- or 64-bit floats, stored little- or big-endian. Everything else an
/// array can hold (bool, float16, complex, strings, dates, structured records, pickled Python
/// objects) is refused by name, never guessed at.
public struct NpyDType: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unsigned, signed, float
    }

    public let kind: Kind
    /// Bytes an element.
    public let size: Int
    public let bigEndian: Bool

    public init(kind: Kind, size: Int, bigEndian: Bool = false) {
        self.kind = kind
        self.size = size
        self.bigEndian = bigEndian
    }

    public static let uint8 = NpyDType(kind: .unsigned, size: 1)
    public static let int64 = NpyDType(kind: .signed, size: 8)
    public static let float32 = NpyDType(kind: .float, size: 4)

    /// NumPy's name for the type (`uint8`, `float32`).
    public var description: String {
        switch kind {
        case .unsigned: "uint\(size * 8)"
        case .signed: "int\(size * 8)"
        case .float: "float\(size * 8)"
        }
    }

    /// The header's `descr` for the type, little-endian (`|u1`, `<i8`, `<f4`).
    var descr: String {
        let code: Character = kind == .unsigned ? "u" : kind == .signed ? "i" : "f"
        return (size == 1 ? "|" : bigEndian ? ">" : "<") + String(code) + String(size)
    }

    /// The same type with its bytes in little-endian order.
    var littleEndian: NpyDType { NpyDType(kind: kind, size: size) }

    static let supported = "uint8, int8, int16, int32, int64, uint16, uint32, uint64, float32 and float64"

    /// Parses a header's `descr` string (`'<u1'`, `'>i4'`, `'|u1'`); `path` names the file in errors.
    static func parse(_ descr: String, path: String) throws(FileError) -> NpyDType {
        var rest = Substring(descr)
        var order: Character = "="
        if let first = rest.first, "<>|=".contains(first) {
            order = first
            rest = rest.dropFirst()
        }
        guard let code = rest.first else { throw .malformed(path, "dtype '\(descr)' names no type") }
        let size = Int(rest.dropFirst())
        let kind: Kind
        switch code {
        case "u": kind = .unsigned
        case "i": kind = .signed
        case "f": kind = .float
        case "O":
            throw .malformed(path, "dtype '\(descr)' holds pickled Python objects, which the bench never loads")
        case "c":
            throw .malformed(path, "dtype '\(descr)' is complex; the bench reads \(supported)")
        case "S", "a", "U":
            throw .malformed(path, "dtype '\(descr)' holds strings; the bench reads \(supported)")
        case "V":
            throw .malformed(path, "dtype '\(descr)' is a structured record; the bench reads \(supported)")
        default:
            throw .malformed(path, "dtype '\(descr)' is not one the bench reads (\(supported))")
        }
        let sizes = kind == .float ? [4, 8] : [1, 2, 4, 8]
        guard let size, sizes.contains(size) else {
            throw .malformed(path, "dtype '\(descr)' is not one the bench reads (\(supported))")
        }
        guard order != "|" || size == 1 else {
            throw .malformed(path, "dtype '\(descr)' gives no byte order ('|') for a \(size)-byte type")
        }
        // '=' is the writer's native order, and every machine NumPy writes for today is little-endian.
        return NpyDType(kind: kind, size: size, bigEndian: order == ">" && size > 1)
    }
}
