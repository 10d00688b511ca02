public import AgentCoreJSON
import Foundation
public import JSONSchema
public import Logging
import Synchronization

/// The facade the server holds: loaded plugins, the per-namespace instance registry, the hook
/// dispatcher and the host services plugins call.
///
/// Threading: native code only ever runs on each plugin's own bounded threads (see
/// `PluginExecutor`); async callers await those calls under `callTimeout`, so a blocking or
/// stuck plugin never occupies the cooperative pool.
public final class PluginRuntime: Sendable {
    public let configuration: PluginRuntimeConfiguration
    let logger: Logger
    private let services: HostServices
    private let deadlines: DeadlineReaper
    let registry: NamespaceRegistry
    private let dispatcher: HookDispatcher
    private let statisticsBook: PluginStatisticsBook
    let catalog = Mutex<PluginCatalog>(PluginCatalog())
    private let overrides: IsolationOverrides
    let privateDirectory: String
    private let watcher = Mutex<PluginDirectoryWatcher?>(nil)

    /// Creates a runtime; nothing is loaded until `loadPlugins()`. Call `shutdown()` when done.
    /// - Parameters:
    ///   - installSource: where the registry reads a namespace's installs on a cache miss.
    ///   - keyValueStore: persistence of the plugins' key-value entries.
    public init(
        configuration: PluginRuntimeConfiguration, installSource: any PluginInstallSource,
        keyValueStore: any PluginKeyValueStore, logger: Logger
    ) {
        self.configuration = configuration
        self.logger = logger
        services = HostServices(configuration: configuration, keyValueStore: keyValueStore, logger: logger)
        deadlines = DeadlineReaper()
        statisticsBook = PluginStatisticsBook()
        let calls = PluginCallRunner(deadlines: deadlines, timeout: configuration.callTimeout, logger: logger)
        registry = NamespaceRegistry(source: installSource, services: services, calls: calls, statistics: statisticsBook, logger: logger)
        dispatcher = HookDispatcher(registry: registry, calls: calls)
        overrides = IsolationOverrides(configuration.isolationOverrides)
        privateDirectory = configuration.privateCopyDirectory
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("agentcore-plugins-\(getpid())-\(UUID().uuidString.prefix(8))")
    }

    deinit {
        // Normally done by `shutdown()`; repeated here so a dropped runtime leaves no thread waiting.
        deadlines.stop()
        for plugin in catalog.withLock({ Array($0.byId.values) }) {
            plugin.executor.stop()
            plugin.code.stop()
        }
        try? FileManager.default.removeItem(atPath: privateDirectory)
    }

    /// Swaps the directory watcher, returning the previous one.
    @discardableResult
    func watcher(replacingWith new: PluginDirectoryWatcher?) -> PluginDirectoryWatcher? {
        watcher.withLock { current in
            defer { current = new }
            return current
        }
    }

    /// Sets or clears one override, returning the previous one.
    func setOverride(pluginId: String, _ isolation: PluginIsolation?) -> PluginIsolation? {
        overrides.values.withLock { overrides in
            defer { overrides[pluginId] = isolation }
            return overrides[pluginId]
        }
    }

    /// A loader configured with this runtime's isolation policy and host services.
    func makeLoader() -> PluginLoader {
        let overrides = self.overrides
        let builtin = configuration.builtinIsolation
        let directory = configuration.directoryIsolation
        return PluginLoader(
            maxThreadsPerPlugin: configuration.maxThreadsPerPlugin, logger: logger,
            isolation: PluginLoader.IsolationContext(
                settings: configuration.pluginHost, services: services, quarantine: configuration.quarantine,
                loadTimeout: max(configuration.callTimeout, .seconds(5)),
                policy: { id, source in
                    if let id, let chosen = overrides.values.withLock({ $0[id] }) { return chosen }
                    return source == .builtin ? builtin : directory
                }
            ),
            privateDirectory: privateDirectory
        )
    }

    /// Loads built-ins and plugin directories; bad files are logged and listed in `loadFailures`, never fatal.
    ///
    /// Built-ins are `libagentcore-builtin-*.so` in `configuration.builtinDirectory` (default:
    /// the running executable's directory); plugin directories contribute every `*.so`.
    /// Replaces whatever was loaded before (calls in flight finish on the old versions).
    public func loadPlugins() async {
        let loader = makeLoader()
        let builtinDirectory = configuration.builtinDirectory ?? PluginLoader.executableDirectory()
        let directories = configuration.pluginDirectories
        let (result, signatures) = await runBlocking {
            // Signatures first: a file that changes during the load is seen as changed by the watcher.
            let signatures = PluginDirectoryWatcher.signatures(of: directories, loader: loader)
            return (loader.loadAll(builtinDirectory: builtinDirectory, pluginDirectories: directories), signatures)
        }
        let previous = catalog.withLock { catalog in
            defer { catalog.replaceAll(with: result, signatures: signatures) }
            return catalog
        }
        registry.setPlugins(result.plugins)
        for plugin in previous.byId.values where !result.plugins.contains(where: { $0 === plugin }) {
            catalog.withLock { $0.retire(plugin) }
        }
        logger.info("plugins loaded", metadata: [
            "loaded": "\(result.plugins.count)", "failed": "\(result.failures.count)",
        ])
    }

