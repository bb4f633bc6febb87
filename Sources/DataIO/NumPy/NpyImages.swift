import Engine
import Plugins

/// An image array as the bench's images. Shapes: N x H x W (one channel), N x H x W x C (NHWC)
/// or N x C x H x W (NCHW) with C of 1 or 3; NHWC is reordered to NCHW, the bench's order. A
/// 4-D shape whose second and last axes could both be the channels is refused unless the
/// layout is given. uint8 arrays are kept as bytes; float32 and float64 arrays are intensities
/// in [0, 1], kept as float32 and refused if any value is outside (values saved as 0-255
/// floats would otherwise train silently on a wrong scale).
public enum NpyImages {
    public static func read(
        _ array: NpyArray, layout: ImageLayout?, path: String
    ) throws(FileError) -> (shape: Shape, pixels: Pixels) {
        let s = array.shape, described = NpyArray.describe(s)
        let shape: Shape
        var channelsLast = false
        switch s.count {
        case 3:
            shape = Shape(1, s[1], s[2])
        case 4:
            let second = s[1] == 1 || s[1] == 3, last = s[3] == 1 || s[3] == 3
            let chosen: ImageLayout
            if let layout {
                chosen = layout
            } else if second && last {
                throw .malformed(
                    path,
                    "images \(described) could keep their channels on the second or on the last axis; "
                        + "pass --layout nhwc or --layout nchw")
            } else {
                chosen = last ? .nhwc : .nchw
            }
            channelsLast = chosen == .nhwc
            let channels = channelsLast ? s[3] : s[1]
            guard channels == 1 || channels == 3 else {
                throw .malformed(
                    path, "images \(described) read as \(chosen) have \(channels) channels; the bench takes 1 or 3")
            }
            shape = channelsLast ? Shape(channels, s[1], s[2]) : Shape(channels, s[2], s[3])
        default:
            throw .malformed(path, "images are \(described); expected N x H x W, N x H x W x C or N x C x H x W")
        }
        guard s[0] > 0, shape.count > 0 else { throw .malformed(path, "holds no images \(described)") }
        // With one channel, NHWC and NCHW are the same order.
        let reorder = channelsLast && shape.channels > 1
        switch array.dtype.kind {
        case .unsigned where array.dtype.size == 1:
            let bytes = reorder ? channelsFirst(array.bytes, images: s[0], shape: shape)[...] : array.bytes
            return (shape, .bytes(bytes))
        case .float:
            var values = array.floats()!
            if let bad = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw .malformed(
                    path,
                    "\(array.dtype) images must hold intensities in [0, 1]; element \(bad) is \(values[bad]) "
                        + "(divide by 255, or save uint8)")
            }
            if reorder { values = channelsFirst(values[...], images: s[0], shape: shape) }
            return (shape, .intensities(values[...]))
        default:
            throw .malformed(
                path,
                "images are \(array.dtype); the bench reads uint8 (0 to 255) or float32/float64 intensities in [0, 1]")
        }
    }

    /// `n` images of `shape` stored NHWC, in NCHW order.
    static func channelsFirst<Value>(_ values: ArraySlice<Value>, images n: Int, shape: Shape) -> [Value] {
        let (c, plane) = (shape.channels, shape.plane)
        return [Value](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { source in
                for image in 0..<n {
                    let base = image * c * plane
                    for p in 0..<plane {
                        for channel in 0..<c {
                            (out.baseAddress! + base + channel * plane + p).initialize(
                                to: source[base + p * c + channel])
                        }
                    }
                }
            }
            initialized = values.count
        }
    }
}
