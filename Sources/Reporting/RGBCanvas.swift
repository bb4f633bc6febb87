import DataIO

/// An 8-bit RGB colour.
public struct RGB: Equatable, Sendable {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// An RGB picture drawn from filled rectangles and numbers (`DigitFont`), written as PNG. Drawing
/// outside the picture is clipped, so that layouts need not check their edges.
struct RGBCanvas {
    let width: Int
    let height: Int
    /// Interleaved red, green and blue, row after row.
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, background: RGB) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, background)
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: RGB) {
        let (top, bottom, left, right) = (max(0, y), min(height, y + h), max(0, x), min(width, x + w))
        guard top < bottom, left < right else { return }
        for row in top..<bottom {
            for column in left..<right {
                let i = (row * width + column) * 3
                pixels[i] = colour.red
                pixels[i + 1] = colour.green
                pixels[i + 2] = colour.blue
            }
        }
    }

    /// A one-pixel frame just outside the rectangle.
    mutating func frame(x: Int, y: Int, width w: Int, height h: Int, _ colour: RGB) {
        fill(x: x - 1, y: y - 1, width: w + 2, height: 1, colour)
        fill(x: x - 1, y: y + h, width: w + 2, height: 1, colour)
        fill(x: x - 1, y: y, width: 1, height: h, colour)
        fill(x: x + w, y: y, width: 1, height: h, colour)
    }

    /// `number` (at least 0) in `DigitFont`'s digits, `scale` pixels a dot, its top left corner
    /// at (x, y).
    mutating func draw(_ number: Int, x: Int, y: Int, scale: Int, _ colour: RGB) {
        precondition(number >= 0, "drawing \(number)")
        for (place, character) in String(number).enumerated() {
            let digit = character.wholeNumberValue!
            let left = x + place * (DigitFont.columns + 1) * scale
            for row in 0..<DigitFont.rows {
                for column in 0..<DigitFont.columns where DigitFont.isDot(digit, row: row, column: column) {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, colour)
                }
            }
        }
    }

    /// `number` centred on (x, y).
    mutating func draw(_ number: Int, centredAtX x: Int, y: Int, scale: Int, _ colour: RGB) {
        draw(
            number, x: x - DigitFont.width(of: number, scale: scale) / 2, y: y - DigitFont.height(scale: scale) / 2,
            scale: scale, colour)
    }

    var png: [UInt8] {
        PNGEncoder.encode(DecodedImage(width: width, height: height, channels: 3, interleaved: pixels))
    }
}
