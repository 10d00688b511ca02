import CAgentCorePlugin

/// `ac_status_t` as a Swift enum: the status of every fallible call, in both directions.
public enum NativeStatus: Int32, Sendable, Hashable {
    case ok = 0
    case noResult = 1
    case error = -1
    case invalidInput = -2
    case notFound = -3
    case rateLimited = -4
    case timeout = -5
    case unavailable = -6
    case unsupported = -7

    /// The status a plugin returned; a value outside the enum is reported as `.error`
    /// with the raw value kept by the caller for the message.
    init(plugin raw: ac_status_t) {
        self = NativeStatus(rawValue: Int32(truncatingIfNeeded: raw.rawValue)) ?? .error
    }

    var cValue: ac_status_t { ac_status_t(rawValue: numericCast(rawValue)) }

    /// True for `ok` and `noResult`.
    public var isSuccess: Bool { rawValue >= 0 }

    /// The C name, for messages ("AC_ERR_TIMEOUT").
    public var name: String {
        switch self {
        case .ok: "AC_OK"
        case .noResult: "AC_NO_RESULT"
        case .error: "AC_ERROR"
        case .invalidInput: "AC_ERR_INVALID_INPUT"
        case .notFound: "AC_ERR_NOT_FOUND"
        case .rateLimited: "AC_ERR_RATE_LIMITED"
        case .timeout: "AC_ERR_TIMEOUT"
        case .unavailable: "AC_ERR_UNAVAILABLE"
        case .unsupported: "AC_ERR_UNSUPPORTED"
        }
    }
}

/// `ac_log_level_t`.
public enum NativeLogLevel: Int32, Sendable, Hashable {
    case trace = 0, debug, info, warning, error
}
