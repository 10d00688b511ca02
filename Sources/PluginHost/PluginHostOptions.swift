/// How the server started a plugin-host child (the `agentcore plugin-host` arguments).
public struct PluginHostOptions: Sendable {
    /// The plugin file to load (the server's private copy).
    public var path: String
    /// The first inherited socket descriptor; `connections` sockets follow it.
    public var firstDescriptor: Int32
    public var connections: Int
    /// The server's pid: the child exits at once if its parent is already another process.
    public var parentPid: Int32
    /// RLIMIT_AS in bytes; 0 = unlimited.
    public var memoryLimitBytes: UInt64
    /// RLIMIT_CPU in seconds over the child's life; 0 = unlimited.
    public var cpuSeconds: UInt64

    public init(path: String, firstDescriptor: Int32, connections: Int, parentPid: Int32, memoryLimitBytes: UInt64, cpuSeconds: UInt64) {
        self.path = path
        self.firstDescriptor = firstDescriptor
        self.connections = connections
        self.parentPid = parentPid
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuSeconds = cpuSeconds
    }
}
