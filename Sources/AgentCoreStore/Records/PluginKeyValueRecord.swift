import Foundation
import GRDB

/// A row of `plugin_kv`: one entry of a plugin's key-value store in one namespace.
struct PluginKeyValueRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "plugin_kv"

    var pluginId: String
    var namespaceId: String
    var key: String
    var value: Data

    enum CodingKeys: String, CodingKey {
        case pluginId = "plugin_id"
        case namespaceId = "namespace_id"
        case key
        case value
    }

    enum Columns {
        static let pluginId = Column(CodingKeys.pluginId)
        static let namespaceId = Column(CodingKeys.namespaceId)
        static let key = Column(CodingKeys.key)
        static let value = Column(CodingKeys.value)
    }
}
