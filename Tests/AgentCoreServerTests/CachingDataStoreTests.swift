import AgentCoreJSON
import AgentCoreStore
import Foundation
import Logging
import Testing

/// The read-through cache of namespaces and installs over a real SQLite file. Writing to the
/// SQLite store directly (behind the cache's back) shows whether a read came from memory.
@Suite("Caching store")
final class CachingDataStoreTests {
    let directory: URL
    let sqlite: SQLiteDataStore
    let gated: GatedDataStore
    let store: CachingDataStore

    init() throws {
        directory = try TestPaths.temporaryDirectory("agentcore-cache")
        sqlite = try SQLiteDataStore(dataDirectory: directory.path, masterKey: MasterKey(key: .init(size: .bits256)), logger: Logger(label: "cache-test"))
        gated = GatedDataStore(backend: sqlite)
        store = CachingDataStore(backend: gated)
    }

    deinit {
        try? store.close()
        TestPaths.remove(directory)
    }

    private func namespace(_ id: String = "ns", department: String = "d1") -> NamespaceRecord {
        NamespaceRecord(id: id, name: "Namespace \(id)", departmentId: department, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    private func install(_ pluginId: String = "p", namespaceId: String = "ns", version: Int = 1, enabled: Bool = true) -> StoredPluginInstall {
        let date = Date(timeIntervalSince1970: 1_700_000_000.5)
        return StoredPluginInstall(
            namespaceId: namespaceId,
            pluginId: pluginId,
            enabled: enabled,
            publicConfig: ["version": .number(JSONNumber(version))],
            secrets: [JSONPointer(tokens: ["token"]): "cache-SECRET"],
            createdAt: date,
            updatedAt: date
        )
    }

    @Test func aNamespaceReadOnceIsServedFromMemory() async throws {
        try await store.createNamespace(namespace())
        #expect(try await store.namespace(id: "ns") == namespace())
        // Gone from the file, but not through the cache: the next read does not go to SQLite.
        #expect(try await sqlite.deleteNamespace(id: "ns"))
        #expect(try await store.namespace(id: "ns") == namespace())
        #expect(store.cachedNamespaceCount == 1)
    }

    @Test func installsReadOnceAreServedFromMemory() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install())
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install()])
        try await sqlite.updatePluginInstall(install(version: 2))
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install()])
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p") == install())
    }

    @Test func aPluginMissingFromTheCachedListIsNotInstalled() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install("a"))
        _ = try await store.namespaceInstalls(namespaceId: "ns")
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "b") == nil)
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "a") == install("a"))
    }

    @Test func aMissingNamespaceIsNotCached() async throws {
        #expect(try await store.namespace(id: "ns") == nil)
        #expect(try await store.namespaceInstalls(namespaceId: "ns") == nil)
        try await sqlite.createNamespace(namespace())
        #expect(try await store.namespace(id: "ns") == namespace())
    }

    @Test func aNamespaceDeletedThroughTheStoreIsGoneFromTheCache() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install())
        _ = try await store.namespaceInstalls(namespaceId: "ns")
        #expect(try await store.deleteNamespace(id: "ns"))
        #expect(try await store.namespace(id: "ns") == nil)
        #expect(try await store.namespaceInstalls(namespaceId: "ns") == nil)
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p") == nil)
        #expect(store.cachedNamespaceCount == 0)
    }

    @Test func aRecreatedNamespaceIsReadWithItsNewRow() async throws {
        try await store.createNamespace(namespace(department: "d1"))
        _ = try await store.namespace(id: "ns")
        #expect(try await store.deleteNamespace(id: "ns"))
        try await store.createNamespace(namespace(department: "d2"))
        #expect(try await store.namespace(id: "ns")?.departmentId == "d2")
    }

    @Test func anInstallInsertedThroughTheStoreIsInTheNextRead() async throws {
        try await store.createNamespace(namespace())
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [])
        try await store.insertPluginInstall(install())
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install()])
    }

    @Test func anInstallUpdatedThroughTheStoreIsInTheNextRead() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install())
        _ = try await store.namespaceInstalls(namespaceId: "ns")
        try await store.updatePluginInstall(install(version: 2, enabled: false))
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install(version: 2, enabled: false)])
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p") == install(version: 2, enabled: false))
    }

    @Test func anInstallDeletedThroughTheStoreIsGoneFromTheNextRead() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install())
        _ = try await store.namespaceInstalls(namespaceId: "ns")
        #expect(try await store.deletePluginInstall(namespaceId: "ns", pluginId: "p"))
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [])
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p") == nil)
    }

    @Test func aFailedWriteStillDropsTheEntry() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install())
        _ = try await store.namespaceInstalls(namespaceId: "ns")
        try await sqlite.updatePluginInstall(install(version: 2))
        let duplicate = install()
        await #expect(throws: StoreError.self) { try await self.store.insertPluginInstall(duplicate) }
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install(version: 2)])
    }

    @Test func invalidatingANamespaceMakesTheNextReadGoToTheBackend() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install())
        _ = try await store.namespaceInstalls(namespaceId: "ns")
        // As another server instance would: straight to the database, then a notification.
        try await sqlite.updatePluginInstall(install(version: 2))
        store.invalidate(namespaceId: "ns")
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install(version: 2)])
    }

    @Test func aReadThatStartedBeforeAWriteDoesNotPutItsStaleRowsInTheCache() async throws {
        try await store.createNamespace(namespace())
        try await store.insertPluginInstall(install(version: 1))
        gated.holdNextInstallsRead()
        let store = self.store
        let staleRead = Task { try await store.namespaceInstalls(namespaceId: "ns") }
        await gated.waitForHeldRead()
        // The read has version 1 in hand; the write lands before it returns.
        try await store.updatePluginInstall(install(version: 2))
        gated.release()
        #expect(try await staleRead.value?.installs == [install(version: 1)])
        #expect(try await store.namespaceInstalls(namespaceId: "ns")?.installs == [install(version: 2)])
        #expect(try await store.pluginInstall(namespaceId: "ns", pluginId: "p") == install(version: 2))
    }

    @Test func aFullCacheStartsOverAndKeepsAnswering() async throws {
        let small = CachingDataStore(backend: sqlite, capacity: 2)
        for id in ["a", "b", "c"] {
            try await small.createNamespace(namespace(id))
            #expect(try await small.namespace(id: id) == namespace(id))
        }
        #expect(small.cachedNamespaceCount <= 2)
        for id in ["a", "b", "c"] {
            #expect(try await small.namespace(id: id) == namespace(id))
        }
    }
}
