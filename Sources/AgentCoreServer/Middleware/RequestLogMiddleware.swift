import Foundation
import Hummingbird
import Logging

/// One structured log line per request: method, path, status, duration.
/// Never the body or the query string: both may carry secrets.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        // Tenths of a millisecond by integer arithmetic: String(format:) goes through Foundation on every request.
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let tenths = (microseconds + 50) / 100
        context.logger.info(
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.path": .string(request.uri.path),
                "http.status": .stringConvertible(response.status.code),
                "duration_ms": .string("\(tenths / 10).\(tenths % 10)"),
            ]
        )
        return response
    }
}
