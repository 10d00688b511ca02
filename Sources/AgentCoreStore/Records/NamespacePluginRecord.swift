import Foundation
import GRDB

/// A row of `namespace_plugins`: one plugin installed in one namespace.
///
/// `configJSON` holds the config without its secret (writeOnly) fields; those
/// live in `secrets`, an AES-GCM sealed box of a JSON object mapping each
/// secret's JSON Pointer to its value. The row is internal: the store hands
/// out ``StoredPluginInstall`` with the secrets opened.
struct NamespacePluginRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "namespace_plugins"

    var namespaceId: String
    var pluginId: String
    var enabled: Bool
    var configJSON: String
    var secrets: Data?
    var parallelDelivery: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case namespaceId = "namespace_id"
        case pluginId = "plugin_id"
        case enabled
        case configJSON = "config_json"
        case secrets
        case parallelDelivery = "parallel_delivery"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let namespaceId = Column(CodingKeys.namespaceId)
        static let pluginId = Column(CodingKeys.pluginId)
        static let enabled = Column(CodingKeys.enabled)
        static let configJSON = Column(CodingKeys.configJSON)
        static let secrets = Column(CodingKeys.secrets)
        static let parallelDelivery = Column(CodingKeys.parallelDelivery)
        static let createdAt = Column(CodingKeys.createdAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }
}
