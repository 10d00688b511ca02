public import Logging

/// Everything `buildApplication` needs; `agentcore serve` fills it from its options.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `onListening` receives the real one.
    public var port: Int
    /// Holds `agentcore.sqlite`, `master.key` and, with --dev, `jwt-secret`. Created when missing.
    public var dataDirectory: String
    /// Directories scanned for third-party plugins.
    public var pluginDirectories: [String]
    /// Where the `libagentcore-builtin-*.so` files are; nil = next to the executable.
    public var builtinDirectory: String?
    /// Bound on every plugin create and hook call.
    public var callTimeout: Duration
    /// The delivery worker's concurrency, retry schedule and retention.
    public var delivery: DeliveryConfiguration
    /// Plugin isolation, limits, quarantine and the directory watch.
    public var isolation = PluginIsolationConfiguration()
    /// The HS256 key bytes.
    public var jwtSecret: [UInt8]
    /// Read for `AGENTCORE_MASTER_KEY`.
    public var environment: [String: String]
    /// `docs/openapi.yaml`; nil = search from the executable's directory upwards.
    public var openAPIDocumentPath: String?
    public var logLevel: Logger.Level
    /// Called once the server accepts connections, with its URL (`http://127.0.0.1:PORT`).
    public var onListening: @Sendable (_ url: String) -> Void

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "./data",
        pluginDirectories: [String] = ["./plugins"],
        builtinDirectory: String? = nil,
        callTimeout: Duration = .seconds(5),
        delivery: DeliveryConfiguration = DeliveryConfiguration(),
        isolation: PluginIsolationConfiguration = PluginIsolationConfiguration(),
        jwtSecret: [UInt8],
        environment: [String: String] = [:],
        openAPIDocumentPath: String? = nil,
        logLevel: Logger.Level = .info,
        onListening: @escaping @Sendable (_ url: String) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.pluginDirectories = pluginDirectories
        self.builtinDirectory = builtinDirectory
        self.callTimeout = callTimeout
        self.delivery = delivery
        self.isolation = isolation
        self.jwtSecret = jwtSecret
        self.environment = environment
        self.openAPIDocumentPath = openAPIDocumentPath
        self.logLevel = logLevel
        self.onListening = onListening
    }
}
