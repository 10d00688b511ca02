/// Why a file of the plugins directory was not loaded for safety: what ``PluginFileSafety`` throws.
///
/// `message` names the file and says what to change; the loader logs it as the skip reason.
public struct PluginFileRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule the file broke.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case directoryWorldWritable = "directory world-writable"
            case worldWritable = "world-writable"
            case foreignOwner = "foreign owner"
            case outsideDirectory = "outside the directory"
            case notRegularFile = "not a regular file"
            case unresolvable = "unresolvable"
        }

        private let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// The plugins directory is writable by everyone and lacks the sticky bit: anyone may swap its files.
        public static let directoryWorldWritable = Reason(.directoryWorldWritable)
        /// The file (after symlinks) is writable by everyone.
        public static let worldWritable = Reason(.worldWritable)
        /// The file (after symlinks) is owned by neither the server's effective user nor root.
        public static let foreignOwner = Reason(.foreignOwner)
        /// The file resolves (through a symlink, or `..`) to a place outside the plugins directory.
        public static let outsideDirectory = Reason(.outsideDirectory)
        /// The file resolves to a directory, device, FIFO or socket.
        public static let notRegularFile = Reason(.notRegularFile)
        /// The file or the directory cannot be resolved or examined (missing, dangling symlink, no permission).
        public static let unresolvable = Reason(.unresolvable)

        public var description: String { code.rawValue }
    }

    public let reason: Reason
    /// The file as it was given (not resolved).
    public let path: String
    /// One sentence naming the file, the rule and the fix.
    public let message: String

    public init(_ reason: Reason, path: String, message: String) {
        self.reason = reason
        self.path = path
        self.message = message
    }

    public var description: String { message }
}
