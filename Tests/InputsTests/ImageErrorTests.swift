import Plugins
import TestSupport
import Testing

@testable import DataIO

/// Bad image files: each is one `FileError` line naming the file and what is wrong, exit 65,
/// and never a crash.
@Suite struct ImageErrorTests {
    static func failure(_ bytes: [UInt8], maxPixels: Int = ImageDecoding.defaultMaxPixels) -> FileError? {
        do {
            _ = try ImageDecoding.decode(bytes, file: "bad", maxPixels: maxPixels)
            return nil
        } catch {
            return error
        }
    }

    static let png = PNGEncoder.encode(
        DecodedImage(width: 16, height: 16, channels: 3, planes: (0..<768).map { UInt8($0 * 7 % 256) }))
    static let jpeg = JPEGEncoder.encode(
        DecodedImage(width: 32, height: 32, channels: 3, planes: (0..<3072).map { UInt8($0 * 5 % 256) }))

    @Test func notAnImage() throws {
        let e = try #require(Self.failure(Array("<html>hello</html>".utf8)))
        #expect(e == .malformed("bad", "not a PNG or JPEG image (it starts with 3c 68 74 6d 6c 3e 68 65)"))
        #expect(e.exitCode == 65 && e.description.hasPrefix("bad: "))
        #expect(Self.failure([]) == .malformed("bad", "empty file, not a PNG or JPEG image"))
        #expect(
            Self.failure([0x89, 0x50, 0x4E]) == .malformed("bad", "not a PNG or JPEG image (it starts with 89 50 4e)"))
    }

    @Test func truncatedPNG() throws {
        #expect(
            Self.failure(Array(Self.png[..<20])) == .malformed("bad", "truncated PNG: the file ends inside its header"))
        // The image data runs from byte 41 (signature 8, IHDR 25, IDAT's length and type 8) to the
        // file's end less IEND (12 bytes) and IDAT's CRC (4 bytes).
        for cut in [45, (41 + Self.png.count - 16) / 2] {
            #expect(
                Self.failure(Array(Self.png[..<cut]))
                    == .malformed("bad", "truncated PNG: the file ends inside its image data"), "cut at \(cut)")
        }
    }

    @Test func corruptPNG() throws {
        var flipped = Self.png
        flipped[50] ^= 0x55
        let crc = try #require(Self.failure(flipped))
        #expect(crc.reason.hasPrefix("corrupt PNG image data (libspng: "), "\(crc)")
        // A broken zlib stream inside a chunk whose CRC is right.
        let garbage = HandMadePNG.chunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x11])
        let header = Array(Self.png[..<33])
        let zlib = try #require(Self.failure(header + garbage + HandMadePNG.chunk("IEND", [])))
        #expect(zlib.reason.hasPrefix("corrupt PNG image data (libspng: "), "\(zlib)")
        var depth = HandMadePNG(width: 2, height: 2, bitDepth: 3, colourType: 0, samples: [1, 2, 3, 4])
        let badDepth = try #require(Self.failure(depth.bytes))
        #expect(badDepth.reason == "corrupt PNG header (libspng: invalid bit depth)", "\(badDepth)")
        depth.bitDepth = 8
        depth.colourType = 3
        let noPalette = try #require(Self.failure(depth.bytes))
        #expect(noPalette.reason.hasPrefix("corrupt PNG"), "\(noPalette)")
    }

    /// A header's size is refused before any pixel buffer exists: a 100,000 x 100,000 image
    /// would need 10 GB.
    @Test func decompressionBombs() throws {
        let bomb = HandMadePNG(width: 100_000, height: 100_000, bitDepth: 8, colourType: 0, samples: [])
        let refusal =
            "PNG header claims 100000x100000 = 10000000000 pixels, over the limit of 89478485 "
            + "(--max_image_pixels; a decompression bomb?)"
        #expect(Self.failure(bomb.bytes) == .malformed("bad", refusal))
        #expect(throws: FileError.malformed("bad", refusal)) {
            try ImageDecoding.header(bomb.bytes, file: "bad")
        }
        // One side over a small limit trips libspng's own limit, and the line is the same kind.
        let wide = HandMadePNG(
            width: 2000, height: 1, bitDepth: 8, colourType: 0, samples: [Int](repeating: 0, count: 2000))
        #expect(
            Self.failure(wide.bytes, maxPixels: 1000)
                == .malformed(
                    "bad",
                    "PNG header claims 2000x1 = 2000 pixels, over the limit of 1000 "
                        + "(--max_image_pixels; a decompression bomb?)"))
        #expect(
            Self.failure(Self.png, maxPixels: 255)?.reason.hasPrefix("PNG header claims 16x16 = 256 pixels") == true)
        #expect(Self.failure(Self.png, maxPixels: 256) == nil)

        // A JPEG whose frame header (SOF0: marker, length, precision, height, width) claims 65000 x 65000.
        var jpeg = Self.jpeg
        let sof = try #require((0..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        jpeg.replaceSubrange(sof + 5..<sof + 9, with: [0xFD, 0xE8, 0xFD, 0xE8])
        #expect(
            Self.failure(jpeg)
                == .malformed(
                    "bad",
                    "JPEG header claims 65000x65000 = 4225000000 pixels, over the limit of 89478485 "
                        + "(--max_image_pixels; a decompression bomb?)"))
        #expect(Self.failure(Self.jpeg, maxPixels: 1023)?.reason.hasPrefix("JPEG header claims 32x32") == true)
    }

    @Test func truncatedJPEG() throws {
        let half = try #require(Self.failure(Array(Self.jpeg[..<(Self.jpeg.count / 2)])))
        #expect(half.reason.hasPrefix("corrupt or truncated JPEG image data (libjpeg: "), "\(half)")
        #expect(
            Self.failure(Array(Self.jpeg[..<12]))
                == .malformed("bad", "JPEG without an image size (a truncated file, or tables only)"))
        // A frame header with a width of 0 (SOF0's width field is 7 and 8 bytes past its marker).
        var zero = Self.jpeg
        let sof = try #require((0..<zero.count - 1).first { zero[$0] == 0xFF && zero[$0 + 1] == 0xC0 })
        zero.replaceSubrange(sof + 7..<sof + 9, with: [0, 0])
        let noWidth = try #require(Self.failure(zero))
        #expect(noWidth.reason.hasPrefix("corrupt or truncated JPEG header (libjpeg: "), "\(noWidth)")
    }

    /// An end-of-image marker in the middle of the entropy-coded data.
    @Test func corruptJPEG() throws {
        var jpeg = Self.jpeg
        jpeg.replaceSubrange(jpeg.count - 40..<jpeg.count - 38, with: [0xFF, 0xD9])
        let e = try #require(Self.failure(jpeg))
        #expect(e.reason.hasPrefix("corrupt or truncated JPEG image data (libjpeg: "), "\(e)")
    }
}
