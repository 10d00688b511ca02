/// How plugin-host children are started and bounded.
public struct PluginHostSettings: Sendable {
    /// The command that starts a child, before its own arguments: by default this executable
    /// with the `plugin-host` subcommand.
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

    /// `<this executable> plugin-host`.
    public static var defaultCommand: [String] {
        [PluginLoader.executablePath(), "plugin-host"]
    }
}
