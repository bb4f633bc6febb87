import Plugins
import TestSupport
import Testing

@testable import DataIO

/// Every PNG colour type at every bit depth the standard allows, built byte by byte, decoded to
/// the 8-bit levels Pillow would give: low depths scaled up exactly, 16 bits rounded, palettes
/// looked up, alpha and transparency dropped.
@Suite struct PNGDecodingTests {
    /// Pseudo-random samples of `depth` bits, the first 0 and the last the largest value.
    static func samples(_ count: Int, depth: Int) -> [Int] {
        let top = (1 << depth) - 1
        return (0..<count).map { i in i == 0 ? 0 : i == count - 1 ? top : ((i * 2_654_435_761) >> 7) & top }
    }

    /// A level of `depth` bits as 8 bits: 1, 2 and 4 bits scale exactly (bit replication), 16
    /// bits round v / 257.
    static func eightBit(_ v: Int, depth: Int) -> UInt8 {
        depth == 16 ? UInt8((v + 128) / 257) : UInt8(v * 255 / ((1 << depth) - 1))
    }

    static func decode(_ png: HandMadePNG, channels: Int? = nil) throws -> DecodedImage {
        try ImageDecoding.decode(png.bytes, file: "test.png", channels: channels)
    }

    // Widths of 5 and 7 pixels leave the rows of 1, 2 and 4-bit images short of a whole byte.
    @Test(arguments: [1, 2, 4, 8, 16])
    func greyAtEveryDepth(depth: Int) throws {
        let samples = Self.samples(5 * 3, depth: depth)
        let image = try Self.decode(HandMadePNG(width: 5, height: 3, bitDepth: depth, colourType: 0, samples: samples))
        #expect(image.width == 5 && image.height == 3 && image.channels == 1)
        #expect(image.pixels == samples.map { Self.eightBit($0, depth: depth) })
    }

    @Test(arguments: [8, 16])
    func greyAlphaKeepsTheGreyAndDropsTheAlpha(depth: Int) throws {
        let grey = Self.samples(7 * 2, depth: depth), alpha = Self.samples(7 * 2, depth: depth).reversed()
        let samples = zip(grey, alpha).flatMap { [$0, $1] }
        let image = try Self.decode(HandMadePNG(width: 7, height: 2, bitDepth: depth, colourType: 4, samples: samples))
        #expect(image.channels == 1)
        #expect(image.pixels == grey.map { Self.eightBit($0, depth: depth) })
    }

    /// RGB and RGBA (alpha dropped) at 8 and 16 bits, as three planes.
    @Test(arguments: [(2, 8), (2, 16), (6, 8), (6, 16)])
    func colour(colourType: Int, depth: Int) throws {
        let perPixel = colourType == 2 ? 3 : 4, area = 7 * 3
        let samples = Self.samples(area * perPixel, depth: depth)
        let image = try Self.decode(
            HandMadePNG(width: 7, height: 3, bitDepth: depth, colourType: colourType, samples: samples))
        #expect(image.channels == 3)
        for c in 0..<3 {
            let plane = (0..<area).map { Self.eightBit(samples[$0 * perPixel + c], depth: depth) }
            #expect(Array(image.pixels[c * area..<(c + 1) * area]) == plane, "channel \(c)")
        }
    }

