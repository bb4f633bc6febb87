#if canImport(Glibc)
import Glibc
#endif

/// A local date and time as Python's `str(datetime.now())` writes it, which is how DTB's
/// evaluation scripts stamp their lines: `2017-01-12 15:41:12.123456`, the microseconds left out
/// when they are 0 (Python's `isoformat(' ')`).
public struct PythonDateTime: CustomStringConvertible, Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// The wall clock in the local time zone, truncated to microseconds as CPython's
    /// `datetime.now()` truncates its clock (it rounds towards the floor).
    public static func now() -> PythonDateTime {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        var seconds = clock.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return PythonDateTime(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec),
            microsecond: clock.tv_nsec / 1000)
    }

    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let text =
            "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2)) "
            + "\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2))"
        return microsecond == 0 ? text : text + "." + padded(microsecond, 6)
    }
}
