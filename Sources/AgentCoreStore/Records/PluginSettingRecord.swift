import Foundation
import GRDB

/// A row of `plugin_settings`: the operator's settings of one plugin, across every namespace.
///
/// The row is internal: the store hands out ``StoredPluginSetting``.
struct PluginSettingRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "plugin_settings"

    var pluginId: String
    /// `inprocess` or `process` (a CHECK constraint); nil follows the default policy.
    var isolation: String?
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case pluginId = "plugin_id"
        case isolation
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let pluginId = Column(CodingKeys.pluginId)
        static let isolation = Column(CodingKeys.isolation)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }
}
