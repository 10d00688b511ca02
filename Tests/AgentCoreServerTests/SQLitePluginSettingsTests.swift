import AgentCoreStore
import Foundation
import Logging
import Testing

/// Per-plugin settings in the store: isolation overrides set, cleared and refused.
@Suite("SQLite plugin settings")
final class SQLitePluginSettingsTests {
    let directory: URL
    let store: SQLiteDataStore

    init() throws {
        directory = try TestPaths.temporaryDirectory("agentcore-settings")
        store = try SQLiteDataStore(dataDirectory: directory.path, masterKey: MasterKey(key: .init(size: .bits256)), logger: Logger(label: "settings-test"))
    }

    deinit {
        try? store.close()
        TestPaths.remove(directory)
    }

    @Test func noPluginHasSettingsAtFirst() async throws {
        #expect(try await store.pluginSettings().isEmpty)
    }

    @Test func anIsolationOverrideReadsBackAndReplacesTheOneBefore() async throws {
        let before = Date()
        try await store.setPluginIsolation(pluginId: "webhooks", isolation: "process")
        try await store.setPluginIsolation(pluginId: "third-party", isolation: "process")
        try await store.setPluginIsolation(pluginId: "third-party", isolation: "inprocess")

        let settings = try await store.pluginSettings()
        #expect(settings.mapValues(\.isolation) == ["webhooks": "process", "third-party": "inprocess"])
        #expect(settings["third-party"]?.pluginId == "third-party")
        #expect(try #require(settings["webhooks"]?.updatedAt) >= before.addingTimeInterval(-0.001))
    }

    @Test func aNilIsolationClearsTheOverride() async throws {
        try await store.setPluginIsolation(pluginId: "p", isolation: "process")
        try await store.setPluginIsolation(pluginId: "p", isolation: nil)
        let settings = try await store.pluginSettings()
        #expect(settings["p"]?.isolation == nil)
    }

    @Test func anUnknownIsolationIsRefusedAndNothingIsWritten() async throws {
        do {
            try await store.setPluginIsolation(pluginId: "p", isolation: "sandbox")
            Issue.record("expected invalid")
        } catch {
            #expect(error.isInvalid)
            #expect(error.message.contains("inprocess or process"))
        }
        #expect(try await store.pluginSettings().isEmpty)
    }

    @Test func overridesSurviveReopeningTheDatabase() async throws {
        try await store.setPluginIsolation(pluginId: "p", isolation: "inprocess")
        try store.close()
        let reopened = try SQLiteDataStore(dataDirectory: directory.path, masterKey: MasterKey(key: .init(size: .bits256)), logger: Logger(label: "settings-test"))
        defer { try? reopened.close() }
        #expect(try await reopened.pluginSettings()["p"]?.isolation == "inprocess")
    }
}
