public import Foundation
public import GRDB

/// A row of `approvals`: an approval request created through the API.
public struct ApprovalRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "approvals"

    public var id: String
    public var namespaceId: String
    public var title: String
    /// The payload as compact JSON text (`null` when none was given).
    public var payloadJSON: String
    public var createdAt: Date

    public init(id: String, namespaceId: String, title: String, payloadJSON: String, createdAt: Date) {
        self.id = id
        self.namespaceId = namespaceId
        self.title = title
        self.payloadJSON = payloadJSON
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case namespaceId = "namespace_id"
        case title
        case payloadJSON = "payload_json"
        case createdAt = "created_at"
    }

    /// Columns for the query interface.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let namespaceId = Column(CodingKeys.namespaceId)
        public static let title = Column(CodingKeys.title)
        public static let payloadJSON = Column(CodingKeys.payloadJSON)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}
