public import Foundation

/// The operator's settings of one plugin, as the store hands them out: overrides of the
/// defaults that hold for the plugin in every namespace.
public struct StoredPluginSetting: Sendable, Equatable {
    /// The isolation modes an override may name.
    public static let isolationModes: Set<String> = ["inprocess", "process"]

    public var pluginId: String
    /// `inprocess` or `process`; nil when the plugin follows the default policy
    /// (built-ins in process, directory plugins in a child process).
    public var isolation: String?
    public var updatedAt: Date

    public init(pluginId: String, isolation: String?, updatedAt: Date) {
        self.pluginId = pluginId
        self.isolation = isolation
        self.updatedAt = updatedAt
    }
}
