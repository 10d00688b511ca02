/// An error a plugin throws to choose the status its hook returns.
///
/// Any other thrown error becomes `AC_ERROR` with the error's description as
/// the message.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case failed, invalidInput, notFound, unsupported
    }

    private let code: Code
    /// Human-readable; the host logs it and reports it as the call's error.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A failure (`AC_ERROR`).
    public init(_ message: String) {
        self.init(.failed, message)
    }

    /// The config, event or tool input was not acceptable (`AC_ERR_INVALID_INPUT`).
    public static func invalidInput(_ message: String) -> PluginError { PluginError(.invalidInput, message) }
    /// The tool or resource does not exist (`AC_ERR_NOT_FOUND`).
    public static func notFound(_ message: String) -> PluginError { PluginError(.notFound, message) }
    /// The call is not supported by this plugin (`AC_ERR_UNSUPPORTED`).
    public static func unsupported(_ message: String) -> PluginError { PluginError(.unsupported, message) }

    public var description: String { message }

    /// The ABI status this error is reported with.
    var status: ac_status_t {
        switch code {
        case .failed: AC_ERROR
        case .invalidInput: AC_ERR_INVALID_INPUT
        case .notFound: AC_ERR_NOT_FOUND
        case .unsupported: AC_ERR_UNSUPPORTED
        }
    }
}
