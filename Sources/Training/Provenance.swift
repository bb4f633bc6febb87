import Engine
import Foundation

/// What a result can be traced back to: the bench's version and git commit, the processor,
/// the thread count and OpenBLAS's kernels, and the ssh connection a remote run came through.
public struct Provenance: Codable, Sendable {
    public static let benchVersion = "0.1.0"

    public var version = Provenance.benchVersion
    public var gitCommit: String
    public var cpu: String
    public var threads: Int
    public var openblasCore: String
    public var openblasCoretypeVariable: String
    public var started: String
    /// `SSH_CONNECTION` ("client port server port") where the run was started over ssh, as GNU
    /// parallel's `--sshloginfile` starts it; nil (and left out of flags.json) otherwise.
    public var sshConnection: String?

    /// Named as the flags beside them in flags.json are.
    enum CodingKeys: String, CodingKey {
        case version, cpu, threads, started
        case gitCommit = "git_commit"
        case openblasCore = "openblas_core"
        case openblasCoretypeVariable = "openblas_coretype_variable"
        case sshConnection = "ssh_connection"
    }

    public init(threads: Int, environment: [String: String] = ProcessInfo.processInfo.environment) {
        gitCommit = Self.gitCommit() ?? "unknown"
        cpu = Self.cpuModel() ?? "unknown"
        self.threads = threads
        openblasCore = BLASLibrary.coreName
        openblasCoretypeVariable = environment["OPENBLAS_CORETYPE"] ?? "unset"
        started = Timestamp.now()
        sshConnection = environment["SSH_CONNECTION"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) }
    }

    /// The commit of the checkout the binary was built in (found by walking up from it).
    static func gitCommit() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            let git = dir.appendingPathComponent(".git")
            if let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8) {
                let h = head.trimmingCharacters(in: .whitespacesAndNewlines)
                guard h.hasPrefix("ref: ") else { return h }
                let ref = String(h.dropFirst(5))
                if let id = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
                    return id.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
                return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(40)) }
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}

/// DTB's timestamps: `YYYY-MM-DD HH:MM:SS`, local time.
public enum Timestamp {
    public static func now() -> String {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
