import AgentCoreStore
import Foundation
import Synchronization

/// A ``DataStore`` in front of a real one that can hold one read of a namespace's installs
/// after it has read the database and before it returns: the window in which a write may
/// land, to test that the caching store never publishes what such a read saw.
final class GatedDataStore: DataStore {
    let backend: any DataStore
    private let armed = Atomic<Bool>(false)
    private let arrivals = AsyncStream.makeStream(of: Void.self)
    private let releases = AsyncStream.makeStream(of: Void.self)

    init(backend: any DataStore) {
        self.backend = backend
    }

    /// The next `namespaceInstalls` call stops after its read until ``release()``.
    func holdNextInstallsRead() {
        armed.store(true, ordering: .sequentiallyConsistent)
    }

    /// Returns once the held read has read the database.
    func waitForHeldRead() async {
        for await _ in arrivals.stream { return }
    }

    /// Lets the held read return what it read.
    func release() {
        releases.continuation.yield()
    }

    func namespaceInstalls(namespaceId: String) async throws(StoreError) -> (namespace: NamespaceRecord, installs: [StoredPluginInstall])? {
        let read = try await backend.namespaceInstalls(namespaceId: namespaceId)
        if armed.exchange(false, ordering: .sequentiallyConsistent) {
            arrivals.continuation.yield()
            for await _ in releases.stream { break }
        }
        return read
    }

    // MARK: Passed through

    func createNamespace(_ namespace: NamespaceRecord) async throws(StoreError) { try await backend.createNamespace(namespace) }
    func namespace(id: String) async throws(StoreError) -> NamespaceRecord? { try await backend.namespace(id: id) }
    func namespaces(inDepartments departments: [String]?) async throws(StoreError) -> [NamespaceRecord] {
        try await backend.namespaces(inDepartments: departments)
    }
    func deleteNamespace(id: String) async throws(StoreError) -> Bool { try await backend.deleteNamespace(id: id) }
    func pluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> StoredPluginInstall? {
        try await backend.pluginInstall(namespaceId: namespaceId, pluginId: pluginId)
    }
    func insertPluginInstall(_ install: StoredPluginInstall) async throws(StoreError) { try await backend.insertPluginInstall(install) }
    func updatePluginInstall(_ install: StoredPluginInstall) async throws(StoreError) { try await backend.updatePluginInstall(install) }
    func deletePluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> Bool {
        try await backend.deletePluginInstall(namespaceId: namespaceId, pluginId: pluginId)
    }
    func pluginSettings() async throws(StoreError) -> [String: StoredPluginSetting] { try await backend.pluginSettings() }
    func setPluginIsolation(pluginId: String, isolation: String?) async throws(StoreError) {
        try await backend.setPluginIsolation(pluginId: pluginId, isolation: isolation)
    }
    func insertApproval(_ approval: ApprovalRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError) {
        try await backend.insertApproval(approval, deliveries: deliveries)
    }
    func insertDocument(_ document: DocumentRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError) {
        try await backend.insertDocument(document, deliveries: deliveries)
    }
    func dueDeliveries(
        now: Date, limit: Int, excludingDeliveries: Set<String>, excludingInstalls: Set<DeliveryInstallKey>
    ) async throws(StoreError) -> [EventDeliveryRecord] {
        try await backend.dueDeliveries(now: now, limit: limit, excludingDeliveries: excludingDeliveries, excludingInstalls: excludingInstalls)
    }
    func markDelivered(id: String, attempts: Int, at date: Date) async throws(StoreError) {
        try await backend.markDelivered(id: id, attempts: attempts, at: date)
    }
    func markFailed(id: String, attempts: Int, error: String, retryAt: Date?, at date: Date) async throws(StoreError) {
        try await backend.markFailed(id: id, attempts: attempts, error: error, retryAt: retryAt, at: date)
    }
    func markCancelled(id: String, reason: String, at date: Date) async throws(StoreError) {
        try await backend.markCancelled(id: id, reason: reason, at: date)
    }
    func deliveries(
        namespaceId: String, status: EventDeliveryRecord.Status?, pluginId: String?, limit: Int, after cursor: Int64?
    ) async throws(StoreError) -> DeliveryPage {
        try await backend.deliveries(namespaceId: namespaceId, status: status, pluginId: pluginId, limit: limit, after: cursor)
    }
    func redeliver(namespaceId: String, id: String, at date: Date) async throws(StoreError) -> EventDeliveryRecord? {
        try await backend.redeliver(namespaceId: namespaceId, id: id, at: date)
    }
    func pruneDeliveries(deliveredBefore: Date, deadBefore: Date) async throws(StoreError) -> Int {
        try await backend.pruneDeliveries(deliveredBefore: deliveredBefore, deadBefore: deadBefore)
    }
    func keyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) -> [UInt8]? {
        try backend.keyValue(pluginId: pluginId, namespaceId: namespaceId, key: key)
    }
    func setKeyValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws(StoreError) {
        try backend.setKeyValue(value, pluginId: pluginId, namespaceId: namespaceId, key: key)
    }
    func removeKeyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) {
        try backend.removeKeyValue(pluginId: pluginId, namespaceId: namespaceId, key: key)
    }
    func close() throws(StoreError) { try backend.close() }
}
