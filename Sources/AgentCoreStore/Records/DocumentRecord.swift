public import Foundation
public import GRDB

/// A row of `documents`: a document ingested through the API.
public struct DocumentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "documents"

    public var id: String
    public var namespaceId: String
    public var name: String
    public var content: Data
    /// Size of `content` in bytes.
    public var size: Int
    /// Ingestion state; `ready` once stored.
    public var status: String
    public var createdAt: Date

    public init(id: String, namespaceId: String, name: String, content: Data, size: Int, status: String, createdAt: Date) {
        self.id = id
        self.namespaceId = namespaceId
        self.name = name
        self.content = content
        self.size = size
        self.status = status
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case namespaceId = "namespace_id"
        case name
        case content
        case size
        case status
        case createdAt = "created_at"
    }

    /// Columns for the query interface.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let namespaceId = Column(CodingKeys.namespaceId)
        public static let name = Column(CodingKeys.name)
        public static let size = Column(CodingKeys.size)
        public static let status = Column(CodingKeys.status)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}
