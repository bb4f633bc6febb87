import Engine
import Foundation

/// How `--sample FLAG=...` draws a flag's values: `uniform:A:B`, `logu:A:B` (uniform in log A to
/// log B, for scales such as learning rates) or `choice:V1,V2,...` (one value, equally likely).
public enum SweepDistribution: Equatable, Sendable {
    case uniform(Double, Double)
    case logUniform(Double, Double)
    case choice([String])

    /// `text`, the part after `FLAG=`, for `flag`; usage errors name `--sample FLAG`.
    public init(_ text: String, for flag: SweepFlag) throws(BenchError) {
        let name = "--sample \(flag.name)"
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let kind = String(parts[0])
        let rest = parts.count > 1 ? String(parts[1]) : ""
        switch kind {
        case "choice":
            let values = try sweepValues(rest, name: name)
            self = .choice(values)
        case "uniform", "logu":
            guard flag.isNumeric else {
                throw .usage("\(name): \(kind) needs a numeric flag; \(flag.name) takes choice:V1,V2,...")
            }
            let bounds = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard bounds.count == 2, let a = Double(bounds[0]), let b = Double(bounds[1]), a.isFinite, b.isFinite else {
                throw .usage("\(name): '\(text)' must be \(kind):A:B with finite numbers A < B")
            }
            guard a < b else { throw .usage("\(name): \(kind):\(rest) needs A < B") }
            if kind == "logu" {
                guard a > 0 else { throw .usage("\(name): logu:\(rest) needs A > 0") }
                self = .logUniform(a, b)
            } else {
                self = .uniform(a, b)
            }
        default:
            throw .usage("\(name): '\(text)' is not uniform:A:B, logu:A:B or choice:V1,V2,...")
        }
    }

    /// One value for `flag`: integers rounded, real numbers to 4 significant digits (the value
    /// goes into run names and comments, where 0.01234 reads better than 0.012341987213).
    public func draw(for flag: SweepFlag, using generator: inout RandomGenerator) -> String {
        switch self {
        case .choice(let values):
            return values[Int(generator.next() % UInt64(values.count))]
        case .uniform(let a, let b):
            return Self.text(a + Self.unit(&generator) * (b - a), for: flag, within: a...b)
        case .logUniform(let a, let b):
            return Self.text(exp(log(a) + Self.unit(&generator) * (log(b) - log(a))), for: flag, within: a...b)
        }
    }

    /// Uniform in [0, 1) with 53 random bits.
    private static func unit(_ generator: inout RandomGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    private static func text(_ value: Double, for flag: SweepFlag, within bounds: ClosedRange<Double>) -> String {
        if flag.kind == .integer {
            return String(Int(value.rounded()))
        }
        let rounded = Double(String(format: "%.3e", value)) ?? value
        return pythonFloat(min(max(rounded, bounds.lowerBound), bounds.upperBound))
    }
}

/// `V1,V2,...` of `--grid` and `choice:`: commas inside JSON's braces and brackets do not split,
/// so that a whole `--optimizer_args` object is one value.
func sweepValues(_ text: String, name: String) throws(BenchError) -> [String] {
    var values: [String] = []
    var current = "", depth = 0
    for c in text {
        if c == "," && depth == 0 {
            values.append(current)
            current = ""
            continue
        }
        if c == "{" || c == "[" { depth += 1 }
        if c == "}" || c == "]" { depth -= 1 }
        current.append(c)
    }
    values.append(current)
    guard !values.contains(where: \.isEmpty) else {
        throw .usage("\(name): '\(text)' must be a comma list of values, none empty")
    }
    return values
}
