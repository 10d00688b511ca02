import AgentCoreStore
import PluginRuntime

/// The plugins' key-value store in the database's `plugin_kv` table.
/// Synchronous: the runtime calls it from plugin threads.
struct StoreKeyValueStore: PluginKeyValueStore {
    let store: any DataStore

    func value(pluginId: String, namespaceId: String, key: String) throws -> [UInt8]? {
        try store.keyValue(pluginId: pluginId, namespaceId: namespaceId, key: key)
    }

    func setValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws {
        try store.setKeyValue(value, pluginId: pluginId, namespaceId: namespaceId, key: key)
    }

    func removeValue(pluginId: String, namespaceId: String, key: String) throws {
        try store.removeKeyValue(pluginId: pluginId, namespaceId: namespaceId, key: key)
    }
}
