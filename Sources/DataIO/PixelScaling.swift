import Plugins

extension PixelRange {
    /// A pixel's byte as a float in this range.
    @inline(__always)
    func scale(_ byte: UInt8) -> Float {
        switch self {
        case .zeroToOne: Float(byte) * (1 / 255)
        case .minusOneToOne: Float(byte) * (2 / 255) - 1
        }
    }

    /// A float intensity in [0, 1] (a byte divided by 255) as a float in this range.
    @inline(__always)
    func scale(_ intensity: Float) -> Float {
        switch self {
        case .zeroToOne: intensity
        case .minusOneToOne: intensity * 2 - 1
        }
    }
}

extension Pixels {
    /// Writes image `index` (`size` values) into `destination`, scaled to `range`. The switch on
    /// the kind of pixels is taken once an image; each kind's loop is its own specialised copy.
    func scale(image index: Int, size: Int, into destination: UnsafeMutablePointer<Float>, range: PixelRange) {
        switch self {
        case .bytes(let values):
            values.withUnsafeBufferPointer { source in
                scaleImage(source.baseAddress! + index * size, size, destination, range.scale)
            }
        case .intensities(let values):
            values.withUnsafeBufferPointer { source in
                scaleImage(source.baseAddress! + index * size, size, destination, range.scale)
            }
        }
    }
}

@inline(__always)
private func scaleImage<Value>(
    _ source: UnsafePointer<Value>, _ size: Int, _ destination: UnsafeMutablePointer<Float>, _ scale: (Value) -> Float
) {
    for k in 0..<size { destination[k] = scale(source[k]) }
}
