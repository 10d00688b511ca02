import Synchronization

/// Persistence of the per-(plugin, namespace) key-value store.
///
/// Called SYNCHRONOUSLY from plugin threads (never from the cooperative pool),
/// so implementations may block briefly (a GRDB write is fine).
public protocol PluginKeyValueStore: Sendable {
    /// The value of `key`, or nil when absent.
    func value(pluginId: String, namespaceId: String, key: String) throws -> [UInt8]?
    func setValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) throws
    func removeValue(pluginId: String, namespaceId: String, key: String) throws
}

/// A key-value store held in memory, for tests and runs without a database.
///
/// Copies share their entries.
public struct InMemoryKeyValueStore: PluginKeyValueStore {
    private struct Key: Hashable {
        var pluginId: String
        var namespaceId: String
        var key: String
    }

    private final class Entries: Sendable {
        let map = Mutex<[Key: [UInt8]]>([:])
    }

    private let storage = Entries()

    public init() {}

    public func value(pluginId: String, namespaceId: String, key: String) -> [UInt8]? {
        storage.map.withLock { $0[Key(pluginId: pluginId, namespaceId: namespaceId, key: key)] }
    }

    public func setValue(_ value: [UInt8], pluginId: String, namespaceId: String, key: String) {
        storage.map.withLock { $0[Key(pluginId: pluginId, namespaceId: namespaceId, key: key)] = value }
    }

    public func removeValue(pluginId: String, namespaceId: String, key: String) {
        _ = storage.map.withLock { $0.removeValue(forKey: Key(pluginId: pluginId, namespaceId: namespaceId, key: key)) }
    }
}
