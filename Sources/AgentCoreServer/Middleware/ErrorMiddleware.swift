import Foundation
import Hummingbird
import Logging

/// Turns every error thrown below it into the JSON error form, so no route,
/// router miss or framework failure answers in another shape.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Self.apiError(for: error, request: request).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try APIError.internalError("internal error; see the server log for request \(context.requestId)")
                .response(from: request, context: context)
        }
    }

    /// Hummingbird's own errors (no route, body too large, ...) in our form.
    private static func apiError(for error: any HTTPResponseError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            return .notFound("no route \(request.method) \(request.uri.path)")
        case .contentTooLarge:
            return .payloadTooLarge(limit: RequestBodyReader.maxBodySize)
        case .methodNotAllowed:
            return APIError(status: .methodNotAllowed, code: "method_not_allowed", message: "\(request.method) is not allowed on \(request.uri.path)")
        default:
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return APIError(status: error.status, code: code.isEmpty ? "error" : code, message: error.status.reasonPhrase)
        }
    }
}
