/// A plugin file that was not loaded, and why.
public struct PluginLoadFailure: Sendable, Codable, Hashable {
    public let path: String
    /// One line, e.g. "plugin ABI 1.7 is newer than host ABI 1.0".
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
