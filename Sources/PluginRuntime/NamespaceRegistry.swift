import AgentCoreJSON
import Logging
import PluginNative
import Synchronization

/// The cache of per-namespace plugin instances.
///
/// A lookup is a dictionary read under a short lock (the hot path). A miss starts one fill per
/// namespace, run by the lookup that missed (`NamespaceFill`): it reads the installs from the `PluginInstallSource`, validates each config
/// against the plugin's compiled schema (a rejected config leaves that install unavailable and
/// reported, never a crash), applies the schema's defaults and calls `create` on a plugin
/// thread under the call timeout. Concurrent lookups join the fill in progress.
///
/// Invalidation correctness: each namespace entry carries a generation taken from one
/// registry-wide counter, renewed by every invalidation. A fill publishes its snapshot only if
/// the entry's generation is still the one it started with, and a lookup joins a fill only if
/// their generations match, so no lookup that starts after `invalidate` returns can obtain a
/// snapshot built from installs read before it. Dropped instances are destroyed when their
/// last call returns (see `PluginInstance`). No lock is held across a plugin call or an await.
final class NamespaceRegistry: Sendable {
    private struct Entry {
        var generation: UInt64
        var snapshot: NamespaceSnapshot?
        var fill: NamespaceFill?
        /// Instances a per-plugin invalidation left valid, for the next fill to reuse.
        var reusable: [String: PluginInstance] = [:]
    }

    private struct State {
        var nextGeneration: UInt64 = 1
        var entries: [String: Entry] = [:]
        var plugins: [String: LoadedPlugin] = [:]
        var closed = false

        mutating func takeGeneration() -> UInt64 {
            defer { nextGeneration += 1 }
            return nextGeneration
        }
    }

    /// How long an install that failed for a possibly transient reason stays failed before a retry.
    static let retryInterval: Duration = .seconds(5)

    private let state = Mutex(State())
    private let source: any PluginInstallSource
    private let services: HostServices
    private let calls: PluginCallRunner
    private let statistics: PluginStatisticsBook
    private let logger: Logger

    init(source: any PluginInstallSource, services: HostServices, calls: PluginCallRunner, statistics: PluginStatisticsBook, logger: Logger) {
        self.source = source
        self.services = services
        self.calls = calls
        self.statistics = statistics
        self.logger = logger
    }

