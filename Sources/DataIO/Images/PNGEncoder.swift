import CSPNG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG encoding through libspng: 8-bit grey or 8-bit RGB as the image's channels say, not
/// interlaced, zlib level 6 with libspng's per-row filter choice (libpng's defaults, the files
/// Pillow writes too).
public enum PNGEncoder {
    public static func encode(_ image: DecodedImage) -> [UInt8] {
        let context = spng_ctx_new(Int32(SPNG_CTX_ENCODER.rawValue))!
        defer { spng_ctx_free(context) }
        var ihdr = spng_ihdr()
        ihdr.width = UInt32(image.width)
        ihdr.height = UInt32(image.height)
        ihdr.bit_depth = 8
        ihdr.color_type = UInt8(
            image.channels == 1 ? SPNG_COLOR_TYPE_GRAYSCALE.rawValue : SPNG_COLOR_TYPE_TRUECOLOR.rawValue)
        var status = spng_set_option(context, SPNG_ENCODE_TO_BUFFER, 1)
        if status == 0 { status = spng_set_ihdr(context, &ihdr) }
        let pixels = image.interleaved
        if status == 0 {
            status = pixels.withUnsafeBytes {
                spng_encode_image(
                    context, $0.baseAddress, $0.count, Int32(SPNG_FMT_PNG.rawValue),
                    Int32(SPNG_ENCODE_FINALIZE.rawValue))
            }
        }
        var length = 0
        let buffer = status == 0 ? spng_get_png_buffer(context, &length, &status) : nil
        // Only running out of memory makes libspng fail on an image of valid size and layout.
        guard status == 0, let buffer else {
            preconditionFailure("libspng could not encode a PNG: \(String(cString: spng_strerror(status)))")
        }
        defer { free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }
}
