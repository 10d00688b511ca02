import AgentCoreJSON
import AgentCoreStore
import Foundation
import Logging
import Testing

/// The SQLite store on a real database file: installs round-trip with their secrets encrypted.
@Suite("SQLite store")
final class SQLiteDataStoreTests {
    let directory: URL
    let store: SQLiteDataStore

    init() throws {
        directory = try TestPaths.temporaryDirectory("agentcore-store")
        store = try SQLiteDataStore(
            dataDirectory: directory.path,
            masterKey: MasterKey(key: .init(size: .bits256)),
            logger: Logger(label: "store-test")
        )
    }

    deinit {
        try? store.close()
        TestPaths.remove(directory)
    }

    private func install(_ pluginId: String = "p", namespaceId: String = "ns") -> StoredPluginInstall {
        let now = Date(timeIntervalSince1970: 1_700_000_000.5)
        return StoredPluginInstall(
            namespaceId: namespaceId,
            pluginId: pluginId,
            enabled: true,
            publicConfig: ["url": "http://example.test", "nested": ["user": "u"]],
            secrets: [JSONPointer(tokens: ["secret"]): "store-SECRET-1", JSONPointer(tokens: ["nested", "password"]): "store-SECRET-2"],
            createdAt: now,
            updatedAt: now
        )
    }

    @Test func anInstallReadsBackWithItsSecretsAndTheWholeConfig() async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "N", departmentId: "d", createdAt: Date(timeIntervalSince1970: 1_700_000_000)))
        try await store.insertPluginInstall(install())
        let read = try #require(try await store.pluginInstall(namespaceId: "ns", pluginId: "p"))
        #expect(read == install())
        #expect(read.config == ["url": "http://example.test", "secret": "store-SECRET-1", "nested": ["user": "u", "password": "store-SECRET-2"]])
        #expect(read.redactedConfig(placeholder: "***") == ["url": "http://example.test", "secret": "***", "nested": ["user": "u", "password": "***"]])
        try store.close()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
            #expect(bytes.range(of: Data("store-SECRET".utf8)) == nil, "\(file)")
        }
    }

    @Test func aDuplicateInstallIsAConflictAndAMissingNamespaceIsNotFound() async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "N", departmentId: "d", createdAt: Date()))
        try await store.insertPluginInstall(install())
        do {
            try await store.insertPluginInstall(install())
            Issue.record("expected conflict")
        } catch {
            #expect(error.isConflict)
        }
        do {
            try await store.insertPluginInstall(install(namespaceId: "missing"))
            Issue.record("expected notFound")
        } catch {
            #expect(error.isNotFound)
        }
    }

    @Test func deletingANamespaceRemovesItsInstallsAndKeyValueEntries() async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "N", departmentId: "d", createdAt: Date()))
        try await store.insertPluginInstall(install())
        try store.setKeyValue([1, 2, 3], pluginId: "p", namespaceId: "ns", key: "k")
        #expect(try store.keyValue(pluginId: "p", namespaceId: "ns", key: "k") == [1, 2, 3])
        #expect(try await store.deleteNamespace(id: "ns"))
        #expect(try await store.namespaceInstalls(namespaceId: "ns") == nil)
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p") == nil)
        #expect(try store.keyValue(pluginId: "p", namespaceId: "ns", key: "k") == nil)
        #expect(try await store.deleteNamespace(id: "ns") == false)
    }

    @Test func namespacesAreFilteredByDepartment() async throws {
        for (id, department) in [("a", "d1"), ("b", "d2"), ("c", "d1")] {
            try await store.createNamespace(NamespaceRecord(id: id, name: id, departmentId: department, createdAt: Date()))
        }
        #expect(try await store.namespaces(inDepartments: nil).map(\.id) == ["a", "b", "c"])
        #expect(try await store.namespaces(inDepartments: ["d1"]).map(\.id) == ["a", "c"])
        #expect(try await store.namespaces(inDepartments: []).map(\.id) == [])
    }

    @Test func secretsDoNotOpenUnderAnotherMasterKey() async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "N", departmentId: "d", createdAt: Date()))
        try await store.insertPluginInstall(install())
        try store.close()
        let other = try SQLiteDataStore(
            dataDirectory: directory.path,
            masterKey: MasterKey(key: .init(size: .bits256)),
            logger: Logger(label: "store-test")
        )
        defer { try? other.close() }
        await #expect(throws: StoreError.self) { try await other.pluginInstall(namespaceId: "ns", pluginId: "p") }
    }
}

/// The outbox in the store: deliveries written with their record, handed out one per install in order.
@Suite("SQLite outbox")
final class SQLiteOutboxTests {
    let directory: URL
    let store: SQLiteDataStore
    let now = Date(timeIntervalSince1970: 1_700_000_000.25)

