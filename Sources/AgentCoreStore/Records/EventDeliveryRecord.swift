public import Foundation
public import GRDB

/// A row of `event_deliveries`: one event owed to one plugin install (the outbox).
///
/// Written in the same transaction as the approval or document it announces,
/// so a record that exists always has its deliveries. `id` is the stable
/// delivery id every attempt carries (`x-agentcore-delivery` for webhooks).
public struct EventDeliveryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "event_deliveries"

    /// Where a delivery stands.
    public enum Status: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// Not attempted yet (or redelivery requested).
        case pending
        /// Attempted and failed; retried at `nextAttemptAt`.
        case failed
        /// The hook answered ok.
        case delivered
        /// Every attempt failed; kept until redelivered or pruned.
        case dead
        /// The install was disabled or removed before delivery.
        case cancelled

        /// The statuses the worker still has to deliver.
        public static let undelivered: [Status] = [.pending, .failed]
    }

    public var id: String
    public var namespaceId: String
    public var pluginId: String
    /// `approval.created` or `document.ready`.
    public var event: String
    /// The event's data as compact JSON text.
    public var payloadJSON: String
    public var occurredAt: Date
    public var status: Status
    /// Attempts made so far.
    public var attempts: Int
    /// When the worker may try next (meaningful while pending or failed).
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Creation order within one install (namespace, plugin): deliveries go out in this order.
    public var sequence: Int64

    public init(
        id: String, namespaceId: String, pluginId: String, event: String, payloadJSON: String, occurredAt: Date,
        status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date, lastError: String? = nil,
        createdAt: Date, updatedAt: Date, sequence: Int64 = 0
    ) {
        self.id = id
        self.namespaceId = namespaceId
        self.pluginId = pluginId
        self.event = event
        self.payloadJSON = payloadJSON
        self.occurredAt = occurredAt
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey {
        case id
        case namespaceId = "namespace_id"
        case pluginId = "plugin_id"
        case event
        case payloadJSON = "payload_json"
        case occurredAt = "occurred_at"
        case status
        case attempts
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case sequence
    }

    /// Columns for the query interface.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let namespaceId = Column(CodingKeys.namespaceId)
        public static let pluginId = Column(CodingKeys.pluginId)
        public static let event = Column(CodingKeys.event)
        public static let status = Column(CodingKeys.status)
        public static let attempts = Column(CodingKeys.attempts)
        public static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        public static let lastError = Column(CodingKeys.lastError)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
        public static let sequence = Column(CodingKeys.sequence)
    }
}
