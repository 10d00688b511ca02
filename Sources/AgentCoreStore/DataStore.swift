import AgentCoreJSON
public import Foundation

/// What the server persists: namespaces, their plugin installs (secrets
/// encrypted at rest), approvals, documents and the plugins' key-value entries.
///
/// ``SQLiteDataStore`` is the one implementation; the protocol is the seam for
/// another backend (PostgreSQL) without touching the routes. Every method
/// throws ``StoreError``; a failed write leaves nothing half-written.
///
/// The server puts a ``CachingDataStore`` in front of the backend, so namespace and install
/// reads come from memory; with several instances on one database, each cache must also hear
/// of the others' writes (see ``CachingDataStore`` for where that plugs in).
public protocol DataStore: Sendable {
    // MARK: Namespaces

    /// Inserts a namespace. - Throws: `conflict` when the id is taken.
    func createNamespace(_ namespace: NamespaceRecord) async throws(StoreError)
    /// The namespace with `id`, or nil.
    func namespace(id: String) async throws(StoreError) -> NamespaceRecord?
    /// Namespaces sorted by id; only those of `departments` unless it is nil.
    func namespaces(inDepartments departments: [String]?) async throws(StoreError) -> [NamespaceRecord]
    /// Deletes a namespace with its installs, records and key-value entries; false when it did not exist.
    func deleteNamespace(id: String) async throws(StoreError) -> Bool

    // MARK: Plugin installs

    /// The namespace and its installs read in one transaction; nil when the namespace does not exist.
    func namespaceInstalls(namespaceId: String) async throws(StoreError) -> (namespace: NamespaceRecord, installs: [StoredPluginInstall])?
    /// One install, or nil.
    func pluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> StoredPluginInstall?
    /// Inserts an install. - Throws: `conflict` when the plugin is already installed there, `notFound` when the namespace is gone.
    func insertPluginInstall(_ install: StoredPluginInstall) async throws(StoreError)
    /// Replaces enabled, config, secrets, parallelDelivery and updatedAt of an install; disabling it cancels its
    /// undelivered event deliveries in the same transaction. - Throws: `notFound` when it does not exist.
    func updatePluginInstall(_ install: StoredPluginInstall) async throws(StoreError)
    /// Deletes an install and cancels its undelivered event deliveries (kept, as `cancelled`); false when it did not exist.
    func deletePluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> Bool

    // MARK: Plugin settings

    /// The operator's settings of every plugin that has any, by plugin id. A plugin without an
    /// entry (or with a nil isolation) follows the default policy.
    func pluginSettings() async throws(StoreError) -> [String: StoredPluginSetting]
    /// Sets (or, with nil, clears) a plugin's isolation override. The plugin need not be loaded:
    /// the setting waits for it.
    /// - Parameter isolation: `inprocess`, `process` or nil.
    /// - Throws: `invalid` for any other isolation.
    func setPluginIsolation(pluginId: String, isolation: String?) async throws(StoreError)

    // MARK: Host flow records

    /// Inserts an approval and its event deliveries in one transaction (their `sequence` is assigned here).
    /// - Throws: `notFound` when the namespace is gone; nothing is written then.
    func insertApproval(_ approval: ApprovalRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError)
    /// Inserts a document and its event deliveries in one transaction (their `sequence` is assigned here).
    /// - Throws: `notFound` when the namespace is gone; nothing is written then.
    func insertDocument(_ document: DocumentRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError)

    // MARK: Event deliveries (the outbox)

    /// Deliveries the worker may attempt now: pending or failed and due at `now`. For an install
    /// without parallel delivery only its oldest undelivered one (per-install FIFO); for one with
    /// it, any of its due ones. Each install's oldest first, then (round robin) each one's next:
    /// a parallel install's backlog never pushes another install's deliveries out of `limit`.
    /// - Parameters:
    ///   - excludingDeliveries: ids of the deliveries in flight; never returned.
    ///   - excludingInstalls: the installs of those deliveries; none of theirs is returned unless
    ///     the install delivers in parallel.
    func dueDeliveries(
        now: Date, limit: Int, excludingDeliveries: Set<String>, excludingInstalls: Set<DeliveryInstallKey>
    ) async throws(StoreError) -> [EventDeliveryRecord]
    /// Records a successful attempt. No effect unless the delivery is still pending or failed.
    func markDelivered(id: String, attempts: Int, at date: Date) async throws(StoreError)
    /// Records a failed attempt: `failed` with `retryAt`, or `dead` when `retryAt` is nil.
    /// No effect unless the delivery is still pending or failed.
    func markFailed(id: String, attempts: Int, error: String, retryAt: Date?, at date: Date) async throws(StoreError)
    /// Records that the install no longer takes the event (disabled, removed): `cancelled`.
    func markCancelled(id: String, reason: String, at date: Date) async throws(StoreError)
    /// A page of a namespace's deliveries, oldest first, optionally of one status and plugin.
    /// - Parameter cursor: the `nextCursor` of the previous page, nil for the first.
    func deliveries(namespaceId: String, status: EventDeliveryRecord.Status?, pluginId: String?, limit: Int, after cursor: Int64?) async throws(StoreError) -> DeliveryPage
    /// Sets a dead or delivered delivery back to pending, attempts reset, due now.
    /// - Returns: the updated delivery, nil when the namespace has no delivery with `id`.
    /// - Throws: `conflict` when it is pending, failed or cancelled.
    func redeliver(namespaceId: String, id: String, at date: Date) async throws(StoreError) -> EventDeliveryRecord?
    /// Deletes delivered deliveries last updated before `deliveredBefore` and dead ones before `deadBefore`.
    /// - Returns: how many were deleted.
    func pruneDeliveries(deliveredBefore: Date, deadBefore: Date) async throws(StoreError) -> Int

    // MARK: Plugin key-value entries (synchronous: called from plugin threads)

    func keyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) -> [UInt8]?
    func setKeyValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws(StoreError)
    func removeKeyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError)

    /// Closes the database; later calls fail.
    func close() throws(StoreError)
}
