import AgentCorePlugin

#if canImport(FoundationEssentials)
import FoundationEssentials  // base64 decoding of the Standard Webhooks key
#else
import Foundation
#endif

/// The per-namespace config of the webhooks plugin, checked beyond its JSON
/// Schema (URL scheme, Standard Webhooks secret format) when an instance is created.
struct WebhookConfig: Sendable {
    /// The JSON Schema the host validates the config against (draft 2020-12).
    static let schema = #"""
    {"type":"object","properties":{"url":{"type":"string","format":"uri","description":"Where events are POSTed: an absolute http:// or https:// URL."},"secret":{"type":"string","writeOnly":true,"description":"HMAC-SHA256 key. With signatureScheme \"standard-webhooks\" it is whsec_ followed by the base64 key."},"events":{"type":"array","items":{"type":"string","enum":["approval.created","document.ready"]},"uniqueItems":true,"default":["approval.created","document.ready"],"description":"The events to deliver."},"signatureScheme":{"type":"string","enum":["agentcore","standard-webhooks"],"default":"agentcore","description":"agentcore: x-agentcore-signature: sha256=<hex>; standard-webhooks: webhook-id, webhook-timestamp, webhook-signature."}},"required":["url"],"additionalProperties":false}
    """#

    enum SignatureScheme: String, Decodable, Sendable {
        case agentcore
        case standardWebhooks = "standard-webhooks"
    }

    let url: String
    let events: Set<String>
    let signer: WebhookSigner

    private struct Fields: Decodable {
        let url: String
        let secret: String?
        let events: [String]?
        let signatureScheme: SignatureScheme?
    }

    /// Parses and checks a config.
    /// - Throws: `PluginError.invalidInput` naming the offending field; the
    ///   message never contains the secret.
    init(_ json: JSONText) throws {
        let fields = try json.decode(Fields.self)
        let lowercasedURL = fields.url.lowercased()
        guard lowercasedURL.hasPrefix("http://") || lowercasedURL.hasPrefix("https://"),
              fields.url.count > "https://".count
        else {
            throw PluginError.invalidInput("/url: must be an absolute http:// or https:// URL")
        }
        self.url = fields.url
        self.events = Set(fields.events ?? ["approval.created", "document.ready"])

        switch (fields.signatureScheme ?? .agentcore, fields.secret) {
        case (.agentcore, nil):
            self.signer = .unsigned
        case (.agentcore, let secret?):
            self.signer = .agentcore(secret: Array(secret.utf8))
        case (.standardWebhooks, let secret):
            guard let secret, secret.hasPrefix("whsec_"),
                  let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))), !key.isEmpty
            else {
                throw PluginError.invalidInput(
                    "/secret: signatureScheme \"standard-webhooks\" needs a secret of the form whsec_<base64 key>")
            }
            self.signer = .standardWebhooks(key: Array(key))
        }
    }
}
