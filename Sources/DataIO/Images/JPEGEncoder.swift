import CTurboJPEG

/// JPEG encoding through TurboJPEG, with the accurate forward DCT (libjpeg's default, and
/// Pillow's). A grey image is written as a one-component (grey) JPEG; a colour one as YCbCr,
/// its chroma at full resolution (4:4:4) or halved both ways (4:2:0, what Pillow's
/// `save(quality=95)` writes and the default here).
public enum JPEGEncoder {
    public enum ChromaSubsampling: Sendable {
        /// Chroma at every pixel: the colours of small images survive best.
        case full444
        /// One chroma sample per 2x2 pixels: smaller files, as most cameras and Pillow write.
        case half420
    }

    public static func encode(
        _ image: DecodedImage, quality: Int = 95, subsampling: ChromaSubsampling = .half420, progressive: Bool = false
    ) -> [UInt8] {
        precondition((1...100).contains(quality), "JPEG quality \(quality)")
        precondition(max(image.width, image.height) <= 65_500, "JPEG's largest side is 65,500 pixels")
        let handle = tjInitCompress()!
        defer { tjDestroy(handle) }
        let grey = image.channels == 1
        let sampling = grey ? TJSAMP_GRAY : subsampling == .full444 ? TJSAMP_444 : TJSAMP_420
        let flags = TJFLAG_ACCURATEDCT | (progressive ? TJFLAG_PROGRESSIVE : 0)
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var length: UInt = 0
        let pixels = image.interleaved
        let status = pixels.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, Int32(image.width), 0, Int32(image.height),
                (grey ? TJPF_GRAY : TJPF_RGB).rawValue,
                &buffer, &length, Int32(sampling.rawValue), Int32(quality), flags)
        }
        defer { tjFree(buffer) }
        // Only running out of memory makes TurboJPEG fail on an image of valid size and layout.
        guard status == 0, let buffer else {
            preconditionFailure("TurboJPEG could not encode a JPEG: \(String(cString: tjGetErrorStr2(handle)))")
        }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }
}
