public import AgentCoreJSON
public import Hummingbird

/// An error answered as `{"error": {"code", "message", "details"}}` with its HTTP status.
///
/// Every failure of the API goes through this type (see ``ErrorMiddleware``),
/// so clients parse one shape. Messages name what was wrong but never echo
/// secret values.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// Stable, machine-readable: `not_found`, `validation_failed`, ...
    public let code: String
    public let message: String
    /// Extra facts, e.g. `[{path, message}]` for validation errors.
    public let details: [JSONValue]
    /// Headers added to the response (e.g. `WWW-Authenticate`).
    public let headers: HTTPFields

    public init(status: HTTPResponse.Status, code: String, message: String, details: [JSONValue] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The JSON body of this error.
    public var body: JSONValue {
        .object([
            "error": .object([
                "code": .string(code),
                "message": .string(message),
                "details": .array(details),
            ])
        ])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(status: status, body: body)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension APIError {
    static func badRequest(_ message: String, code: String = "bad_request", details: [JSONValue] = []) -> APIError {
        APIError(status: .badRequest, code: code, message: message, details: details)
    }

    static func invalidJSON(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_json", message: message)
    }

    static func invalidId(_ what: String, _ value: String) -> APIError {
        APIError(
            status: .badRequest,
            code: "invalid_id",
            message: "\(what) \"\(value.prefix(80))\" is invalid: use 1 to 64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit"
        )
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    static func namespaceNotFound(_ id: String) -> APIError {
        .notFound("namespace \(id) not found")
    }

    static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message)
    }

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "payload_too_large", message: "the request body is larger than \(limit) bytes")
    }

    /// 422 listing every validation error as `{path, message}`.
    static func validationFailed(_ message: String, errors: [(path: String, message: String)]) -> APIError {
        APIError(
            status: .unprocessableContent,
            code: "validation_failed",
            message: message,
            details: errors.map { .object(["path": .string($0.path), "message": .string($0.message)]) }
        )
    }

    static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: message)
    }

    static func unavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "unavailable", message: message)
    }
}
