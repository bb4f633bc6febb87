import Engine

/// `--augment`: what a training pass does to each image before the step; validation, test,
/// `evaluate` and the pictures see the images as they are. `flip` mirrors an image left to right
/// with probability one half; `crop:P` pads it with P black pixels on every side (the pixel
/// range's minimum: byte 0, as a torchvision pipeline pads the image before normalising it) and
/// crops a window of the original size back at a random place, so the content moves by up to P
/// pixels each way and the border it uncovers is black. An autoencoder's target is the augmented
/// image.
public struct Augmentation: Equatable, Sendable {
    public let flip: Bool
    /// P of `crop:P`; 0 when the images are not cropped.
    public let crop: Int

    /// Above this a padding is a typo: no image the bench reads is that large.
    static let largestCrop = 4096

    public init(flip: Bool = false, crop: Int = 0) {
        precondition(crop >= 0, "crop:\(crop): a negative padding")
        self.flip = flip
        self.crop = crop
    }

    /// Neither flip nor crop: the images as they are.
    public var isEmpty: Bool { !flip && crop == 0 }

    /// `--augment`'s value: `flip` and `crop:P` in a comma list, each at most once, in any order.
    public init(flag text: String) throws(BenchError) {
        var (flip, crop) = (false, 0)
        var seen: Set<Substring> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard seen.insert(parts[0]).inserted else { throw .usage("'\(parts[0])' is given twice") }
            switch (parts[0], parts.count) {
            case ("flip", 1):
                flip = true
            case ("crop", 2):
                guard let pad = Int(parts[1]), pad >= 1, pad <= Self.largestCrop else {
                    throw .usage(
                        "crop:P takes a whole number of pixels from 1 to \(Self.largestCrop), not '\(parts[1])'")
                }
                crop = pad
            default:
                throw .usage("'\(item)' is neither flip nor crop:P (give a comma list such as flip,crop:4)")
            }
        }
        self.init(flip: flip, crop: crop)
    }

    /// As `--augment` takes it: `flip,crop:4`.
    public var flagValue: String { parts(crop: "crop:").joined(separator: ",") }

    /// As the run name writes it: `flip+crop4`.
    public var runNameTag: String { parts(crop: "crop").joined(separator: "+") }

    private func parts(crop prefix: String) -> [String] {
        (flip ? ["flip"] : []) + (crop > 0 ? ["\(prefix)\(crop)"] : [])
    }

    /// A crop must leave some of the image in every window: P below its height and width.
    func check(for shape: Shape) throws(BenchError) {
        guard crop < min(shape.height, shape.width) else {
            throw .usage(
                "--augment: crop:\(crop) pads more than the \(shape.height)x\(shape.width) images hold; "
                    + "P must be below \(min(shape.height, shape.width))")
        }
    }

    /// Augments one image of `shape` in place from `draw`, a random value of its own: bit 0
    /// decides the flip, bits 8-31 and 32-55 the crop's horizontal and vertical shifts. `fill` is
    /// the padding's value.
    func apply(to image: UnsafeMutablePointer<Float>, shape: Shape, draw: UInt64, fill: Float) {
        if flip && draw & 1 == 1 {
            for row in 0..<(shape.channels * shape.height) {
                let start = image + row * shape.width
                var (left, right) = (0, shape.width - 1)
                while left < right {
                    (start[left], start[right]) = (start[right], start[left])
                    left += 1
                    right -= 1
                }
            }
        }
        if crop > 0 {
            let dx = Self.offset(draw >> 8, crop), dy = Self.offset(draw >> 32, crop)
            for c in 0..<shape.channels {
                Self.shift(
                    image + c * shape.plane, height: shape.height, width: shape.width, dy: dy, dx: dx, fill: fill)
            }
        }
    }

    /// A shift in -pad...pad, uniform from the low 24 bits of `bits` (multiplied down rather
    /// than taken modulo, so every shift is equally likely to within 2^-24).
    static func offset(_ bits: UInt64, _ pad: Int) -> Int {
        Int(((bits & 0xFF_FFFF) &* UInt64(2 * pad + 1)) >> 24) - pad
    }

    /// Moves a plane's content down by `dy` rows and right by `dx` columns (up and left when
    /// negative), in place, filling what it uncovers. Rows are written in the order that reads
    /// each source row before it is overwritten; within a row the copy may overlap, which the
    /// standard library's `update(from:count:)` handles as memmove does.
    static func shift(
        _ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, dy: Int, dx: Int, fill: Float
    ) {
        let first = max(0, dx), end = min(width, width + dx)
        func move(_ y: Int) {
            let row = plane + y * width, source = y - dy
            guard source >= 0, source < height, end > first else {
                row.update(repeating: fill, count: width)
                return
            }
            (row + first).update(from: plane + source * width + first - dx, count: end - first)
            row.update(repeating: fill, count: first)
            (row + end).update(repeating: fill, count: width - end)
        }
        if dy > 0 {
            for y in stride(from: height - 1, through: 0, by: -1) { move(y) }
        } else {
            for y in 0..<height { move(y) }
        }
    }
}