    /// Palettes of 2, 4, 16 and 256 colours, with tRNS giving some entries alpha: the colours
    /// are looked up and the alpha is dropped.
    @Test(arguments: [1, 2, 4, 8])
    func paletteWithTransparency(depth: Int) throws {
        let entries = 1 << depth, area = 7 * 3
        let palette = (0..<entries * 3).map { UInt8(($0 * 97 + 13) % 256) }
        let indices = Self.samples(area, depth: depth)
        var png = HandMadePNG(width: 7, height: 3, bitDepth: depth, colourType: 3, samples: indices)
        png.palette = palette
        png.transparency = (0..<(entries + 1) / 2).map { UInt8($0 * 40 % 256) }
        let image = try Self.decode(png)
        #expect(image.channels == 3)
        for c in 0..<3 {
            #expect(
                Array(image.pixels[c * area..<(c + 1) * area]) == indices.map { palette[$0 * 3 + c] }, "channel \(c)")
        }
        let grey = try Self.decode(png, channels: 1)
        #expect(
            grey.pixels
                == indices.map { ChannelConversion.luma(palette[$0 * 3], palette[$0 * 3 + 1], palette[$0 * 3 + 2]) })
    }

    /// A grey image's tRNS names one level as transparent; the level stays what it is.
    @Test func greyColourKeyIsIgnored() throws {
        var png = HandMadePNG(width: 4, height: 1, bitDepth: 8, colourType: 0, samples: [0, 7, 200, 7])
        png.transparency = [0, 7]
        #expect(try Self.decode(png).pixels == [0, 7, 200, 7])
    }

    /// 16-bit levels round to the nearest 8-bit one, v / 257, on each side of each half-way point.
    @Test func sixteenBitsRoundToNearest() throws {
        let levels = [0, 128, 129, 385, 386, 32767, 32896, 65406, 65407, 65535]
        let expected: [UInt8] = [0, 0, 1, 1, 2, 127, 128, 254, 255, 255]
        let grey = try Self.decode(HandMadePNG(width: 10, height: 1, bitDepth: 16, colourType: 0, samples: levels))
        #expect(grey.pixels == expected)
        let rgb = try Self.decode(
            HandMadePNG(width: 10, height: 1, bitDepth: 16, colourType: 2, samples: levels.flatMap { [$0, $0, $0] }))
        #expect(rgb.pixels == expected + expected + expected)
    }

    @Test func channelsConvert() throws {
        let rgb = Self.samples(6 * 3, depth: 8)
        let colour = HandMadePNG(width: 6, height: 1, bitDepth: 8, colourType: 2, samples: rgb)
        let grey = try Self.decode(colour, channels: 1)
        #expect(grey.channels == 1)
        let bytes = rgb.map(UInt8.init)
        let luma = (0..<6).map { ChannelConversion.luma(bytes[$0 * 3], bytes[$0 * 3 + 1], bytes[$0 * 3 + 2]) }
        #expect(grey.pixels == luma)
        let levels = Self.samples(6, depth: 8)
        let tripled = try Self.decode(
            HandMadePNG(width: 3, height: 2, bitDepth: 8, colourType: 0, samples: levels), channels: 3)
        #expect(tripled.channels == 3 && tripled.pixels == (levels + levels + levels).map(UInt8.init))
        let sixteen = try Self.decode(
            HandMadePNG(width: 3, height: 2, bitDepth: 16, colourType: 4, samples: Self.samples(12, depth: 16)),
            channels: 3)
        #expect(sixteen.pixels[0..<6] == sixteen.pixels[6..<12] && sixteen.pixels[6..<12] == sixteen.pixels[12..<18])
    }

    @Test func headerAlone() throws {
        let png = HandMadePNG(width: 9, height: 4, bitDepth: 1, colourType: 0, samples: [])
        #expect(
            try ImageDecoding.header(png.bytes, file: "h.png")
                == ImageHeader(format: .png, width: 9, height: 4, channels: 1))
        var palette = HandMadePNG(width: 3, height: 2, bitDepth: 8, colourType: 3, samples: [])
        palette.palette = [1, 2, 3]
        #expect(try ImageDecoding.header(palette.bytes, file: "h.png").channels == 3)
    }

    /// The encoder writes 8-bit grey or RGB, which decodes to the very same planes.
    @Test(arguments: [1, 3])
    func encoderRoundTrips(channels: Int) throws {
        let pixels = (0..<channels * 11 * 6).map { UInt8(($0 * 73 + 5) % 256) }
        let image = DecodedImage(width: 11, height: 6, channels: channels, planes: pixels)
        let bytes = PNGEncoder.encode(image)
        #expect(bytes[24] == 8 && bytes[25] == (channels == 1 ? 0 : 2), "IHDR bit depth and colour type")
        #expect(try ImageDecoding.decode(bytes, file: "round.png") == image)
    }
}
