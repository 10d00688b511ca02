import AgentCoreJSON
import Crypto
import Foundation

/// Builds JWTs by hand (HMAC-SHA256 from swift-crypto), so tests can also forge broken ones.
enum TestToken {
    /// The secret every test server is started with.
    static let secret = "test-secret-0123456789abcdef-0123456789"

    /// A valid token. - Parameters: the claims; `exp` defaults to one hour from now.
    static func make(
        sub: String = "tester",
        permissions: [String] = ["canManagePlugins", "canManageNamespaces"],
        global: Bool = true,
        departments: [String] = [],
        expiresIn: TimeInterval = 3600
    ) -> String {
        signed(claims: [
            "sub": .string(sub),
            "exp": .number(JSONNumber(Int(Date().timeIntervalSince1970 + expiresIn))),
            "permissions": .array(permissions.map { .string($0) }),
            "global": .bool(global),
            "departments": .array(departments.map { .string($0) }),
        ])
    }

    /// A global admin with both permissions.
    static var admin: String { make() }

    /// A non-global token for `departments`.
    static func user(_ departments: [String], permissions: [String] = ["canManagePlugins", "canManageNamespaces"]) -> String {
        make(sub: "user-\(departments.joined(separator: "-"))", permissions: permissions, global: false, departments: departments)
    }

    /// `header.claims.signature` with an HS256 signature under `secret`, whatever the header says.
    static func signed(header: JSONValue = ["alg": "HS256", "typ": "JWT"], claims: JSONValue, secret: String = secret) -> String {
        let signingInput = base64URL(header.serializedBytes()) + "." + base64URL(claims.serializedBytes())
        let signature = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return signingInput + "." + base64URL(Array(signature))
    }

    /// `header.claims.` with no signature (the "none" algorithm).
    static func unsigned(claims: JSONValue) -> String {
        let header: JSONValue = ["alg": "none", "typ": "JWT"]
        return base64URL(header.serializedBytes()) + "." + base64URL(claims.serializedBytes()) + "."
    }

    static func validClaims(expiresIn: TimeInterval = 3600) -> JSONValue {
        [
            "sub": "tester",
            "exp": .number(JSONNumber(Int(Date().timeIntervalSince1970 + expiresIn))),
            "permissions": ["canManagePlugins", "canManageNamespaces"],
            "global": true,
        ]
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