    /// Replaces the set of loaded plugins and drops every cached instance.
    func setPlugins(_ plugins: [LoadedPlugin]) {
        let dropped = state.withLock { state in
            state.plugins = Dictionary(plugins.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            defer { state.entries = [:] }
            return state.entries
        }
        _ = dropped  // released here, outside the lock
    }

    /// Puts `plugin` in place of the loaded plugin with its id (or removes `id` when nil) and
    /// drops that plugin's cached instances in every namespace, keeping the others for reuse.
    /// Calls already running finish on the old version; no call that starts after this returns
    /// uses it.
    func replacePlugin(id: String, with plugin: LoadedPlugin?) {
        let dropped: [Any] = state.withLock { state in
            var dropped: [Any] = []
            if let old = state.plugins[id] { dropped.append(old) }
            state.plugins[id] = plugin
            for (namespaceId, var entry) in state.entries {
                if let snapshot = entry.snapshot, entry.fill == nil, snapshot.installs[id] == nil { continue }
                if let snapshot = entry.snapshot {
                    dropped.append(snapshot)
                    entry.reusable = snapshot.readyInstances
                }
                if let removed = entry.reusable.removeValue(forKey: id) { dropped.append(removed) }
                entry.snapshot = nil
                entry.fill = nil
                entry.generation = state.takeGeneration()
                state.entries[namespaceId] = entry
            }
            return dropped
        }
        _ = dropped  // released here, outside the lock
    }

    /// The loaded plugin `id`.
    func plugin(id: String) -> LoadedPlugin? {
        state.withLock { $0.plugins[id] }
    }

    /// The namespace's snapshot, from the cache or a fill.
    /// - Throws: `DispatchError.namespaceNotFound`, `.installSourceFailed`, `.shutDown`.
    func snapshot(namespaceId: String) async throws(DispatchError) -> NamespaceSnapshot {
        enum Action {
            case hit(NamespaceSnapshot)
            case join(NamespaceFill)
            case build(NamespaceFill, plugins: [String: LoadedPlugin], reuse: [String: PluginInstance])
            case closed
        }
        let now = ContinuousClock.now
        let action: Action = state.withLock { state in
            if state.closed { return .closed }
            if let snapshot = state.entries[namespaceId]?.snapshot, snapshot.retryAt.map({ now < $0 }) ?? true {
                return .hit(snapshot)
            }
            var entry = state.entries[namespaceId] ?? Entry(generation: state.takeGeneration())
            if let fill = entry.fill, fill.generation == entry.generation {
                return .join(fill)
            }
            let fill = NamespaceFill(generation: entry.generation)
            let reuse = entry.snapshot?.readyInstances ?? entry.reusable
            entry.fill = fill
            state.entries[namespaceId] = entry
            return .build(fill, plugins: state.plugins, reuse: reuse)
        }
        let outcome: NamespaceFill.Outcome
        switch action {
        case .hit(let snapshot): return snapshot
        case .closed: throw .shutDown
        case .join(let fill): outcome = await fill.outcome()
        case .build(let fill, let plugins, let reuse):
            outcome = await self.fill(fill, namespaceId: namespaceId, plugins: plugins, reuse: reuse)
        }
        return try outcome.get()
    }

    /// Drops the namespace's instances and any fill in progress.
    func invalidate(namespaceId: String) {
        let dropped = state.withLock { $0.entries.removeValue(forKey: namespaceId) }
        _ = dropped  // released outside the lock
    }

    /// Drops one plugin's instance in the namespace; the other instances are reused by the next
    /// fill when their config and department are unchanged.
    func invalidate(namespaceId: String, pluginId: String) {
        let dropped: (NamespaceSnapshot?, PluginInstance?) = state.withLock { state in
            guard var entry = state.entries[namespaceId] else { return (nil, nil) }
            let snapshot = entry.snapshot
            if let snapshot { entry.reusable = snapshot.readyInstances }
            let removed = entry.reusable.removeValue(forKey: pluginId)
            entry.snapshot = nil
            entry.fill = nil
            entry.generation = state.takeGeneration()
            state.entries[namespaceId] = entry
            return (snapshot, removed)
        }
        _ = dropped  // released outside the lock
    }

    /// Drops everything and refuses later lookups (shutdown).
    func close() {
        let dropped = state.withLock { state in
            state.closed = true
            defer { state.entries = [:] }
            return state.entries
        }
        _ = dropped
    }

    // MARK: Fill

    private func fill(
        _ fill: NamespaceFill, namespaceId: String, plugins: [String: LoadedPlugin], reuse: [String: PluginInstance]
    ) async -> NamespaceFill.Outcome {
        let result = await build(namespaceId: namespaceId, plugins: plugins, reuse: reuse)
        let published: Bool = state.withLock { state in
            guard var entry = state.entries[namespaceId], entry.generation == fill.generation else { return false }
            entry.fill = nil
            if case .success(let snapshot) = result {
                entry.snapshot = snapshot
                entry.reusable = [:]
            }
            state.entries[namespaceId] = entry
            return true
        }
        if !published {
            logger.debug("namespace fill superseded by an invalidation", metadata: ["namespaceId": "\(namespaceId)"])
        }
        fill.complete(result)
        return result
    }

    private func build(
        namespaceId: String, plugins: [String: LoadedPlugin], reuse: [String: PluginInstance]
    ) async -> Result<NamespaceSnapshot, DispatchError> {
        let namespace: NamespaceInstalls
        do {
            guard let found = try await source.installs(namespaceId: namespaceId) else {
                return .failure(.namespaceNotFound(namespaceId))
            }
            namespace = found
        } catch {
            logger.error("reading namespace installs failed", metadata: ["namespaceId": "\(namespaceId)", "error": "\(error)"])
            return .failure(.installSourceFailed(namespaceId: namespaceId, message: "\(error)"))
        }
        // Unchanged installs keep their instance without a task or a validation; only the
        // others (usually the one install an invalidation was for) are prepared, concurrently
        // when there are several.
        var slots: [String: InstallSlot] = [:]
        var pending: [PluginInstall] = []
        var seen = Set<String>()
        for install in namespace.installs where install.enabled && seen.insert(install.pluginId).inserted {
            if let kept = reused(install, namespace: namespace, plugin: plugins[install.pluginId], reuse: reuse[install.pluginId]) {
                slots[install.pluginId] = kept
            } else {
                pending.append(install)
            }
        }
        if pending.count == 1, let install = pending.first {
            slots[install.pluginId] = await prepare(install, namespace: namespace, plugin: plugins[install.pluginId], reuse: reuse[install.pluginId])
        } else if !pending.isEmpty {
            slots = await withTaskGroup(of: InstallSlot.self, returning: [String: InstallSlot].self) { [slots] group in
                for install in pending {
                    group.addTask {
                        await self.prepare(install, namespace: namespace, plugin: plugins[install.pluginId], reuse: reuse[install.pluginId])
                    }
                }
                var all = slots
                for await slot in group { all[slot.pluginId] = slot }
                return all
            }
        }
        let transient = slots.values.contains { slot in
            if case .unavailable(_, _, transient: true) = slot.state { return true }
            return false
        }
        return .success(NamespaceSnapshot(
            namespaceId: namespaceId, departmentId: namespace.departmentId, installs: slots,
            retryAt: transient ? .now + Self.retryInterval : nil
        ))
    }

    /// The slot of an install whose instance can be kept as it is: same plugin version, same
    /// stored config, same department. nil when the install needs `prepare`.
    private func reused(
        _ install: PluginInstall, namespace: NamespaceInstalls, plugin: LoadedPlugin?, reuse: PluginInstance?
    ) -> InstallSlot? {
        guard let plugin, let reuse, reuse.plugin === plugin, reuse.storedConfig == install.config,
              reuse.context.departmentId == namespace.departmentId else { return nil }
        let counter = statistics.counter(namespaceId: namespace.namespaceId, pluginId: install.pluginId)
        return InstallSlot(pluginId: install.pluginId, plugin: plugin, state: .ready(reuse), statistics: counter)
    }

    /// Validates one install's config and creates (or reuses) its instance.
    private func prepare(
        _ install: PluginInstall, namespace: NamespaceInstalls, plugin: LoadedPlugin?, reuse: PluginInstance?
    ) async -> InstallSlot {
        let counter = statistics.counter(namespaceId: namespace.namespaceId, pluginId: install.pluginId)
        func slot(_ state: InstallSlot.State) -> InstallSlot {
            InstallSlot(pluginId: install.pluginId, plugin: plugin, state: state, statistics: counter)
        }
        let metadata: Logger.Metadata = ["pluginId": "\(install.pluginId)", "namespaceId": "\(namespace.namespaceId)"]
        guard let plugin else {
            logger.warning("install skipped: plugin not loaded", metadata: metadata)
            return slot(.unavailable(.skipped, "plugin \(install.pluginId) is not loaded", transient: false))
        }
        let errors = plugin.configSchema.validate(install.config)
        guard errors.isEmpty else {
            let reason = "config rejected by the plugin's schema: " + errors.map(\.description).joined(separator: "; ")
            logger.warning("install skipped: \(reason)", metadata: metadata)
            return slot(.unavailable(.skipped, reason, transient: false))
        }
        let config = plugin.configSchema.applyingDefaults(to: install.config)
        if let reuse, reuse.plugin === plugin, reuse.config == config, reuse.context.departmentId == namespace.departmentId {
            return slot(.ready(reuse))
        }

        if let quarantine = plugin.health.quarantine {
            let reason = PluginCallRunner.quarantinedMessage(plugin.id, quarantine)
            return slot(.unavailable(.skipped, reason, transient: true))
        }

        let context = NativeContext(
            pluginId: plugin.id, namespaceId: namespace.namespaceId, departmentId: namespace.departmentId, services: services
        )
        let configBytes = config.serializedBytes()
        let deadline = ContinuousClock.now + calls.timeout
        let outcome = await calls.run(
            plugin,
            late: { result in
                // create returned after its timeout: nobody will use this instance.
                if case .created(let handle) = result { plugin.code.destroy(handle) }
                withExtendedLifetime(context) {}
            },
            work: { plugin.code.create(context: context, config: configBytes, deadline: deadline) }
        )
        let failure: (PluginCallStatus, String)
        switch outcome {
        case .completed(.created(let handle), _):
            counter.record(.ok, error: nil)
            return slot(.ready(PluginInstance(plugin: plugin, context: context, handle: handle, config: config, storedConfig: install.config)))
        case .completed(.failed(let status, let message), _):
            failure = (status, message)
        case .timedOut:
            failure = (.timeout, "create did not return within \(calls.timeout.wholeMilliseconds) ms")
        case .saturated(let busy):
            failure = (.skipped, PluginCallRunner.saturatedMessage(busy: busy))
        case .stopped:
            failure = (.skipped, "the plugin runtime is shutting down")
        }
        if failure.0 == .timeout { plugin.health.recordFailure("create timed out") }
        counter.record(failure.0, error: failure.1)
        logger.warning("plugin instance not created: \(failure.1)", metadata: metadata)
        return slot(.unavailable(failure.0, failure.1, transient: true))
    }
}
