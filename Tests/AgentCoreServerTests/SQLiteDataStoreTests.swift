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
