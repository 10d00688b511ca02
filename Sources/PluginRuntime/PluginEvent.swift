public import AgentCoreJSON
public import Foundation

/// The kinds of events plugins can subscribe to.
public enum PluginEventKind: String, Sendable, Codable, CaseIterable {
    case approvalCreated = "approval.created"
    case documentReady = "document.ready"

    /// The capability a plugin needs to receive this kind of event.
    public var capability: PluginCapability {
        switch self {
        case .approvalCreated: .approvalHook
        case .documentReady: .documentHook
        }
    }
}

/// The envelope passed to `on_approval_created` / `on_document_ready` (see the C header).
public struct PluginEvent: Sendable {
    public var kind: PluginEventKind
    /// Stable across retries of one delivery.
    public var deliveryId: String
    /// Counts from 1.
    public var attempt: Int
    public var occurredAt: Date
    public var namespaceId: String
    public var departmentId: String
    public var data: JSONValue

    public init(
        kind: PluginEventKind, deliveryId: String, attempt: Int, occurredAt: Date,
        namespaceId: String, departmentId: String, data: JSONValue
    ) {
        self.kind = kind
        self.deliveryId = deliveryId
        self.attempt = attempt
        self.occurredAt = occurredAt
        self.namespaceId = namespaceId
        self.departmentId = departmentId
        self.data = data
    }

    /// The envelope as the plugin receives it:
    /// `{"event", "deliveryId", "attempt", "occurredAt" (RFC 3339), "namespaceId", "departmentId", "data"}`.
    public var envelope: JSONValue {
        .object([
            "event": .string(kind.rawValue),
            "deliveryId": .string(deliveryId),
            "attempt": .number(JSONNumber(attempt)),
            "occurredAt": .string(occurredAt.formatted(Self.timestampStyle)),
            "namespaceId": .string(namespaceId),
            "departmentId": .string(departmentId),
            "data": data,
        ])
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
