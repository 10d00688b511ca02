public import Hummingbird
import Logging

/// The request context of every route: Hummingbird's core storage, the
/// request id, and the caller once the auth middleware has verified the token.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id returned in `x-request-id` and attached to every log line of the request.
    public var requestId: String
    /// The verified caller; nil on routes without auth.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = ""
        principal = nil
    }

    /// Bodies above 1 MiB are refused with 413.
    public var maxUploadSize: Int { RequestBodyReader.maxBodySize }

    /// The verified caller. - Throws: 401 when the route was reached without the auth middleware.
    func requirePrincipal() throws(APIError) -> Principal {
        guard let principal else { throw .unauthorized("missing bearer token") }
        return principal
    }
}
