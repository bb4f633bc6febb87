/// A stack of planes copied into a zero border, for the direct kernels: padding becomes plain
/// zeros to read, and `slack` more zeros after each row let a 16-wide segment run past the
/// width without a mask.
struct PaddedPlanes {
    let base: UnsafeMutablePointer<Float>
    let channels: Int
    let height: Int
    let width: Int

    /// Floats the copy of `shape` takes.
    static func count(_ shape: Shape, pad: (Int, Int), slack: Int) -> Int {
        shape.channels * (shape.height + 2 * pad.0) * (shape.width + 2 * pad.1 + slack)
    }

    init(
        _ x: UnsafePointer<Float>, _ shape: Shape, pad: (Int, Int), slack: Int, into buffer: UnsafeMutablePointer<Float>
    ) {
        base = buffer
        channels = shape.channels
        height = shape.height + 2 * pad.0
        width = shape.width + 2 * pad.1 + slack
        buffer.update(repeating: 0, count: channels * height * width)
        for c in 0..<channels {
            for y in 0..<shape.height {
                let src = x + (c * shape.height + y) * shape.width
                let dst = row(c, y + pad.0) + pad.1
                for x in 0..<shape.width { dst[x] = src[x] }
            }
        }
    }

    /// Unpadded planes read in place: a segment running past a row reads the next row (or the
    /// tensor's slack after the last), so a kernel must store only the lanes within the width.
    init(reading x: UnsafePointer<Float>, _ shape: Shape) {
        base = UnsafeMutablePointer(mutating: x)
        (channels, height, width) = (shape.channels, shape.height, shape.width)
    }

    @inline(__always)
    func row(_ channel: Int, _ y: Int) -> UnsafeMutablePointer<Float> { base + (channel * height + y) * width }
}
