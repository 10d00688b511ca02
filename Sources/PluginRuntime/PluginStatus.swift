/// Whether a loaded plugin's calls run.
public enum PluginState: String, Sendable, Codable {
    /// Calls run.
    case active
    /// Calls are skipped after repeated crashes or timeouts, until an operator re-activates it.
    case quarantined
}

/// A loaded plugin as operators see it: what it is, how it runs and whether it is healthy.
public struct PluginStatus: Sendable {
    public let info: PluginInfo
    public let isolation: PluginIsolation
    public let state: PluginState
    /// Why the plugin is quarantined.
    public let quarantineReason: String?
    /// Why the newest file at the plugin's path was refused (this version keeps serving).
    public let reloadError: String?
    /// Older versions still finishing calls or destroying instances before their handle closes.
    public let retiredVersions: Int
    /// The pid of its plugin-host child (process isolation, while one runs).
    public let processId: Int32?
}
