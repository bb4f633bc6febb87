import Plugins
import Testing

extension Pixels {
    /// The values of byte pixels; float intensities fail the test that asked.
    var byteValues: [UInt8] {
        guard case .bytes(let values) = self else {
            Issue.record("expected byte pixels, found float intensities")
            return []
        }
        return Array(values)
    }

    /// The values of float intensities; byte pixels fail the test that asked.
    var floatValues: [Float] {
        guard case .intensities(let values) = self else {
            Issue.record("expected float intensities, found byte pixels")
            return []
        }
        return Array(values)
    }
}
