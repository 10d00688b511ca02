/// The envelope of an approval.created or document.ready event, as the host
/// passes it to `on_approval_created` / `on_document_ready`.
public struct PluginEvent: Sendable {
    /// "approval.created" or "document.ready".
    public let event: String
    /// Stable across the retries of one delivery: use it as an idempotency key.
    public let deliveryId: String
    /// 1 on the first try.
    public let attempt: Int
    /// RFC 3339, as the host wrote it.
    public let occurredAt: String
    public let namespaceId: String
    public let departmentId: String
    /// The event's `data` member, byte for byte.
    public let data: JSONText
    /// The whole envelope, byte for byte.
    public let envelope: JSONText

    private struct Fields: Decodable {
        let event: String
        let deliveryId: String
        let attempt: Int
        let occurredAt: String
        let namespaceId: String
        let departmentId: String
    }

    /// Parses an envelope.
    /// - Throws: `PluginError.invalidInput` when a field is missing or of the wrong type.
    public init(envelope: JSONText) throws {
        let fields = try envelope.decode(Fields.self)
        self.event = fields.event
        self.deliveryId = fields.deliveryId
        self.attempt = fields.attempt
        self.occurredAt = fields.occurredAt
        self.namespaceId = fields.namespaceId
        self.departmentId = fields.departmentId
        self.data = envelope.member("data") ?? .null
        self.envelope = envelope
    }
}
