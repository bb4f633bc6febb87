/// A number as Python's `str(float)` writes it (0.001, 1e-05, 0.01, 1.0, 1e+16), which is how
/// DTB spelled learning rates and penalties in run names. Swift's description already has the
/// shortest round-trip digits; only where to switch to exponent notation differs (Python
/// switches below 1e-4 and from 1e16 on).
public func pythonFloat(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    let sign = value.sign == .minus ? "-" : ""
    guard value != 0 else { return sign + "0.0" }
    let text = "\(abs(value))"
    let parts = text.split(separator: "e")
    let exponent = parts.count > 1 ? Int(parts[1])! : 0
    let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
    var digits = Array(mantissa[0] + (mantissa.count > 1 ? mantissa[1] : ""))
    // value = 0.<digits> x 10^point
    var point = mantissa[0].count + exponent
    while digits.first == "0" { digits.removeFirst(); point -= 1 }
    while digits.last == "0" { digits.removeLast() }
    let scientific = point - 1
    if scientific < -4 || scientific >= 16 {
        let tail = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
        let e = abs(scientific) < 10 ? "0\(abs(scientific))" : "\(abs(scientific))"
        return sign + String(digits[0]) + tail + "e" + (scientific < 0 ? "-" : "+") + e
    }
    if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
    if point >= digits.count {
        return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0"
    }
    return sign + String(digits[..<point]) + "." + String(digits[point...])
}
