import Foundation

/// How plugin-host children are started and bounded.
public struct PluginHostSettings: Sendable {
    /// The command that starts a child, before its own arguments: by default
    /// `agentcore-plugin-host` next to this executable, else this executable's `plugin-host`.
    public var command: [String]
    /// RLIMIT_AS of each child in bytes; 0 = unlimited.
    public var memoryLimitBytes: UInt64
    /// RLIMIT_CPU of each child in CPU seconds over its whole life; 0 = unlimited.
    public var cpuSeconds: UInt64
    /// Longest wait between restarts of a child that keeps dying.
    public var maxRestartBackoff: Duration

    public init(
        command: [String] = PluginHostSettings.defaultCommand,
        memoryLimitBytes: UInt64 = 1 << 30,
        cpuSeconds: UInt64 = 0,
        maxRestartBackoff: Duration = .seconds(5)
    ) {
        self.command = command
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuSeconds = cpuSeconds
        self.maxRestartBackoff = maxRestartBackoff
    }

    /// `<this executable's directory>/agentcore-plugin-host` when it exists, else
    /// `<this executable> plugin-host` (the same child, in the larger binary).
    public static var defaultCommand: [String] {
        let executable = PluginLoader.executablePath()
        let sibling = PluginLoader.executableDirectory() + "/" + hostExecutableName
        if access(sibling, X_OK) == 0 { return [sibling] }
        return [executable, "plugin-host"]
    }

    /// The small executable that hosts one process-isolated plugin.
    public static let hostExecutableName = "agentcore-plugin-host"
}
