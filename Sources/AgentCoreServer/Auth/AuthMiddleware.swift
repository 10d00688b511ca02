import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <JWT>` on every route behind it and puts the caller in the context.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let authenticator: JWTAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing bearer token: send Authorization: Bearer <JWT>")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw APIError.unauthorized("the Authorization header must be Bearer <JWT>")
        }
        let token = header.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        var context = context
        let principal = try await authenticator.principal(fromToken: token)
        context.principal = principal
        context.logger[metadataKey: "auth.sub"] = .string(principal.subject)
        return try await next(request, context)
    }
}
