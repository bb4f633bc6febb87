import DataIO
import Engine
import Plugins

/// An autoencoder's input and its reconstruction side by side in one picture, the
/// reconstruction's values taken from the model's pixel range back to bytes (clamped, rounded).
public enum ReconstructionPicture {
    public static func png(
        input: [UInt8], reconstruction: ArraySlice<Float>, shape: Shape, range: PixelRange
    ) -> [UInt8] {
        let (h, w) = (shape.height, shape.width)
        var planes = [UInt8](repeating: 0, count: shape.channels * h * 2 * w)
        for c in 0..<shape.channels {
            for y in 0..<h {
                let row = (c * h + y) * 2 * w, source = (c * h + y) * w
                for x in 0..<w {
                    planes[row + x] = input[source + x]
                    planes[row + w + x] = byte(reconstruction[reconstruction.startIndex + source + x], range)
                }
            }
        }
        return PNGEncoder.encode(DecodedImage(width: 2 * w, height: h, channels: shape.channels, planes: planes))
    }

    private static func byte(_ value: Float, _ range: PixelRange) -> UInt8 {
        let unit = range == .zeroToOne ? value : (value + 1) / 2
        return UInt8((unit.isNaN ? 0 : min(max(unit, 0), 1) * 255).rounded())
    }
}
