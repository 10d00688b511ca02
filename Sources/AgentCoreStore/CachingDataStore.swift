public import Foundation
import Synchronization

/// A ``DataStore`` that answers namespace rows and install lists from memory, in front of
/// another store (the backend) that holds the data.
///
/// Every authenticated request reads its namespace and many read its installs; these change
/// only through this store's own write methods, so those reads are served from a cache filled
/// on a miss (read-through) and dropped, per namespace, by every write that may change them:
/// creating or deleting a namespace, and inserting, updating or deleting an install (the same
/// writes after which the routes invalidate the plugin registry). Everything else passes
/// straight to the backend. Missing namespaces are not cached.
///
/// Invalidation is correct under concurrency: each invalidation takes a number from one
/// store-wide generation counter and records it on the namespace's entry; a miss notes the
/// counter before it reads the backend and publishes what it read only if no invalidation of
/// that namespace has been recorded since. So a read that started before a write never puts
/// the pre-write rows back after the write has returned, and every read that starts after a
/// write returned sees it (the entry is dropped before the write method returns, also when the
/// write throws). Cached installs hold their secrets decrypted, as the plugin registry does.
///
/// One process, one cache: the invalidations come from this process's writes. With several
/// server instances on a shared backend (PostgreSQL), a write made by another instance must
/// reach this one: a listener on the backend's change feed (e.g. `LISTEN` on a channel that each
/// namespace/install write transaction `NOTIFY`s with the namespace id) calls
/// ``invalidate(namespaceId:)`` here and `PluginRuntime.invalidate(namespaceId:)` alike.
/// Until such a listener exists, run one instance per database.
public final class CachingDataStore: DataStore {
    private struct Entry {
        var namespace: NamespaceRecord?
        /// The namespace's installs, sorted by plugin id; only set together with `namespace`.
        var installs: [StoredPluginInstall]?
        /// The generation of this namespace's last invalidation (0: never).
        var invalidatedAt: UInt64 = 0
    }

    private struct State {
        /// The next generation an invalidation takes; a miss notes its value before reading.
        var generation: UInt64 = 1
        /// A miss that noted a generation below this one never publishes: the entries (and the
        /// invalidations they recorded) were dropped wholesale after it started.
        var floor: UInt64 = 0
        var entries: [String: Entry] = [:]

        /// Whether a miss that noted `started` may still publish into `namespaceId`'s entry.
        func mayPublish(_ namespaceId: String, started: UInt64) -> Bool {
            started >= floor && (entries[namespaceId]?.invalidatedAt ?? 0) < started
        }

        /// Room for one more entry: at capacity everything is dropped at once (cheap, rare, and
        /// no per-entry bookkeeping on the hot path); `floor` keeps misses in flight out.
        mutating func makeRoom(for namespaceId: String, capacity: Int) {
            guard entries[namespaceId] == nil, entries.count >= capacity else { return }
            entries.removeAll(keepingCapacity: true)
            floor = generation
            generation += 1
        }
    }

    /// The store that holds the data.
    public let backend: any DataStore
    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - backend: The store the data lives in; it must not be written except through this cache.
    ///   - capacity: How many namespaces are kept (invalidated ones count until the cache is
    ///     full, when all entries are dropped at once).
    public init(backend: any DataStore, capacity: Int = 10_000) {
        self.backend = backend
        self.capacity = max(1, capacity)
    }

    /// Drops what is cached for the namespace; the next read goes to the backend, and no read
    /// in flight publishes what it read before this call. The hook for writes made elsewhere.
    public func invalidate(namespaceId: String) {
        state.withLock { state in
            state.makeRoom(for: namespaceId, capacity: capacity)
            state.entries[namespaceId] = Entry(invalidatedAt: state.generation)
            state.generation += 1
        }
    }

    /// How many namespaces have rows in the cache (for tests and diagnostics).
    public var cachedNamespaceCount: Int {
        state.withLock { $0.entries.values.count(where: { $0.namespace != nil }) }
    }

    private enum Lookup<Value> {
        case hit(Value)
        case miss(started: UInt64)
    }

    private func lookup<Value>(_ namespaceId: String, _ cached: (Entry) -> Value?) -> Lookup<Value> {
        state.withLock { state in
            if let entry = state.entries[namespaceId], let value = cached(entry) { return .hit(value) }
            return .miss(started: state.generation)
        }
    }

    private func publish(_ namespaceId: String, started: UInt64, _ update: (inout Entry) -> Void) {
        state.withLock { state in
            guard state.mayPublish(namespaceId, started: started) else { return }
            // A wholesale drop here sets `floor` to the current generation, which equals
            // `started` exactly when no invalidation happened since: then this publish stays safe.
            state.makeRoom(for: namespaceId, capacity: capacity)
            update(&state.entries[namespaceId, default: Entry()])
        }
    }

    /// Runs a write, then drops the namespace's entry whether or not the write threw (a failed
    /// write may still have committed, e.g. a lost connection after COMMIT).
    private func invalidating<T>(_ namespaceId: String, _ write: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        defer { invalidate(namespaceId: namespaceId) }
        return try await write()
    }

    // MARK: Namespaces

    public func createNamespace(_ namespace: NamespaceRecord) async throws(StoreError) {
        try await invalidating(namespace.id) { () async throws(StoreError) in try await backend.createNamespace(namespace) }
    }

