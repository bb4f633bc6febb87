/// What an image's header says, read without decoding its pixels.
public struct ImageHeader: Sendable, Equatable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    /// 1 for a grey image (with or without alpha), 3 for a colour or palette one: what `decode`
    /// returns when it is not asked for a number of channels.
    public let channels: Int
}
