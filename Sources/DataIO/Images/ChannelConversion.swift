/// From what a decoder hands back (pixels interleaved, 8 or 16 bits a sample, grey or colour,
/// perhaps with alpha) to the planes of `DecodedImage`, in one pass. The arithmetic is Pillow's,
/// so an image folder reads as it would through `Image.open(f).convert("L" or "RGB")`.
enum ChannelConversion {
    /// Pillow's `convert("L")` (libImaging/Convert.c, `L24`): ITU-R 601-2 luma, 0.299 R + 0.587 G
    /// + 0.114 B, in 16-bit fixed point and rounded. The weights add up to 65536, so a grey pixel
    /// keeps its exact level.
    @inline(__always)
    static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (Int(r) * 19595 + Int(g) * 38470 + Int(b) * 7471 + 0x8000) >> 16)
    }

    /// The 8-bit level nearest a 16-bit one: v / 257 rounded (65535 / 255 = 257 exactly).
    @inline(__always)
    static func eightBit(_ v: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: (Int(v) + 128) / 257) }

    @inline(__always)
    static func eightBit(_ v: UInt8) -> UInt8 { v }

    /// Writes `channels` planes of `area` pixels from `source`, which holds `area` pixels of
    /// `stride` samples each: a grey source's first sample is its level, a colour source's first
    /// three are red, green and blue; any further sample (alpha) is dropped.
    static func planes<Sample: FixedWidthInteger>(
        from source: UnsafeBufferPointer<Sample>, stride: Int, colour: Bool, area: Int, channels: Int,
        into out: UnsafeMutableBufferPointer<UInt8>, eightBit: (Sample) -> UInt8
    ) {
        precondition(source.count >= area * stride && out.count >= area * channels)
        switch (colour, channels) {
        case (true, 3):
            for i in 0..<area {
                out[i] = eightBit(source[i * stride])
                out[area + i] = eightBit(source[i * stride + 1])
                out[2 * area + i] = eightBit(source[i * stride + 2])
            }
        case (true, _):
            for i in 0..<area {
                let p = i * stride
                out[i] = luma(eightBit(source[p]), eightBit(source[p + 1]), eightBit(source[p + 2]))
            }
        case (false, 3):
            for i in 0..<area {
                let level = eightBit(source[i * stride])
                out[i] = level
                out[area + i] = level
                out[2 * area + i] = level
            }
        case (false, _):
            for i in 0..<area { out[i] = eightBit(source[i * stride]) }
        }
    }
}
