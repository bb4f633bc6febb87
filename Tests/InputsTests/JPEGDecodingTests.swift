import CTurboJPEG
import Foundation
import Plugins
import Testing

@testable import DataIO

/// JPEG is lossy, so a round trip through the encoder and decoder comes back within JPEG's
/// error; the checks that need exactness compare two decodes of the same coefficients.
@Suite struct JPEGDecodingTests {
    /// Smooth gradients and a soft disc: what JPEG at quality 95 keeps within a few levels.
    static func picture(width: Int, height: Int, channels: Int) -> DecodedImage {
        var pixels: [UInt8] = []
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let dx = Double(x - width / 2), dy = Double(y - height / 2)
                    let disc = 90 * exp(-(dx * dx + dy * dy) / Double(width * height) * 6)
                    let ramp = Double(x * (40 + 30 * c) / width + y * (60 - 20 * c) / height)
                    pixels.append(UInt8(min(255, 40 + ramp + disc)))
                }
            }
        }
        return DecodedImage(width: width, height: height, channels: channels, planes: pixels)
    }

    /// The largest and the mean absolute difference between two images' samples.
    static func difference(_ a: DecodedImage, _ b: DecodedImage) -> (max: Int, mean: Double) {
        let d = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }
        return (d.max() ?? 0, Double(d.reduce(0, +)) / Double(d.count))
    }

    static func has(_ marker: UInt8, _ bytes: [UInt8]) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == 0xFF && $1 == marker }
    }

    @Test func greyRoundTrip() throws {
        let image = Self.picture(width: 24, height: 16, channels: 1)
        let bytes = JPEGEncoder.encode(image)
        let decoded = try ImageDecoding.decode(bytes, file: "grey.jpg")
        #expect(decoded.channels == 1 && decoded.width == 24 && decoded.height == 16)
        let (largest, mean) = Self.difference(decoded, image)
        #expect(largest <= 4 && mean < 1, "max \(largest), mean \(mean)")
        #expect(
            try ImageDecoding.header(bytes, file: "grey.jpg")
                == ImageHeader(format: .jpeg, width: 24, height: 16, channels: 1))
    }

    @Test(arguments: [JPEGEncoder.ChromaSubsampling.full444, .half420])
    func colourRoundTrip(subsampling: JPEGEncoder.ChromaSubsampling) throws {
        let image = Self.picture(width: 32, height: 24, channels: 3)
        let decoded = try ImageDecoding.decode(JPEGEncoder.encode(image, subsampling: subsampling), file: "rgb.jpg")
        #expect(decoded.channels == 3)
        let (largest, mean) = Self.difference(decoded, image)
        #expect(largest <= 6 && mean < 1.5, "max \(largest), mean \(mean)")
    }

    /// Progressive and baseline files of the same image and quality hold the same quantised
    /// coefficients, so they decode to identical pixels.
    @Test(arguments: [1, 3])
    func progressiveDecodesAsBaseline(channels: Int) throws {
        let image = Self.picture(width: 40, height: 24, channels: channels)
        let baseline = JPEGEncoder.encode(image, quality: 80)
        let progressive = JPEGEncoder.encode(image, quality: 80, progressive: true)
        #expect(Self.has(0xC0, baseline) && !Self.has(0xC2, baseline), "baseline: SOF0")
        #expect(Self.has(0xC2, progressive) && !Self.has(0xC0, progressive), "progressive: SOF2")
        let a = try ImageDecoding.decode(baseline, file: "b.jpg")
        let b = try ImageDecoding.decode(progressive, file: "p.jpg")
        #expect(a == b)
    }

    /// Colour becomes grey by Pillow's luma of the decoded RGB, grey becomes colour by copying.
    @Test func channelsConvert() throws {
        let colour = JPEGEncoder.encode(Self.picture(width: 16, height: 8, channels: 3))
        let rgb = try ImageDecoding.decode(colour, file: "c.jpg")
        #expect(try ImageDecoding.decode(colour, file: "c.jpg", channels: 1) == rgb.converted(toChannels: 1))
        let grey = JPEGEncoder.encode(Self.picture(width: 16, height: 8, channels: 1))
        let one = try ImageDecoding.decode(grey, file: "g.jpg")
        let three = try ImageDecoding.decode(grey, file: "g.jpg", channels: 3)
        #expect(three.channels == 3 && three.pixels == one.pixels + one.pixels + one.pixels)
    }

    /// The format comes from the bytes: a JPEG named .png decodes as the JPEG it is.
    @Test func formatFromBytesNotName() throws {
        let bytes = JPEGEncoder.encode(Self.picture(width: 8, height: 8, channels: 1))
        #expect(try ImageDecoding.header(bytes, file: "misnamed.png").format == .jpeg)
    }

    @Test func cmykIsRefused() throws {
        let handle = tjInitCompress()!
        defer { tjDestroy(handle) }
        let cmyk = [UInt8](repeating: 100, count: 8 * 8 * 4)
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var length: UInt = 0
        let status = cmyk.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, 8, 0, 8, TJPF_CMYK.rawValue, &buffer, &length, Int32(TJSAMP_444.rawValue), 90,
                0)
        }
        defer { tjFree(buffer) }
        #expect(status == 0)
        let bytes = Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
        #expect(throws: FileError.malformed("cmyk.jpg", "CMYK JPEG: not supported (convert it to RGB)")) {
            try ImageDecoding.decode(bytes, file: "cmyk.jpg")
        }
    }
}
