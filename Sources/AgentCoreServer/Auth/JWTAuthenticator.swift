import AgentCoreJSON
import Foundation
import JWTKit

/// Verifies and mints HS256 tokens with the server's secret.
///
/// Only `alg: HS256` is accepted: the header is checked before the signature,
/// because jwt-kit picks the key by `kid`, not by the header's algorithm, and
/// would otherwise let a token choose how it is checked.
public struct JWTAuthenticator: Sendable {
    private let keys: JWTKeyCollection

    /// - Parameter secret: The HMAC key bytes (the secret's UTF-8 text).
    public init(secret: [UInt8]) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
    }

    /// The caller a bearer token describes.
    /// - Throws: 401 ``APIError`` naming the problem: malformed, wrong algorithm, bad signature, expired, missing claims.
    public func principal(fromToken token: String) async throws(APIError) -> Principal {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .unauthorized("malformed token: expected three base64url parts separated by '.'")
        }
        guard let headerBytes = Self.base64URLDecode(parts[0]),
              case .object(let header)? = try? JSONValue(parsing: headerBytes)
        else {
            throw .unauthorized("malformed token: the header is not base64url JSON")
        }
        guard header["alg"] == .string("HS256") else {
            let alg = header["alg"]?.stringValue ?? "none"
            throw .unauthorized("unsupported token algorithm \(alg.prefix(20)): only HS256 is accepted")
        }
        guard !parts[2].isEmpty else { throw .unauthorized("invalid token signature") }
        do {
            let claims = try await keys.verify(token, as: AuthClaims.self)
            return claims.principal
        } catch let error as JWTError {
            switch error.errorType {
            case .signatureVerificationFailed:
                throw .unauthorized("invalid token signature")
            case .claimVerificationFailure where error.failedClaim is ExpirationClaim:
                throw .unauthorized("token expired")
            default:
                throw .unauthorized("malformed token: \(error.reason ?? "the claims sub and exp are required")")
            }
        } catch {
            throw .unauthorized("malformed token: the claims sub and exp are required")
        }
    }

    /// Mints a token for `claims`, signed HS256.
    public func token(for claims: AuthClaims) async throws -> String {
        try await keys.sign(claims)
    }

    private static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
