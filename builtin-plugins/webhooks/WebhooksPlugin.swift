// The webhooks built-in: POSTs approval.created and document.ready events to
// a URL, signed with HMAC-SHA256. Written with the SDK's Swift helper, so it
// proves the Swift path of the ABI (the opendatabot built-in proves the C one).
public import AgentCorePlugin  // public: the exported entry point's signature uses the header's types

#if canImport(FoundationEssentials)
import FoundationEssentials  // Date, for the Standard Webhooks timestamp
#else
import Foundation
#endif

/// Delivers subscribed events to one URL per namespace through the host's HTTP client.
final class WebhooksPlugin: Plugin {
    static let descriptor = PluginDescriptor(
        id: "webhooks",
        name: "Webhooks",
        version: "1.0.0",
        category: "integration",
        description: "POSTs approval.created and document.ready events as JSON to a URL, signed with HMAC-SHA256 (agentcore or Standard Webhooks scheme).",
        capabilities: [.approvalHook, .documentHook],
        configSchema: WebhookConfig.schema
    )

    private let config: WebhookConfig
    private let context: PluginContext

    init(config: JSONText, context: PluginContext) throws {
        self.config = try WebhookConfig(config)
        self.context = context
    }

    func approvalCreated(_ event: PluginEvent) throws {
        try deliver(event)
    }

    func documentReady(_ event: PluginEvent) throws {
        try deliver(event)
    }

    /// POSTs the event unless the namespace did not subscribe to it.
    /// - Throws: when the receiver answers outside 2xx or cannot be reached, so the host retries.
    private func deliver(_ event: PluginEvent) throws {
        guard config.events.contains(event.event) else { return }
        let body = Array(Self.body(of: event).utf8)
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"),
            ("x-agentcore-event", event.event),
            ("x-agentcore-delivery", event.deliveryId),
            ("x-agentcore-attempt", String(event.attempt)),
        ]
        // The timestamp is this attempt's, not the event's: Standard Webhooks
        // receivers reject timestamps outside a few minutes of their clock.
        let timestamp = Int(Date().timeIntervalSince1970)
        headers += config.signer.headers(body: body, deliveryId: event.deliveryId, timestamp: timestamp)

        let response: HTTPResponse
        do {
            response = try context.http(method: "POST", url: config.url, headers: headers, body: body)
        } catch {
            throw PluginError("POST \(config.url) failed: \(error)")
        }
        guard response.isSuccess else {
            throw PluginError("POST \(config.url) answered HTTP \(response.status)")
        }
        context.log(.debug, "webhook delivered", fields: [
            "event": event.event, "deliveryId": event.deliveryId, "status": String(response.status),
        ])
    }

    /// `{event, namespaceId, departmentId, data, occurredAt}`, with `data`
    /// forwarded byte for byte from the envelope.
    static func body(of event: PluginEvent) -> String {
        "{\"event\":\(JSONText.string(event.event)),"
            + "\"namespaceId\":\(JSONText.string(event.namespaceId)),"
            + "\"departmentId\":\(JSONText.string(event.departmentId)),"
            + "\"data\":\(event.data),"
            + "\"occurredAt\":\(JSONText.string(event.occurredAt))}"
    }
}

// The one exported symbol. Swift 6.3's `@c @implementation` (SE-0495) checks
// this definition against the prototype in agentcore_plugin.h; older
// compilers fall back to `@_cdecl`, which checks nothing. It must be public:
// a release build drops the export of an internal function (hence the
// `public import` above).
#if compiler(>=6.3.1)
@c @implementation
public func ac_plugin_entry(_ host: UnsafePointer<ac_host_api_t>?) -> UnsafePointer<ac_plugin_descriptor_t>? {
    PluginExport.entry(WebhooksPlugin.self, host: host)
}
#else
@_cdecl("ac_plugin_entry")
public func ac_plugin_entry(_ host: UnsafePointer<ac_host_api_t>?) -> UnsafePointer<ac_plugin_descriptor_t>? {
    PluginExport.entry(WebhooksPlugin.self, host: host)
}
#endif
