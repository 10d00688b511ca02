import AgentCoreJSON
import Foundation
import GRDB
public import Logging

/// The SQLite implementation of ``DataStore``: one WAL database file through a GRDB `DatabasePool`.
///
/// Reads run concurrently with writes; every write is one transaction. The
/// async methods run on GRDB's own queues, never blocking the cooperative pool;
/// the key-value methods block their (plugin) thread for one statement.
public final class SQLiteDataStore: DataStore {
    /// The database file's name inside the data directory.
    public static let fileName = "agentcore.sqlite"

    let pool: DatabasePool
    private let cipher: SecretCipher
    private let logger: Logger

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    /// - Parameters:
    ///   - path: The database file; its directory must exist.
    ///   - masterKey: Encrypts the plugin secrets.
    /// - Throws: `StoreError.database` when the file cannot be opened or migrated.
    public init(path: String, masterKey: MasterKey, logger: Logger) throws(StoreError) {
        var configuration = Configuration()
        configuration.label = "agentcore"
        configuration.foreignKeysEnabled = true
        // Writers queue behind each other instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
        } catch {
            throw .database("cannot open the database \(path): \(Self.describe(error))")
        }
        cipher = SecretCipher(masterKey: masterKey)
        self.logger = logger
        logger.debug("database open", metadata: ["path": "\(path)"])
    }

    /// Opens `agentcore.sqlite` in `dataDirectory`.
    public convenience init(dataDirectory: String, masterKey: MasterKey, logger: Logger) throws(StoreError) {
        try self.init(path: (dataDirectory as NSString).appendingPathComponent(Self.fileName), masterKey: masterKey, logger: logger)
    }

    public func close() throws(StoreError) {
        do { try pool.close() } catch { throw .database("cannot close the database: \(Self.describe(error))") }
    }

    // MARK: Namespaces

    public func createNamespace(_ namespace: NamespaceRecord) async throws(StoreError) {
        try await write("create namespace \(namespace.id)") { db in try namespace.insert(db) }
    }

    public func namespace(id: String) async throws(StoreError) -> NamespaceRecord? {
        try await read("read namespace \(id)") { db in try Self.fetchNamespace(id: id, db) }
    }

    public func namespaces(inDepartments departments: [String]?) async throws(StoreError) -> [NamespaceRecord] {
        try await read("list namespaces") { db in
            var request = NamespaceRecord.order(NamespaceRecord.Columns.id)
            if let departments {
                request = request.filter(departments.contains(NamespaceRecord.Columns.departmentId))
            }
            return try request.fetchAll(db)
        }
    }

    public func deleteNamespace(id: String) async throws(StoreError) -> Bool {
        try await write("delete namespace \(id)") { db in try NamespaceRecord.deleteOne(db, key: id) }
    }

    // MARK: Plugin installs

    public func namespaceInstalls(namespaceId: String) async throws(StoreError) -> (namespace: NamespaceRecord, installs: [StoredPluginInstall])? {
        let rows = try await read("read installs of \(namespaceId)") { db -> (NamespaceRecord, [NamespacePluginRecord])? in
            guard let namespace = try Self.fetchNamespace(id: namespaceId, db) else { return nil }
            return (namespace, try Self.fetchInstalls(namespaceId: namespaceId, db))
        }
        guard let (namespace, records) = rows else { return nil }
        var installs: [StoredPluginInstall] = []
        for record in records { installs.append(try open(record)) }
        return (namespace, installs)
    }

    public func pluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> StoredPluginInstall? {
        let record = try await read("read install \(pluginId) of \(namespaceId)") { db in
            try Self.fetchInstall(namespaceId: namespaceId, pluginId: pluginId, db)
        }
        return try record.map { record throws(StoreError) in try open(record) }
    }

    public func insertPluginInstall(_ install: StoredPluginInstall) async throws(StoreError) {
        let record = try seal(install)
        try await write("install \(install.pluginId) in \(install.namespaceId)") { db in try record.insert(db) }
    }

    public func updatePluginInstall(_ install: StoredPluginInstall) async throws(StoreError) {
        let record = try seal(install)
        let updated = try await write("update \(install.pluginId) in \(install.namespaceId)") { db in
            if !record.enabled {
                try Self.cancelUndelivered(namespaceId: record.namespaceId, pluginId: record.pluginId, reason: "the plugin was disabled", at: record.updatedAt, db)
            }
            return try NamespacePluginRecord
                .filter(key: ["namespace_id": install.namespaceId, "plugin_id": install.pluginId])
                .updateAll(db, [
                    NamespacePluginRecord.Columns.enabled.set(to: record.enabled),
                    NamespacePluginRecord.Columns.configJSON.set(to: record.configJSON),
                    NamespacePluginRecord.Columns.secrets.set(to: record.secrets),
                    NamespacePluginRecord.Columns.parallelDelivery.set(to: record.parallelDelivery),
                    NamespacePluginRecord.Columns.updatedAt.set(to: record.updatedAt),
                ])
        }
        guard updated == 1 else {
            throw .notFound("plugin \(install.pluginId) is not installed in namespace \(install.namespaceId)")
        }
    }

    public func deletePluginInstall(namespaceId: String, pluginId: String) async throws(StoreError) -> Bool {
        try await write("uninstall \(pluginId) from \(namespaceId)") { db in
            let deleted = try NamespacePluginRecord.deleteOne(db, key: ["namespace_id": namespaceId, "plugin_id": pluginId])
            if deleted {
                try Self.cancelUndelivered(namespaceId: namespaceId, pluginId: pluginId, reason: "the plugin was removed", at: Date(), db)
            }
            return deleted
        }
    }

    // MARK: Host flow records

    public func insertApproval(_ approval: ApprovalRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError) {
        try await write("create approval in \(approval.namespaceId)") { db in
            try approval.insert(db)
            try Self.insertDeliveries(deliveries, db)
        }
    }

    public func insertDocument(_ document: DocumentRecord, deliveries: [EventDeliveryRecord]) async throws(StoreError) {
        try await write("create document in \(document.namespaceId)") { db in
            try document.insert(db)
            try Self.insertDeliveries(deliveries, db)
        }
    }

    // MARK: Plugin key-value entries

    public func keyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) -> [UInt8]? {
        do {
            return try pool.read { db in
                try PluginKeyValueRecord
                    .fetchOne(db, key: ["plugin_id": pluginId, "namespace_id": namespaceId, "key": key])
                    .map { Array($0.value) }
            }
        } catch {
            throw Self.storeError(error, while: "read key-value entry of \(pluginId) in \(namespaceId)")
        }
    }

    public func setKeyValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws(StoreError) {
        do {
            try pool.write { db in
                try PluginKeyValueRecord(pluginId: pluginId, namespaceId: namespaceId, key: key, value: Data(value)).upsert(db)
            }
        } catch {
            throw Self.storeError(error, while: "write key-value entry of \(pluginId) in \(namespaceId)")
        }
    }

    public func removeKeyValue(pluginId: String, namespaceId: String, key: String) throws(StoreError) {
        do {
            _ = try pool.write { db in
                try PluginKeyValueRecord.deleteOne(db, key: ["plugin_id": pluginId, "namespace_id": namespaceId, "key": key])
            }
        } catch {
            throw Self.storeError(error, while: "delete key-value entry of \(pluginId) in \(namespaceId)")
        }
    }

    // MARK: Hot reads

    // The reads every authenticated request may make (on a cache miss) use fixed SQL in
    // per-connection cached statements and decode columns by position: the query interface
    // rebuilds its SQL, re-prepares (re-running the authorizer) and goes through Decodable on
    // every call, which was most of a read's cost.

    private static let namespaceSQL = "SELECT id, name, department_id, created_at FROM namespaces WHERE id = ?"
    private static let installColumns = "namespace_id, plugin_id, enabled, config_json, secrets, parallel_delivery, created_at, updated_at"
    private static let installsSQL = "SELECT \(installColumns) FROM namespace_plugins WHERE namespace_id = ? ORDER BY plugin_id"
    private static let installSQL = "SELECT \(installColumns) FROM namespace_plugins WHERE namespace_id = ? AND plugin_id = ?"

    static func fetchNamespace(id: String, _ db: Database) throws -> NamespaceRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: namespaceSQL), arguments: [id]) else { return nil }
        return NamespaceRecord(
            id: try row.decode(atIndex: 0),
            name: try row.decode(atIndex: 1),
            departmentId: try row.decode(atIndex: 2),
            createdAt: try row.decode(atIndex: 3)
        )
    }

    static func fetchInstalls(namespaceId: String, _ db: Database) throws -> [NamespacePluginRecord] {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: installsSQL), arguments: [namespaceId])
        var records: [NamespacePluginRecord] = []
        while let row = try cursor.next() { records.append(try installRecord(row)) }
        return records
    }

    static func fetchInstall(namespaceId: String, pluginId: String, _ db: Database) throws -> NamespacePluginRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: installSQL), arguments: [namespaceId, pluginId]) else { return nil }
        return try installRecord(row)
    }

    /// A row of `installColumns`, in that order; a NULL or mistyped column throws (as Decodable did) rather than traps.
    private static func installRecord(_ row: Row) throws -> NamespacePluginRecord {
        NamespacePluginRecord(
            namespaceId: try row.decode(atIndex: 0),
            pluginId: try row.decode(atIndex: 1),
            enabled: try row.decode(atIndex: 2),
            configJSON: try row.decode(atIndex: 3),
            secrets: try row.decode(atIndex: 4),
            parallelDelivery: try row.decode(atIndex: 5),
            createdAt: try row.decode(atIndex: 6),
            updatedAt: try row.decode(atIndex: 7)
        )
    }

    // MARK: Secrets

    private func seal(_ install: StoredPluginInstall) throws(StoreError) -> NamespacePluginRecord {
        let context = "\(install.namespaceId)/\(install.pluginId)"
        var secrets: Data?
        if !install.secrets.isEmpty {
            let object = JSONValue.object(Dictionary(uniqueKeysWithValues: install.secrets.map { ($0.key.description, $0.value) }))
            secrets = try cipher.seal(object.serializedBytes(), boundTo: context)
        }
        return NamespacePluginRecord(
            namespaceId: install.namespaceId,
            pluginId: install.pluginId,
            enabled: install.enabled,
            configJSON: install.publicConfig.serialized(),
            secrets: secrets,
            parallelDelivery: install.parallelDelivery,
            createdAt: install.createdAt,
            updatedAt: install.updatedAt
        )
    }

    private func open(_ record: NamespacePluginRecord) throws(StoreError) -> StoredPluginInstall {
        let context = "\(record.namespaceId)/\(record.pluginId)"
        let config: JSONValue
        do {
            config = try JSONValue(parsing: record.configJSON)
        } catch {
            throw .database("the stored config of \(context) is not valid JSON: \(error)")
        }
        var secrets: [JSONPointer: JSONValue] = [:]
        if let blob = record.secrets {
            let plaintext = try cipher.open(blob, boundTo: context)
            guard case .object(let members)? = try? JSONValue(parsing: plaintext) else {
                throw .encryption("the secrets of \(context) do not decrypt to a JSON object")
            }
            for (pointer, value) in members {
                guard let parsed = try? JSONPointer(parsing: pointer) else {
                    throw .encryption("the secrets of \(context) hold an invalid JSON Pointer")
                }
                secrets[parsed] = value
            }
        }
        return StoredPluginInstall(
            namespaceId: record.namespaceId,
            pluginId: record.pluginId,
            enabled: record.enabled,
            publicConfig: config,
            secrets: secrets,
            parallelDelivery: record.parallelDelivery,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }

    // MARK: Error mapping

    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storeError(error, while: what)
        }
    }

    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.storeError(error, while: what)
        }
    }

    static func storeError(_ error: any Error, while what: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE:
                return .conflict("cannot \(what): it already exists")
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                return .notFound("cannot \(what): the namespace does not exist")
            default:
                break
            }
        }
        return .database("cannot \(what): \(describe(error))")
    }

    /// GRDB keeps statement arguments out of `description` unless told otherwise, so no value leaks here.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
