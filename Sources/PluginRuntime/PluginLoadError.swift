/// Why one plugin file was refused. The message names the rule that failed, e.g.
/// "plugin ABI 1.7 is newer than host ABI 1.0" or "capability agent_query declared without on_agent_query".
public struct PluginLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file that was refused.
    public let path: String
    /// One line, without the path.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
