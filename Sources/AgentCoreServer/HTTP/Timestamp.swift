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
        // Every response carries a few timestamps: the digits are written directly, since
        // Foundation's ISO 8601 style and String(format:) cost more than the rest of a small
        // response. Years outside 1970...9999 keep Foundation's rendering.
        if seconds >= 0, seconds < 253_402_300_800 {
            return civilFormat(seconds: seconds, fraction: fraction)
        }
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
        return whole.dropLast() + "." + String(format: "%03lld", fraction) + "Z"
    }

    /// Seconds since 1970 (before year 10000) and a millisecond fraction as RFC 3339 UTC.
    private static func civilFormat(seconds: Int64, fraction: Int64) -> String {
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        // Days to year/month/day in the proleptic Gregorian calendar (H. Hinnant's civil_from_days).
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            func digits(_ value: Int64, _ count: Int) {
                var value = value
                for position in stride(from: index + count - 1, through: index, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += count
            }
            func byte(_ character: Unicode.Scalar) {
                buffer[index] = UInt8(ascii: character)
                index += 1
            }
            digits(year, 4); byte("-"); digits(month, 2); byte("-"); digits(day, 2); byte("T")
            digits(secondOfDay / 3600, 2); byte(":"); digits(secondOfDay / 60 % 60, 2); byte(":"); digits(secondOfDay % 60, 2)
            byte("."); digits(fraction, 3); byte("Z")
            return index
        }
    }
}
