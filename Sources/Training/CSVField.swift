import Foundation

/// A CSV cell as RFC 4180 and Python's csv module read it: quoted, its quotes doubled, where it
/// holds a comma, quote or line break (file paths and class names may), else as it is.
public func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
