import Plugins

extension PixelRange {
    /// The darkest value: what a crop pads with and what masking noise leaves (byte 0 scaled).
    var minimum: Float { self == .zeroToOne ? 0 : -1 }
    /// The brightest value, where Gaussian noise is clipped.
    var maximum: Float { 1 }
}
