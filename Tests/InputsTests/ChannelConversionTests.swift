import Testing

@testable import DataIO

/// Luma as Pillow's `convert("L")` computes it, and the planar layout of `DecodedImage`.
@Suite struct ChannelConversionTests {
    /// Pillow's values for the primaries (0.299, 0.587, 0.114 of 255, rounded in 16-bit fixed
    /// point), and every grey level kept exactly.
    @Test func lumaWeights() {
        #expect(ChannelConversion.luma(255, 0, 0) == 76)
        #expect(ChannelConversion.luma(0, 255, 0) == 150)
        #expect(ChannelConversion.luma(0, 0, 255) == 29)
        #expect(ChannelConversion.luma(255, 255, 255) == 255)
        #expect((0...255).allSatisfy { v in ChannelConversion.luma(UInt8(v), UInt8(v), UInt8(v)) == UInt8(v) })
        // Everywhere within half a level of ITU-R 601's real-valued luma.
        for r in stride(from: 0, through: 255, by: 15) {
            for g in stride(from: 0, through: 255, by: 17) {
                for b in stride(from: 0, through: 255, by: 51) {
                    let exact = 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)
                    let luma = Double(ChannelConversion.luma(UInt8(r), UInt8(g), UInt8(b)))
                    #expect(abs(luma - exact) <= 0.5 + 0.01, "\(r) \(g) \(b)")
                }
            }
        }
    }

    @Test func sixteenToEightBits() {
        #expect(ChannelConversion.eightBit(UInt16(0)) == 0)
        #expect(ChannelConversion.eightBit(UInt16(65535)) == 255)
        // Every 16-bit level goes to the nearest 8-bit one (no ties: 257 is odd).
        for v in 0...65535 {
            let nearest = (Double(v) / 257).rounded()
            if Double(ChannelConversion.eightBit(UInt16(v))) != nearest {
                Issue.record("\(v) became \(ChannelConversion.eightBit(UInt16(v))), not \(nearest)")
                break
            }
        }
    }

    @Test func planesAndInterleaving() {
        // Two pixels of red, green, blue: (1, 2, 3) and (4, 5, 6).
        let image = DecodedImage(width: 2, height: 1, channels: 3, interleaved: [1, 2, 3, 4, 5, 6])
        #expect(image.pixels == [1, 4, 2, 5, 3, 6])
        #expect(image[c: 1, y: 0, x: 1] == 5)
        #expect(image.interleaved == [1, 2, 3, 4, 5, 6])
        let grey = image.converted(toChannels: 1)
        #expect(
            grey.channels == 1 && grey.pixels == [ChannelConversion.luma(1, 2, 3), ChannelConversion.luma(4, 5, 6)])
        #expect(grey.converted(toChannels: 3).pixels == grey.pixels + grey.pixels + grey.pixels)
        #expect(image.converted(toChannels: 3) == image)
    }
}
