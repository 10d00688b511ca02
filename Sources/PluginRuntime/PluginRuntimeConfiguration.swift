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
