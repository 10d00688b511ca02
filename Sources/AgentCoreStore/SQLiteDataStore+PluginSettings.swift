import Foundation
import GRDB

/// The operator's per-plugin settings (isolation overrides).
extension SQLiteDataStore {
    public func pluginSettings() async throws(StoreError) -> [String: StoredPluginSetting] {
        let records = try await read("read plugin settings") { db in try PluginSettingRecord.fetchAll(db) }
        return Dictionary(uniqueKeysWithValues: records.map { record in
            (record.pluginId, StoredPluginSetting(pluginId: record.pluginId, isolation: record.isolation, updatedAt: record.updatedAt))
        })
    }

    public func setPluginIsolation(pluginId: String, isolation: String?) async throws(StoreError) {
        if let isolation, !StoredPluginSetting.isolationModes.contains(isolation) {
            throw .invalid("isolation of plugin \(pluginId) must be inprocess or process, not \(isolation)")
        }
        // The row stays with a NULL isolation when cleared, so settings added later keep their place.
        let record = PluginSettingRecord(pluginId: pluginId, isolation: isolation, updatedAt: Date())
        try await write("set the isolation of plugin \(pluginId)") { db in try record.upsert(db) }
    }
}
