import Foundation

/// Seconds since this process started, as the kernel counts them (so the time to load the
/// executable and its libraries is included), to report how long a run took to its first step.
public enum ProcessClock {
    public static func secondsSinceStart() -> Double? {
        // Field 22 of /proc/self/stat is the start time in clock ticks after boot; the command
        // name (field 2) may hold spaces, so count fields after its closing parenthesis.
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
            let now = Double(uptime.split(separator: " ").first ?? "")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        return now - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
