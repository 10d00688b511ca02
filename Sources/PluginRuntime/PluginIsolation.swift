/// Where a plugin's native code runs.
public enum PluginIsolation: String, Sendable, Codable, CaseIterable {
    /// Loaded into the server with dlopen: the fastest calls, but a crash takes the server down.
    case inprocess
    /// Loaded by an `agentcore plugin-host` child serving calls over Unix sockets: a crash or a
    /// runaway call costs only that child, which is killed and restarted.
    case process
}
