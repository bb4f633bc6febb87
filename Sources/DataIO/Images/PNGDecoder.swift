import CSPNG
import Plugins

/// PNG through libspng: grey, grey + alpha, RGB, RGBA and palette images at every bit depth of
/// the standard (1, 2, 4, 8, 16), interlaced or not. libspng hands back one of three layouts,
/// chosen so that none loses a level: grey of 8 bits or fewer as 8-bit grey (1, 2 and 4 bits
/// scaled up by bit replication, so 1 is 255 and 4-bit 15 is 255), 16-bit images as 16-bit RGBA
/// (rounded to 8 bits here, not truncated as libspng's 8-bit outputs would), and everything else
/// as 8-bit RGB (a palette looked up, grey + alpha replicated). Alpha and tRNS transparency are
/// dropped and no gamma is applied, as Pillow's `convert("RGB")` and `convert("L")` do.
enum PNGDecoder {
    /// The most an ancillary chunk that libspng keeps (text, an ICC profile) may hold, and all of
    /// them together: the pixels never pass through here, so these only bound what a hostile file
    /// can make libspng inflate beside them.
    static let chunkLimit = 16 << 20
    static let chunkCacheLimit = 64 << 20

    static func header(_ bytes: [UInt8], file: String, maxPixels: Int) throws(FileError) -> ImageHeader {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(FileError) in
                let (context, ihdr) = try open(raw, file: file, maxPixels: maxPixels)
                spng_ctx_free(context)
                return ImageHeader(
                    format: .png, width: Int(ihdr.width), height: Int(ihdr.height), channels: isGrey(ihdr) ? 1 : 3)
            }
        }.get()
    }

    static func decode(
        _ bytes: [UInt8], file: String, channels: Int?, maxPixels: Int
    ) throws(FileError) -> DecodedImage {
        // libspng reads from the buffer until it has decoded the image, so the whole decode
        // happens while the bytes are pinned.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(FileError) in
                let (context, ihdr) = try open(raw, file: file, maxPixels: maxPixels)
                defer { spng_ctx_free(context) }
                return try decodePixels(context, ihdr, file: file, channels: channels ?? (isGrey(ihdr) ? 1 : 3))
            }
        }.get()
    }

    static func isGrey(_ ihdr: spng_ihdr) -> Bool {
        Int(ihdr.color_type) == Int(SPNG_COLOR_TYPE_GRAYSCALE.rawValue)
            || Int(ihdr.color_type) == Int(SPNG_COLOR_TYPE_GRAYSCALE_ALPHA.rawValue)
    }

    /// A decoder context over `raw` whose header has been read and checked; the caller frees it.
    static func open(
        _ raw: UnsafeRawBufferPointer, file: String, maxPixels: Int
    ) throws(FileError) -> (OpaquePointer, spng_ihdr) {
        guard let context = spng_ctx_new(0) else { throw .malformed(file, "libspng could not start decoding") }
        // A side over the pixel limit is an area over it too; the product is checked below.
        let side = UInt32(min(maxPixels, Int(Int32.max)))
        var status = spng_set_image_limits(context, side, side)
        if status == 0 { status = spng_set_chunk_limits(context, chunkLimit, chunkCacheLimit) }
        if status == 0 { status = spng_set_png_buffer(context, raw.baseAddress, raw.count) }
        var ihdr = spng_ihdr()
        if status == 0 { status = spng_get_ihdr(context, &ihdr) }
        if status != 0 {
            spng_ctx_free(context)
            if status == SPNG_EUSER_WIDTH.rawValue || status == SPNG_EUSER_HEIGHT.rawValue, raw.count >= 24 {
                try ImageDecoding.checkPixels(
                    width: Int(bigEndian32(raw, at: 16)), height: Int(bigEndian32(raw, at: 20)), maxPixels: maxPixels,
                    format: .png, file: file)
            }
            throw failure(status, file: file, reading: "header")
        }
        do {
            try ImageDecoding.checkPixels(
                width: Int(ihdr.width), height: Int(ihdr.height), maxPixels: maxPixels, format: .png, file: file)
        } catch {
            spng_ctx_free(context)
            throw error
        }
        return (context, ihdr)
    }

    /// The IHDR field at `offset` (the signature is 8 bytes, IHDR's length and type 8 more).
    static func bigEndian32(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        raw[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func decodePixels(
        _ context: OpaquePointer, _ ihdr: spng_ihdr, file: String, channels: Int
    ) throws(FileError) -> DecodedImage {
        let width = Int(ihdr.width), height = Int(ihdr.height), area = width * height
        let grey = isGrey(ihdr)
        let format: spng_format
        if ihdr.bit_depth == 16 {
            format = SPNG_FMT_RGBA16
        } else if Int(ihdr.color_type) == Int(SPNG_COLOR_TYPE_GRAYSCALE.rawValue) {
            format = SPNG_FMT_G8
        } else {
            format = SPNG_FMT_RGB8
        }
        var length = 0
        let sized = spng_decoded_image_size(context, Int32(format.rawValue), &length)
        guard sized == 0 else { throw failure(sized, file: file, reading: "header") }

        var status: Int32 = 0
        // Uninitialised: libspng writes every byte of an image it decodes, and a failed decode
        // is thrown away.
        let pixels = [UInt8](unsafeUninitializedCapacity: channels * area) { out, initialized in
            if format == SPNG_FMT_G8 && channels == 1 {
                // The common case (a grey dataset) decodes straight into the plane.
                status = spng_decode_image(context, out.baseAddress, length, Int32(format.rawValue), 0)
            } else {
                let decoded = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 8)
                defer { decoded.deallocate() }
                status = spng_decode_image(context, decoded.baseAddress, length, Int32(format.rawValue), 0)
                if status == 0 && format == SPNG_FMT_RGBA16 {
                    ChannelConversion.planes(
                        from: UnsafeBufferPointer(decoded.bindMemory(to: UInt16.self)), stride: 4, colour: !grey,
                        area: area, channels: channels, into: out, eightBit: ChannelConversion.eightBit)
                } else if status == 0 {
                    ChannelConversion.planes(
                        from: UnsafeBufferPointer(decoded.bindMemory(to: UInt8.self)),
                        stride: format == SPNG_FMT_G8 ? 1 : 3,
                        colour: !grey, area: area, channels: channels, into: out, eightBit: ChannelConversion.eightBit)
                }
            }
            initialized = status == 0 ? channels * area : 0
        }
        guard status == 0 else { throw failure(status, file: file, reading: "image data") }
        return DecodedImage(width: width, height: height, channels: channels, planes: pixels)
    }

    static func failure(_ status: Int32, file: String, reading part: String) -> FileError {
        if status == SPNG_IO_EOF.rawValue {
            return .malformed(file, "truncated PNG: the file ends inside its \(part)")
        }
        let message = spng_strerror(status).map { String(cString: $0) } ?? "error \(status)"
        return .malformed(file, "corrupt PNG \(part) (libspng: \(message))")
    }
}
