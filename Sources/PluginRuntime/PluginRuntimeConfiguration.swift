/// Settings of the plugin runtime: where plugins are found and the bounds every call runs under.
public struct PluginRuntimeConfiguration: Sendable {
    /// The directory holding `libagentcore-builtin-*.so`; nil = the directory of the running executable.
    public var builtinDirectory: String?
    /// Directories scanned for third-party `*.so` plugins, e.g. `["./plugins"]`. A missing directory is skipped.
    public var pluginDirectories: [String]
    /// Bound on `create` and on every hook call.
    public var callTimeout: Duration
    /// Threads one plugin may occupy, including threads still stuck in calls that timed out.
    public var maxThreadsPerPlugin: Int
    /// Outbound HTTP requests allowed per plugin per namespace per minute (token bucket; the excess is refused).
    public var httpRequestsPerMinute: Int
    /// Upper bound on one outbound HTTP request; a plugin may ask for less.
    public var httpTimeout: Duration
    /// Isolation of built-ins unless overridden (default: in process).
    public var builtinIsolation: PluginIsolation = .inprocess
    /// Isolation of directory plugins unless overridden (default: a plugin-host child each).
    public var directoryIsolation: PluginIsolation = .process
    /// Per-plugin-id isolation overrides (flags, the plugins config file, the API).
    public var isolationOverrides: [String: PluginIsolation] = [:]
    /// How plugin-host children start and what bounds them.
    public var pluginHost = PluginHostSettings()
    /// When crashes and timeouts quarantine a plugin.
    public var quarantine = QuarantinePolicy()
    /// Where directory plugins are copied before loading; nil = a new private temporary directory.
    public var privateCopyDirectory: String?
    /// How often the plugin directories are rescanned when inotify is unavailable (it is only
    /// a fallback: inotify events trigger a scan at once).
    public var watchInterval: Duration = .seconds(2)
    /// How long a changed file must stay unchanged (size, mtime, inode) before it is loaded, so
    /// a file still being copied in is never loaded half-written.
    public var watchStabilityDelay: Duration = .milliseconds(300)

    public init(
        builtinDirectory: String? = nil,
        pluginDirectories: [String] = ["./plugins"],
        callTimeout: Duration = .seconds(5),
        maxThreadsPerPlugin: Int = 8,
        httpRequestsPerMinute: Int = 600,
        httpTimeout: Duration = .seconds(10)
    ) {
        self.builtinDirectory = builtinDirectory
        self.pluginDirectories = pluginDirectories
        self.callTimeout = callTimeout
        self.maxThreadsPerPlugin = maxThreadsPerPlugin
        self.httpRequestsPerMinute = httpRequestsPerMinute
        self.httpTimeout = httpTimeout
    }
}
