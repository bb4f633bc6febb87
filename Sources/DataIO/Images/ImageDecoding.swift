import Plugins

/// Where an image file's bytes become a `DecodedImage`: the format is told by the first bytes,
/// the size is read from the header and checked against a pixel limit before any pixel buffer is
/// allocated (a small file can claim billions of pixels), and the pixels come out as 1 or 3
/// planes of 8-bit samples. Every failure is a `FileError` naming the file.
public enum ImageDecoding {
    /// Pillow's `Image.MAX_IMAGE_PIXELS` (1024 * 1024 * 1024 / 4 / 3: a GiB of 32-bit pixels at
    /// most, counted as RGB).
    public static let defaultMaxPixels = ImageOptions.defaultMaxPixels

    /// The format, size and natural number of channels, from the header alone.
    public static func header(
        _ bytes: [UInt8], file: String, maxPixels: Int = defaultMaxPixels
    ) throws(FileError) -> ImageHeader {
        switch try format(of: bytes, file: file) {
        case .png: return try PNGDecoder.header(bytes, file: file, maxPixels: maxPixels)
        case .jpeg: return try JPEGDecoder.header(bytes, file: file, maxPixels: maxPixels)
        }
    }

    /// Decodes a PNG or JPEG image. `channels` 1 converts colour to grey (Pillow's luma), 3
    /// copies grey into three planes, nil keeps the image's own (1 for grey, 3 for colour and
    /// palette images); alpha is dropped and 16-bit samples are rounded to 8 bits.
    public static func decode(
        _ bytes: [UInt8], file: String, channels: Int? = nil, maxPixels: Int = defaultMaxPixels
    ) throws(FileError) -> DecodedImage {
        precondition(channels == nil || channels == 1 || channels == 3, "decoding to \(channels!) channels")
        switch try format(of: bytes, file: file) {
        case .png: return try PNGDecoder.decode(bytes, file: file, channels: channels, maxPixels: maxPixels)
        case .jpeg: return try JPEGDecoder.decode(bytes, file: file, channels: channels, maxPixels: maxPixels)
        }
    }

    static func format(of bytes: [UInt8], file: String) throws(FileError) -> ImageFormat {
        if let format = ImageFormat(sniffing: bytes) { return format }
        guard !bytes.isEmpty else { throw .malformed(file, "empty file, not a PNG or JPEG image") }
        let start = bytes.prefix(8).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }
        throw .malformed(file, "not a PNG or JPEG image (it starts with \(start.joined(separator: " ")))")
    }

    /// Called with the header's size, before anything the size of the image is allocated.
    static func checkPixels(
        width: Int, height: Int, maxPixels: Int, format: ImageFormat, file: String
    ) throws(FileError) {
        precondition(maxPixels > 0, "a pixel limit of \(maxPixels)")
        // The sides are below 2^32 as every header stores them, so their product fits in 64 bits.
        let pixels = UInt64(width) * UInt64(height)
        guard pixels <= UInt64(maxPixels) else {
            throw .malformed(
                file,
                "\(format.rawValue) header claims \(width)x\(height) = \(pixels) pixels, over the limit of "
                    + "\(maxPixels) (--max_image_pixels; a decompression bomb?)")
        }
    }
}
