public import AgentCoreStore
import Foundation
public import Hummingbird
import Logging
public import PluginRuntime
import ServiceLifecycle

/// Builds the agentcore server: opens the database, loads the plugins, and
/// wires the routes. Used by `agentcore serve` and by tests.
///
/// The returned application runs its services in one group. On SIGINT/SIGTERM
/// (with `runService()`) they stop in reverse order: the HTTP server (finishing
/// in-flight requests), the delivery worker (finishing the hook calls in
/// flight; undelivered events stay in the outbox), the plugin runtime (destroying instances), and the database last.
/// - Throws: When the data directory, master key or database cannot be opened.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "agentcore")
    logger.logLevel = configuration.logLevel

    try DataDirectory.prepare(configuration.dataDirectory)
    let masterKey = try MasterKey.load(environment: configuration.environment, dataDirectory: configuration.dataDirectory)
    // Authenticated requests read their namespace (and often its installs) from memory; every
    // namespace and install write goes through this cache and drops the namespace's entry.
    let store = CachingDataStore(backend: try SQLiteDataStore(dataDirectory: configuration.dataDirectory, masterKey: masterKey, logger: logger))

    var runtimeConfiguration = PluginRuntimeConfiguration(
        builtinDirectory: configuration.builtinDirectory,
        pluginDirectories: configuration.pluginDirectories,
        callTimeout: configuration.callTimeout
    )
    configuration.isolation.apply(to: &runtimeConfiguration)
    // Overrides set through the API outlive restarts and win over the flags.
    for (pluginId, setting) in try await store.pluginSettings() {
        if let isolation = setting.isolation.flatMap(PluginIsolation.init(rawValue:)) {
            runtimeConfiguration.isolationOverrides[pluginId] = isolation
        }
    }
    runtimeConfiguration.privateCopyDirectory = (configuration.dataDirectory as NSString).appendingPathComponent("plugin-copies")
    try? FileManager.default.removeItem(atPath: runtimeConfiguration.privateCopyDirectory!)
    let runtime = PluginRuntime(
        configuration: runtimeConfiguration,
        installSource: StoreInstallSource(store: store),
        keyValueStore: StoreKeyValueStore(store: store),
        logger: logger
    )
    // Logs each plugin loaded or refused, with the reason.
    await runtime.loadPlugins()
    if configuration.isolation.watchPluginDirectories { runtime.startWatching() }

    let deliveries = DeliveryWorker(store: store, runtime: runtime, configuration: configuration.delivery, logger: logger)
    let openAPIPath = configuration.openAPIDocumentPath ?? OpenAPIDocument.locate()
    let openAPIDocument = openAPIPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
    if openAPIDocument == nil {
        logger.warning("docs/openapi.yaml not found: GET /openapi.yaml will answer 404")
    }

    let router = buildRouter(RouterDependencies(
        store: store,
        runtime: runtime,
        authenticator: await JWTAuthenticator(secret: configuration.jwtSecret),
        deliveries: deliveries,
        openAPIDocument: openAPIDocument
    ))

    let onListening = configuration.onListening
    let host = configuration.host
    let readyLogger = logger
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "agentcore"),
        // Shut down in reverse: the delivery worker, then runtime, then the database (the HTTP server stops before all of them).
        services: [DatabaseService(store: store, logger: logger), PluginRuntimeService(runtime: runtime), deliveries],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
            readyLogger.info("listening on \(url)")
            onListening(url)
        },
        logger: logger
    )
}

/// What the routes need.
public struct RouterDependencies: Sendable {
    public let store: any DataStore
    public let runtime: PluginRuntime
    public let authenticator: JWTAuthenticator
    public let deliveries: DeliveryWorker
    /// The text served at `GET /openapi.yaml`.
    public let openAPIDocument: String?

    public init(store: any DataStore, runtime: PluginRuntime, authenticator: JWTAuthenticator, deliveries: DeliveryWorker, openAPIDocument: String?) {
        self.store = store
        self.runtime = runtime
        self.authenticator = authenticator
        self.deliveries = deliveries
        self.openAPIDocument = openAPIDocument
    }
}

/// The router of the whole API (also what the OpenAPI test compares with `docs/openapi.yaml`).
public func buildRouter(_ dependencies: RouterDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    // Router middleware applies to routes added after it, and to "no route" answers.
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware())

    SystemController(openAPIDocument: dependencies.openAPIDocument).addRoutes(to: router)

    let api = router.group("api/v1").add(middleware: AuthMiddleware(authenticator: dependencies.authenticator))
    NamespaceController(store: dependencies.store, runtime: dependencies.runtime).addRoutes(to: api)
    PluginCatalogController(store: dependencies.store, runtime: dependencies.runtime).addRoutes(to: api)
    InstallController(store: dependencies.store, runtime: dependencies.runtime).addRoutes(to: api)
    HostFlowController(store: dependencies.store, runtime: dependencies.runtime, deliveries: dependencies.deliveries).addRoutes(to: api)
    DeliveryController(store: dependencies.store, deliveries: dependencies.deliveries).addRoutes(to: api)
    return router
}
