import Foundation

/// A training command's flags (what follows its name) with one run's values put in: a value
/// replaces the flag where the command gives it, and an optimizer argument is merged into the
/// command's `--optimizer_args` (or its optimizer's default arguments).
public struct SweepArguments: Equatable, Sendable {
    public private(set) var flags: [String]

    public init(_ flags: [String]) { self.flags = flags }

    /// The value the command gives `--name` (the last one, as the parser takes it), if any.
    public func value(of name: String) -> String? {
        var found: String?
        for (i, word) in flags.enumerated() {
            if word == "--" + name, i + 1 < flags.count { found = flags[i + 1] }
            if word.hasPrefix("--\(name)=") { found = String(word.dropFirst(name.count + 3)) }
        }
        return found
    }

    /// Whether the command gives `--name` at all.
    public func contains(_ name: String) -> Bool {
        flags.contains { $0 == "--" + name || $0.hasPrefix("--\(name)=") }
    }

    /// Sets `--name` to `value`, in place of any value the command gave it.
    public mutating func set(_ name: String, _ value: String) {
        remove(name, takesValue: true)
        flags += ["--" + name, value]
    }

    public mutating func set(_ values: [SweepValue]) throws(BenchError) {
        for v in values where !v.flag.isOptimizerArgument {
            if v.flag.kind == .boolean {
                remove(v.flag.name, takesValue: false)
                if v.value == "true" { flags.append("--" + v.flag.name) }
            } else {
                set(v.flag.name, v.value)
            }
        }
        // After the flags, as a swept --optimizer decides the default arguments.
        let arguments = values.filter(\.flag.isOptimizerArgument)
        guard !arguments.isEmpty else { return }
        let json =
            value(of: "optimizer_args")
            ?? OptimizerSpec.defaultArguments(for: value(of: "optimizer") ?? "MomentumOptimizer")
        guard var merged = try? JSONDecoder().decode([String: OptimizerSpec.Argument].self, from: Data(json.utf8))
        else {
            throw .usage("--optimizer_args: not a JSON object of numbers and booleans: \(json)")
        }
        for v in arguments {
            if v.flag.kind == .boolean {
                merged[v.flag.name] = .flag(v.value == "true")
            } else if let number = Double(v.value), number.isFinite {
                merged[v.flag.name] = .number(number)
            } else {
                throw .usage("sweep: \(v.flag.name) = '\(v.value)' is not a finite number")
            }
        }
        set("optimizer_args", Self.json(merged))
    }

    /// `{"learning_rate": 0.001, "momentum": 0.9}`: DTB's spelling, keys sorted.
    static func json(_ arguments: [String: OptimizerSpec.Argument]) -> String {
        "{" + arguments.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }

    private mutating func remove(_ name: String, takesValue: Bool) {
        var kept: [String] = []
        var skipNext = false
        for word in flags {
            if skipNext {
                skipNext = false
            } else if word == "--" + name {
                skipNext = takesValue
            } else if !word.hasPrefix("--\(name)=") {
                kept.append(word)
            }
        }
        flags = kept
    }
}
