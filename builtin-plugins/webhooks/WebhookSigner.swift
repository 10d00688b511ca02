import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials  // base64 encoding of Standard Webhooks signatures
#else
import Foundation
#endif

/// Signs a webhook delivery with HMAC-SHA256 (swift-crypto), in one of the
/// two supported schemes.
enum WebhookSigner: Sendable {
    /// No secret configured: no signature header.
    case unsigned
    /// `x-agentcore-signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>`.
    case agentcore(secret: [UInt8])
    /// Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp`,
    /// `webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`.
    case standardWebhooks(key: [UInt8])

    /// The headers that sign `body`.
    /// - Parameters:
    ///   - deliveryId: the delivery's stable id (Standard Webhooks' message id).
    ///   - timestamp: Unix seconds of this attempt.
    func headers(body: [UInt8], deliveryId: String, timestamp: Int) -> [(name: String, value: String)] {
        switch self {
        case .unsigned:
            return []
        case .agentcore(let secret):
            let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
            return [("x-agentcore-signature", "sha256=" + Self.hex(mac))]
        case .standardWebhooks(let key):
            let signed = Array("\(deliveryId).\(timestamp).".utf8) + body
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
            return [
                ("webhook-id", deliveryId),
                ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", "v1," + Data(mac).base64EncodedString()),
            ]
        }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
