import Foundation
import HTTPTypes
import Hummingbird

/// Gives every request an id: the caller's `x-request-id` when it is a sane
/// token, otherwise the one Hummingbird generated (`hb.request.id`). The id
/// goes into every log line of the request and back in `x-request-id`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let headerName = HTTPField.Name("x-request-id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers.value(of: Self.headerName).flatMap(Self.accepted) ?? context.id
        var context = context
        context.requestId = id
        context.logger[metadataKey: "request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.headerName] = id
        return response
    }

    private static func accepted(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")) })
        else { return nil }
        return value
    }
}
