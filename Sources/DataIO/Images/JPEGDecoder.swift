import CTurboJPEG
import Plugins

/// JPEG through libjpeg-turbo's TurboJPEG API: grey and colour (YCbCr or RGB), baseline and
/// progressive, with libjpeg's defaults as Pillow uses them (the accurate inverse DCT, smooth
/// chroma upsampling). A colour image becomes grey by decoding to RGB and taking Pillow's luma,
/// as `Image.open(f).convert("L")` does, not by keeping the JPEG's own Y channel. CMYK and YCCK
/// images are refused.
enum JPEGDecoder {
    /// libjpeg goes on after a warning (data ending early, a corrupt entropy segment), filling
    /// what it could not decode with grey; a damaged image would then train as grey blocks, so a
    /// warning stops decoding and is an error. Progressive images may have at most 500 scans
    /// (each scan re-reads the whole image: a small file with many scans takes minutes).
    static let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS

    static func header(_ bytes: [UInt8], file: String, maxPixels: Int) throws(FileError) -> ImageHeader {
        guard let handle = tjInitDecompress() else { throw .malformed(file, "TurboJPEG could not start decoding") }
        defer { tjDestroy(handle) }
        let (width, height, grey) = try readHeader(handle, bytes, file: file, maxPixels: maxPixels)
        return ImageHeader(format: .jpeg, width: width, height: height, channels: grey ? 1 : 3)
    }

    static func decode(
        _ bytes: [UInt8], file: String, channels: Int?, maxPixels: Int
    ) throws(FileError) -> DecodedImage {
        guard let handle = tjInitDecompress() else { throw .malformed(file, "TurboJPEG could not start decoding") }
        defer { tjDestroy(handle) }
        let (width, height, grey) = try readHeader(handle, bytes, file: file, maxPixels: maxPixels)
        let channels = channels ?? (grey ? 1 : 3)
        let area = width * height
        let sourceChannels = grey ? 1 : 3
        var status: Int32 = 0
        // Uninitialised: TurboJPEG writes every pixel of an image it decodes, and a failed decode
        // is thrown away.
        let pixels = [UInt8](unsafeUninitializedCapacity: channels * area) { out, initialized in
            if sourceChannels == channels && grey {
                status = decompress(handle, bytes, into: out.baseAddress!, width: width, height: height, grey: true)
            } else {
                let decoded = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: sourceChannels * area)
                defer { decoded.deallocate() }
                status = decompress(handle, bytes, into: decoded.baseAddress!, width: width, height: height, grey: grey)
                if status == 0 {
                    ChannelConversion.planes(
                        from: UnsafeBufferPointer(decoded), stride: sourceChannels, colour: !grey, area: area,
                        channels: channels, into: out, eightBit: ChannelConversion.eightBit)
                }
            }
            initialized = status == 0 ? channels * area : 0
        }
        guard status == 0 else { throw failure(handle, file: file, reading: "image data") }
        return DecodedImage(width: width, height: height, channels: channels, planes: pixels)
    }

    /// Width, height and whether the image is grey, checked against the pixel limit.
    static func readHeader(
        _ handle: UnsafeMutableRawPointer, _ bytes: [UInt8], file: String, maxPixels: Int
    ) throws(FileError) -> (Int, Int, Bool) {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourSpace: Int32 = 0
        let status = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colourSpace)
        }
        guard status == 0 else { throw failure(handle, file: file, reading: "header") }
        // TurboJPEG reports no size, and no error, when the data ends before the frame header (a
        // truncated file looks like a stream of tables only, which has no image).
        guard width > 0 && height > 0 else {
            throw .malformed(file, "JPEG without an image size (a truncated file, or tables only)")
        }
        try ImageDecoding.checkPixels(
            width: Int(width), height: Int(height), maxPixels: maxPixels, format: .jpeg, file: file)
        switch UInt32(truncatingIfNeeded: colourSpace) {
        case TJCS_GRAY.rawValue: return (Int(width), Int(height), true)
        case TJCS_YCbCr.rawValue, TJCS_RGB.rawValue: return (Int(width), Int(height), false)
        default: throw .malformed(file, "CMYK JPEG: not supported (convert it to RGB)")
        }
    }

    static func decompress(
        _ handle: UnsafeMutableRawPointer, _ bytes: [UInt8], into out: UnsafeMutablePointer<UInt8>, width: Int,
        height: Int, grey: Bool
    ) -> Int32 {
        let format = grey ? TJPF_GRAY : TJPF_RGB
        return bytes.withUnsafeBufferPointer {
            tjDecompress2(
                handle, $0.baseAddress, UInt($0.count), out, Int32(width), 0, Int32(height), format.rawValue, flags)
        }
    }

    static func failure(_ handle: UnsafeMutableRawPointer, file: String, reading part: String) -> FileError {
        let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
        return .malformed(file, "corrupt or truncated JPEG \(part) (libjpeg: \(message))")
    }
}
