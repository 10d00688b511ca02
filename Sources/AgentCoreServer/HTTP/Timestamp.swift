import Foundation

/// Times as the API shows them: RFC 3339 UTC with milliseconds, equal before and after a database round trip.
enum Timestamp {
    /// Now, at millisecond precision plus a quarter millisecond.
    ///
    /// The database keeps dates as text truncated to the millisecond, and a
    /// Double rarely holds a whole millisecond exactly: `x.147` may be
    /// `x.14699999`, stored as `.146`. A quarter millisecond past the tick is
    /// truncated to the right one when stored and rounds to it in ``format(_:)``,
    /// as does the value read back.
    static func now() -> Date {
        Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 * 1000).rounded(.down) + 0.25) / 1000)
    }

    /// `2025-01-01T10:00:00.123Z`, rounded to the nearest millisecond.
    static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
        return whole.dropLast() + "." + String(format: "%03lld", fraction) + "Z"
    }
}
