import AgentCoreJSON

/// What the server persists: namespaces, their plugin installs (secrets
/// encrypted at rest), approvals, documents and the plugins' key-value entries.
///
/// ``SQLiteDataStore`` is the one implementation; the protocol is the seam for
/// another backend (PostgreSQL) without touching the routes. Every method
/// throws ``StoreError``; a failed write leaves nothing half-written.
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
    /// Replaces enabled, config, secrets and updatedAt of an install. - Throws: `notFound` when it does not exist.
    func updatePluginInstall(_ install: StoredPluginInstall) async throws(StoreError)
    /// Deletes an install; false when it did not exist.
    func deletePluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> Bool

    // MARK: Host flow records

    /// Inserts an approval. - Throws: `notFound` when the namespace is gone.
    func insertApproval(_ approval: ApprovalRecord) async throws(StoreError)
    /// Inserts a document. - Throws: `notFound` when the namespace is gone.
    func insertDocument(_ document: DocumentRecord) async throws(StoreError)

    // MARK: Plugin key-value entries (synchronous: called from plugin threads)

    func keyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) -> [UInt8]?
    func setKeyValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws(StoreError)
    func removeKeyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError)

    /// Closes the database; later calls fail.
    func close() throws(StoreError)
}
