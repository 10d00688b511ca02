public import Foundation
public import GRDB

/// A row of `namespaces`: a named space owned by one department, where plugins are enabled.
public struct NamespaceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "namespaces"

    public var id: String
    public var name: String
    public var departmentId: String
    public var createdAt: Date

    public init(id: String, name: String, departmentId: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.departmentId = departmentId
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case departmentId = "department_id"
        case createdAt = "created_at"
    }

    /// Columns for the query interface.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let departmentId = Column(CodingKeys.departmentId)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}
