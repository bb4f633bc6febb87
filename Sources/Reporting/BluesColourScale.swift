/// ColorBrewer's sequential Blues (nine classes, the colours of matplotlib's "Blues", which
/// confusion matrices are commonly drawn in) interpolated linearly: 0 near white, 1 dark blue.
/// Lightness falls steadily along it, so shares stay ordered in grey print too.
public enum BluesColourScale {
    static let stops: [(Double, Double, Double)] = [
        (247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
        (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107),
    ]

    /// The colour of `share`, clamped to [0, 1].
    public static func colour(_ share: Double) -> RGB {
        let position = min(1, max(0, share.isNaN ? 0 : share)) * Double(stops.count - 1)
        let low = min(Int(position), stops.count - 2)
        let t = position - Double(low)
        let (a, b) = (stops[low], stops[low + 1])
        func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * t).rounded()) }
        return RGB(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
