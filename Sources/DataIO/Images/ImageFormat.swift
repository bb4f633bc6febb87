/// The image formats the bench decodes, told apart by their first bytes, never by a file's
/// name: a `.png` that holds a JPEG decodes as the JPEG it is.
public enum ImageFormat: String, Sendable {
    case png = "PNG"
    case jpeg = "JPEG"

    /// PNG's eight-byte signature, or JPEG's start-of-image marker and the next marker's 0xFF.
    public init?(sniffing bytes: [UInt8]) {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else {
            return nil
        }
    }
}
