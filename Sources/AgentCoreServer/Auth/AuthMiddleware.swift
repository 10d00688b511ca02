import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <JWT>` on every route behind it and puts the caller in the context.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let authenticator: JWTAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers.value(of: .authorization) else {
            throw APIError.unauthorized("missing bearer token: send Authorization: Bearer <JWT>")
        }
        guard let token = Self.bearerToken(header) else {
            throw APIError.unauthorized("the Authorization header must be Bearer <JWT>")
        }
        var context = context
        let principal = try await authenticator.principal(fromToken: token)
        context.principal = principal
        context.logger[metadataKey: "auth.sub"] = .string(principal.subject)
        return try await next(request, context)
    }

    private static let scheme: [UInt8] = Array("bearer ".utf8)

    /// What follows a case-insensitive `Bearer ` (with at least one character after it), with
    /// surrounding whitespace removed; nil without that prefix. Works on the UTF-8 bytes since
    /// it runs on every request; non-ASCII text keeps Foundation's notion of whitespace.
    static func bearerToken(_ header: String) -> String? {
        var header = header
        return header.withUTF8 { bytes -> String? in
            guard bytes.count > scheme.count else { return nil }
            for index in 0..<scheme.count {
                let byte = bytes[index], expected = scheme[index]
                guard byte == expected || (expected >= UInt8(ascii: "a") && byte == expected - 0x20) else { return nil }
            }
            let rest = UnsafeBufferPointer(rebasing: bytes[scheme.count...])
            guard !rest.contains(where: { $0 >= 0x80 }) else {
                return String(decoding: rest, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
            let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            guard let first = rest.firstIndex(where: { !isBlank($0) }), let last = rest.lastIndex(where: { !isBlank($0) }) else {
                return ""
            }
            return String(decoding: UnsafeBufferPointer(rebasing: rest[first...last]), as: UTF8.self)
        }
    }
}
