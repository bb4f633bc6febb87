/// An image set's pixel values as its files store them: bytes (0 to 255, every image format but
/// floating-point NumPy arrays) or float intensities in [0, 1]. Either kind becomes the model's
/// range one batch at a time, so a dataset is held at its stored size, never as model inputs.
public enum Pixels: Sendable, Equatable {
    case bytes(ArraySlice<UInt8>)
    case intensities(ArraySlice<Float>)

    public var count: Int {
        switch self {
        case .bytes(let values): values.count
        case .intensities(let values): values.count
        }
    }

    /// The values at `offsets` (counted from the first value), sharing this storage.
    public func slice(_ offsets: Range<Int>) -> Pixels {
        switch self {
        case .bytes(let values):
            .bytes(values[(values.startIndex + offsets.lowerBound)..<(values.startIndex + offsets.upperBound)])
        case .intensities(let values):
            .intensities(values[(values.startIndex + offsets.lowerBound)..<(values.startIndex + offsets.upperBound)])
        }
    }

    /// `parts` one after another; they must all be of the first one's kind.
    public static func joined(_ parts: [Pixels]) -> Pixels {
        if case .intensities = parts.first {
            return .intensities(
                parts.flatMap { part -> ArraySlice<Float> in
                    guard case .intensities(let values) = part else { preconditionFailure("joining bytes to floats") }
                    return values
                }[...])
        }
        return .bytes(
            parts.flatMap { part -> ArraySlice<UInt8> in
                guard case .bytes(let values) = part else { preconditionFailure("joining floats to bytes") }
                return values
            }[...])
    }
}
