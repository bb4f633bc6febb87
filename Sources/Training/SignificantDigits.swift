#if canImport(Glibc)
import Glibc
#endif

/// Floats as CSV cells: `%.9g`, the fewest digits that always read back as the same float32.
/// `snprintf` into a stack buffer, since Foundation's `String(format:)` costs microseconds a
/// call and a feature file holds millions of values.
public enum SignificantDigits {
    public static func text(_ value: Float) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            let n = withVaList([Double(value)]) { vsnprintf(buffer.baseAddress!, 32, "%.9g", $0) }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(n)).bindMemory(to: UInt8.self),
                as: UTF8.self)
        }
    }
}
