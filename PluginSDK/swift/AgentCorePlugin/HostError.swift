/// Why a host service (HTTP, key-value store) refused or failed a call.
public enum HostError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The plugin's request rate for this namespace is exhausted; the request was not sent (`AC_ERR_RATE_LIMITED`).
    case rateLimited(String)
    /// The host's time bound passed (`AC_ERR_TIMEOUT`).
    case timeout(String)
    /// The target could not be reached: connection refused, DNS (`AC_ERR_UNAVAILABLE`).
    case unavailable(String)
    /// The host refused the arguments, e.g. a key or value too large or a bad URL (`AC_ERR_INVALID_INPUT`).
    case invalidInput(String)
    /// Any other failure status, with the host's message.
    case other(String)

    /// Maps a non-OK ABI status and the host's message (may be empty).
    init(status: ac_status_t, message: String) {
        switch status {
        case AC_ERR_RATE_LIMITED: self = .rateLimited(message.isEmpty ? "rate limited" : message)
        case AC_ERR_TIMEOUT: self = .timeout(message.isEmpty ? "timed out" : message)
        case AC_ERR_UNAVAILABLE: self = .unavailable(message.isEmpty ? "unavailable" : message)
        case AC_ERR_INVALID_INPUT: self = .invalidInput(message.isEmpty ? "invalid input" : message)
        default: self = .other(message.isEmpty ? "host status \(status.rawValue)" : message)
        }
    }

    public var description: String {
        switch self {
        case .rateLimited(let message): "rate limited: \(message)"
        case .timeout(let message): "timeout: \(message)"
        case .unavailable(let message): "unavailable: \(message)"
        case .invalidInput(let message): "invalid input: \(message)"
        case .other(let message): message
        }
    }
}