    /// Destroys every instance (waiting up to `callTimeout` for their `destroy`), stops the
    /// plugin threads and the HTTP client. Threads stuck in timed-out calls are left to finish.
    public func shutdown() async {
        stopWatching()
        registry.close()
        let plugins = catalog.withLock { Array($0.byId.values) }
        let deadline = ContinuousClock.now + configuration.callTimeout
        for plugin in plugins {
            while ContinuousClock.now < deadline {
                let load = plugin.executor.load
                if load.queued == 0 && load.busy <= plugin.executor.stuckCount.load(ordering: .relaxed) { break }
                try? await Task.sleep(for: .milliseconds(5))
            }
            plugin.executor.stop()
            plugin.code.stop()
        }
        for plugin in catalog.withLock({ $0.retiredPlugins }) { plugin.code.stop() }
        deadlines.stop()
        await services.shutdown()
    }

    /// Loaded plugins, sorted by id.
    public var plugins: [PluginInfo] {
        catalog.withLock { $0.byId.values.map(\.info) }.sorted { $0.id < $1.id }
    }

    /// The loaded plugin `id`, or nil.
    public func plugin(id: String) -> PluginInfo? {
        catalog.withLock { $0.byId[id]?.info }
    }

    /// The plugin's config schema, compiled once at load.
    public func configSchema(pluginId: String) -> JSONSchema? {
        catalog.withLock { $0.byId[pluginId]?.configSchema }
    }

    /// Files that were not loaded (or whose newest version was refused while an older one
    /// keeps serving), with the reason, sorted by path.
    public var loadFailures: [PluginLoadFailure] {
        catalog.withLock { $0.failures.values.sorted { $0.path < $1.path } }
    }

    /// Drops the namespace's cached instances; a hook call that starts after this returns never uses the old config.
    public func invalidate(namespaceId: String) async {
        registry.invalidate(namespaceId: namespaceId)
    }

    /// Drops one plugin's cached instance in the namespace; same guarantee as `invalidate(namespaceId:)`.
    public func invalidate(namespaceId: String, pluginId: String) async {
        registry.invalidate(namespaceId: namespaceId, pluginId: pluginId)
    }

    /// Fans out agent_query to every enabled query plugin of the namespace, concurrently.
    /// - Returns: one result per plugin, sorted by plugin id. Plugin failures are results, never thrown.
    /// - Throws: `DispatchError.namespaceNotFound`, install-source failures, `.shutDown`.
    public func query(namespaceId: String, query: String) async throws(DispatchError) -> [PluginCallResult] {
        try await dispatcher.query(namespaceId: namespaceId, query: query)
    }

    /// Calls one plugin's event hook for `event.namespaceId`.
    ///
    /// A missing namespace, a plugin not enabled there or without the event's capability gives
    /// `.skipped`; failures of the hook give `.error` / `.timeout` (retry those).
    public func deliver(_ event: PluginEvent, pluginId: String) async -> PluginCallResult {
        await dispatcher.deliver(event, pluginId: pluginId)
    }

    /// Enabled plugins of the namespace that have the capability for `kind`, sorted by id.
    public func subscribers(of kind: PluginEventKind, namespaceId: String) async throws(DispatchError) -> [String] {
        try await dispatcher.subscribers(of: kind, namespaceId: namespaceId)
    }

    /// Tools of the namespace's enabled (and runnable) plugins, sorted by plugin id then tool name.
    public func tools(namespaceId: String) async throws(DispatchError) -> [(pluginId: String, tool: ToolDefinition)] {
        try await dispatcher.tools(namespaceId: namespaceId)
    }

    /// Validates `input` against the tool's schema, then calls it.
    /// - Returns: the tool's JSON output (`null` when it set none).
    /// - Throws: `ToolInvocationError`; `invalidInput` with every validation error, before any native call.
    public func invokeTool(
        namespaceId: String, pluginId: String, tool: String, input: JSONValue
    ) async throws(ToolInvocationError) -> JSONValue {
        try await dispatcher.invokeTool(namespaceId: namespaceId, pluginId: pluginId, tool: tool, input: input)
    }

    /// Call counters of one plugin in one namespace (zero when it was never called).
    public func statistics(namespaceId: String, pluginId: String) -> PluginCallStatistics {
        statisticsBook.statistics(namespaceId: namespaceId, pluginId: pluginId)
    }

    /// Threads of one plugin: started, running a call (stuck ones included), and stuck in calls
    /// that timed out. nil for an unknown plugin.
    public func threadUsage(pluginId: String) -> PluginThreadUsage? {
        guard let plugin = catalog.withLock({ $0.byId[pluginId] }) else { return nil }
        let load = plugin.executor.load
        return PluginThreadUsage(
            threads: load.threads, busy: load.busy, stuck: max(0, plugin.executor.stuckCount.load(ordering: .relaxed))
        )
    }

    /// Opens one plugin file and applies every load rule, without keeping it loaded
    /// (what `agentcore plugin check` runs).
    /// - Throws: `PluginLoadError` naming the rule the file broke.
    public static func check(path: String, logger: Logger) throws(PluginLoadError) -> PluginInfo {
        let loader = PluginLoader(maxThreadsPerPlugin: 1, logger: logger)
        return try loader.load(path: path, source: .directory, isolation: .inprocess).info
    }
}

/// How many threads one plugin occupies.
public struct PluginThreadUsage: Sendable, Hashable, Codable {
    /// Threads started (idle ones exit after a minute).
    public let threads: Int
    /// Threads running a call, stuck ones included.
    public let busy: Int
    /// Threads still inside a call that timed out.
    public let stuck: Int

    public init(threads: Int, busy: Int, stuck: Int) {
        self.threads = threads
        self.busy = busy
        self.stuck = stuck
    }
}

/// The operators' isolation choices by plugin id, shared with the loaders' policy closures.
final class IsolationOverrides: Sendable {
    let values: Mutex<[String: PluginIsolation]>

    init(_ values: [String: PluginIsolation]) {
        self.values = Mutex(values)
    }
}