    public func namespace(id: String) async throws(StoreError) -> NamespaceRecord? {
        switch lookup(id, { $0.namespace }) {
        case .hit(let namespace):
            return namespace
        case .miss(let started):
            let namespace = try await backend.namespace(id: id)
            if let namespace { publish(id, started: started) { $0.namespace = namespace } }
            return namespace
        }
    }

    public func namespaces(inDepartments departments: [String]?) async throws(StoreError) -> [NamespaceRecord] {
        try await backend.namespaces(inDepartments: departments)
    }

    public func deleteNamespace(id: String) async throws(StoreError) -> Bool {
        try await invalidating(id) { () async throws(StoreError) in try await backend.deleteNamespace(id: id) }
    }

    // MARK: Plugin installs

    public func namespaceInstalls(namespaceId: String) async throws(StoreError) -> (namespace: NamespaceRecord, installs: [StoredPluginInstall])? {
        let found = lookup(namespaceId) { entry in entry.namespace.flatMap { namespace in entry.installs.map { (namespace, $0) } } }
        switch found {
        case .hit(let (namespace, installs)):
            return (namespace, installs)
        case .miss(let started):
            guard let (namespace, installs) = try await backend.namespaceInstalls(namespaceId: namespaceId) else { return nil }
            publish(namespaceId, started: started) { entry in
                entry.namespace = namespace
                entry.installs = installs
            }
            return (namespace, installs)
        }
    }

    public func pluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> StoredPluginInstall? {
        // The cached list is the namespace's whole list: a plugin not in it is not installed.
        let cached = lookup(namespaceId) { entry in entry.installs.map { $0.first { $0.pluginId == pluginId } } }
        if case .hit(let install) = cached { return install }
        return try await backend.pluginInstall(namespaceId: namespaceId, pluginId: pluginId)
    }

    public func insertPluginInstall(_ install: StoredPluginInstall) async throws(StoreError) {
        try await invalidating(install.namespaceId) { () async throws(StoreError) in try await backend.insertPluginInstall(install) }
    }

    public func updatePluginInstall(_ install: StoredPluginInstall) async throws(StoreError) {
        try await invalidating(install.namespaceId) { () async throws(StoreError) in try await backend.updatePluginInstall(install) }
    }

    public func deletePluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> Bool {
        try await invalidating(namespaceId) { () async throws(StoreError) in
            try await backend.deletePluginInstall(namespaceId: namespaceId, pluginId: pluginId)
        }
    }

    // MARK: Passed through (nothing cached depends on them)

    public func pluginSettings() async throws(StoreError) -> [String: StoredPluginSetting] {
        try await backend.pluginSettings()
    }

    public func setPluginIsolation(pluginId: String, isolation: String?) async throws(StoreError) {
        try await backend.setPluginIsolation(pluginId: pluginId, isolation: isolation)
    }

    public func insertApproval(_ approval: ApprovalRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError) {
        try await backend.insertApproval(approval, deliveries: deliveries)
    }

    public func insertDocument(_ document: DocumentRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError) {
        try await backend.insertDocument(document, deliveries: deliveries)
    }

    public func dueDeliveries(
        now: Date, limit: Int, excludingDeliveries: Set<String>, excludingInstalls: Set<DeliveryInstallKey>
    ) async throws(StoreError) -> [EventDeliveryRecord] {
        try await backend.dueDeliveries(now: now, limit: limit, excludingDeliveries: excludingDeliveries, excludingInstalls: excludingInstalls)
    }

    public func markDelivered(id: String, attempts: Int, at date: Date) async throws(StoreError) {
        try await backend.markDelivered(id: id, attempts: attempts, at: date)
    }

    public func markFailed(id: String, attempts: Int, error: String, retryAt: Date?, at date: Date) async throws(StoreError) {
        try await backend.markFailed(id: id, attempts: attempts, error: error, retryAt: retryAt, at: date)
    }

    public func markCancelled(id: String, reason: String, at date: Date) async throws(StoreError) {
        try await backend.markCancelled(id: id, reason: reason, at: date)
    }

    public func deliveries(
        namespaceId: String, status: EventDeliveryRecord.Status?, pluginId: String?, limit: Int, after cursor: Int64?
    ) async throws(StoreError) -> DeliveryPage {
        try await backend.deliveries(namespaceId: namespaceId, status: status, pluginId: pluginId, limit: limit, after: cursor)
    }

    public func redeliver(namespaceId: String, id: String, at date: Date) async throws(StoreError) -> EventDeliveryRecord? {
        try await backend.redeliver(namespaceId: namespaceId, id: id, at: date)
    }

    public func pruneDeliveries(deliveredBefore: Date, deadBefore: Date) async throws(StoreError) -> Int {
        try await backend.pruneDeliveries(deliveredBefore: deliveredBefore, deadBefore: deadBefore)
    }

    public func keyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) -> [UInt8]? {
        try backend.keyValue(pluginId: pluginId, namespaceId: namespaceId, key: key)
    }

    public func setKeyValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws(StoreError) {
        try backend.setKeyValue(value, pluginId: pluginId, namespaceId: namespaceId, key: key)
    }

    public func removeKeyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) {
        try backend.removeKeyValue(pluginId: pluginId, namespaceId: namespaceId, key: key)
    }

    /// Closes the backend; the cache is dropped.
    public func close() throws(StoreError) {
        state.withLock { state in
            state.entries.removeAll()
            state.floor = state.generation
            state.generation += 1
        }
        try backend.close()
    }
}