    init() throws {
        directory = try TestPaths.temporaryDirectory("agentcore-outbox")
        store = try SQLiteDataStore(dataDirectory: directory.path, masterKey: MasterKey(key: .init(size: .bits256)), logger: Logger(label: "outbox-test"))
    }

    deinit {
        try? store.close()
        TestPaths.remove(directory)
    }

    private func delivery(_ id: String, plugin: String, namespace: String = "ns") -> EventDeliveryRecord {
        EventDeliveryRecord(
            id: id, namespaceId: namespace, pluginId: plugin, event: "approval.created", payloadJSON: "{}",
            occurredAt: now, nextAttemptAt: now, createdAt: now, updatedAt: now
        )
    }

    /// Namespace `ns` with installs of plugins `p` and `q`, enabled unless listed in `disabled`.
    private func prepare(disabled: Set<String> = []) async throws {
        try await store.createNamespace(NamespaceRecord(id: "ns", name: "ns", departmentId: "d1", createdAt: now))
        for plugin in ["p", "q"] {
            try await store.insertPluginInstall(StoredPluginInstall(
                namespaceId: "ns", pluginId: plugin, enabled: !disabled.contains(plugin),
                publicConfig: [:], secrets: [:], createdAt: now, updatedAt: now
            ))
        }
    }

    private func approval(_ id: String, namespace: String = "ns") -> ApprovalRecord {
        ApprovalRecord(id: id, namespaceId: namespace, title: id, payloadJSON: "null", createdAt: now)
    }

    @Test func onlyTheOldestUndeliveredDeliveryOfEachInstallIsDue() async throws {
        try await prepare()
        try await store.insertApproval(approval("a1"), deliveries: [delivery("a1-p", plugin: "p"), delivery("a1-q", plugin: "q")])
        try await store.insertApproval(approval("a2"), deliveries: [delivery("a2-p", plugin: "p")])

        let due = try await store.dueDeliveries(now: now, limit: 10, excludingDeliveries: [], excludingInstalls: [])
        #expect(Set(due.map(\.id)) == ["a1-p", "a1-q"])
        let busy = try await store.dueDeliveries(now: now, limit: 10, excludingDeliveries: [], excludingInstalls: [DeliveryInstallKey(namespaceId: "ns", pluginId: "p")])
        #expect(busy.map(\.id) == ["a1-q"])

        try await store.markDelivered(id: "a1-p", attempts: 1, at: now)
        let next = try await store.dueDeliveries(now: now, limit: 10, excludingDeliveries: [], excludingInstalls: [])
        #expect(Set(next.map(\.id)) == ["a1-q", "a2-p"])
    }

    @Test func aFailedDeliveryHoldsBackItsInstallUntilItsRetryIsDue() async throws {
        try await prepare()
        try await store.insertApproval(approval("a1"), deliveries: [delivery("a1-p", plugin: "p")])
        try await store.insertApproval(approval("a2"), deliveries: [delivery("a2-p", plugin: "p")])
        let later = now.addingTimeInterval(60)
        try await store.markFailed(id: "a1-p", attempts: 1, error: "503", retryAt: later, at: now)

        #expect(try await store.dueDeliveries(now: now, limit: 10, excludingDeliveries: [], excludingInstalls: []).isEmpty)
        #expect(try await store.dueDeliveries(now: later, limit: 10, excludingDeliveries: [], excludingInstalls: []).map(\.id) == ["a1-p"])
    }

    @Test func anApprovalInAMissingNamespaceWritesNeitherItNorItsDeliveries() async throws {
        await #expect(throws: StoreError.self) {
            try await self.store.insertApproval(self.approval("a1", namespace: "gone"), deliveries: [self.delivery("d", plugin: "p", namespace: "gone")])
        }
        try await store.createNamespace(NamespaceRecord(id: "gone", name: "g", departmentId: "d1", createdAt: now))
        let page = try await store.deliveries(namespaceId: "gone", status: nil, pluginId: nil, limit: 10, after: nil)
        #expect(page.deliveries.isEmpty)
    }

    @Test func anInstallDisabledBeforeTheWriteGetsNoDelivery() async throws {
        try await prepare(disabled: ["q"])
        try await store.insertApproval(approval("a1"), deliveries: [delivery("a1-p", plugin: "p"), delivery("a1-q", plugin: "q")])
        let page = try await store.deliveries(namespaceId: "ns", status: nil, pluginId: nil, limit: 10, after: nil)
        #expect(page.deliveries.map(\.id) == ["a1-p"])
    }
}
