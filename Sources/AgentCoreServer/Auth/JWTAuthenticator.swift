import AgentCoreJSON
import Foundation
import JWTKit
import Synchronization

/// Verifies and mints HS256 tokens with the server's secret.
///
/// Only `alg: HS256` is accepted: the header is checked before the signature,
/// because jwt-kit picks the key by `kid`, not by the header's algorithm, and
/// would otherwise let a token choose how it is checked.
///
/// Verified tokens are remembered (token text -> caller) until their `exp`, so a client that
/// sends the same token on every request pays the base64, JSON and HMAC work once.
public struct JWTAuthenticator: Sendable {
    private let keys: JWTKeyCollection
    private let verified: VerifiedTokens

    /// - Parameters:
    ///   - secret: The HMAC key bytes (the secret's UTF-8 text).
    ///   - cacheCapacity: How many verified tokens are remembered (0: none).
    public init(secret: [UInt8], cacheCapacity: Int = 4096) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        verified = VerifiedTokens(capacity: cacheCapacity)
    }

    /// The caller a bearer token describes.
    /// - Throws: 401 ``APIError`` naming the problem: malformed, wrong algorithm, bad signature, expired, missing claims.
    public func principal(fromToken token: String) async throws(APIError) -> Principal {
        // The whole token text is the key, signature included: the same text verifies the same
        // way until it expires, which the cache checks on every hit.
        if let principal = verified.principal(for: token, at: Date()) { return principal }
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
            let principal = claims.principal
            verified.insert(token, principal, expiresAt: claims.exp.value)
            return principal
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

/// Tokens that passed verification, with their caller and expiry; bounded.
private final class VerifiedTokens: Sendable {
    private struct Entry {
        let principal: Principal
        let expiresAt: Date
    }

    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The caller of a token verified earlier, if it has not expired at `now` (as
    /// `ExpirationClaim.verifyNotExpired` decides: valid while `now < exp`).
    func principal(for token: String, at now: Date) -> Principal? {
        guard capacity > 0 else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiresAt else {
                entries[token] = nil
                return nil
            }
            return entry.principal
        }
    }

    /// Longer tokens are verified every time, so the cache's memory stays bounded (capacity x this).
    static let maxTokenLength = 2048

    func insert(_ token: String, _ principal: Principal, expiresAt: Date) {
        guard capacity > 0, token.utf8.count <= Self.maxTokenLength else { return }
        let now = Date()
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now < $0.value.expiresAt }
                // Still full of live tokens (many clients, or a flood of distinct valid tokens):
                // start over rather than track recency on every hit.
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(principal: principal, expiresAt: expiresAt)
        }
    }
}
