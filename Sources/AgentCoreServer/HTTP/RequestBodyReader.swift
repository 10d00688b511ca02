import AgentCoreJSON
import Hummingbird

/// Reads a request body as one JSON object and its fields, answering every
/// problem with a 400 (or 413) that names it.
struct RequestBodyReader {
    /// The largest body accepted: 1 MiB.
    static let maxBodySize = 1 << 20

    /// Collects the body (at most ``maxBodySize``) and parses it as a JSON object.
    /// - Parameter allowedFields: Every other top-level field is refused with 400 naming it.
    static func object(from request: Request, allowedFields: Set<String>) async throws(APIError) -> JSONObjectFields {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodySize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw .payloadTooLarge(limit: maxBodySize)
        } catch {
            throw .badRequest("cannot read the request body: \(error)", code: "unreadable_body")
        }
        guard buffer.readableBytes > 0 else {
            throw .invalidJSON("the request body is empty: send a JSON object")
        }
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { bytes throws(JSONParseError) in try JSONValue(parsing: bytes) }
        } catch {
            throw .invalidJSON("the request body is not valid JSON: \(error)")
        }
        guard case .object(let members) = value else {
            throw .invalidJSON("the request body must be a JSON object, not \(value.typeName)")
        }
        let unknown = members.keys.filter { !allowedFields.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw APIError.badRequest(
                "unknown field\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); allowed: \(allowedFields.sorted().joined(separator: ", "))",
                code: "unknown_fields",
                details: unknown.map { .string($0) }
            )
        }
        return JSONObjectFields(members: members)
    }
}

/// The fields of a parsed body object, read with type checks that answer 400 naming the field.
struct JSONObjectFields {
    let members: [String: JSONValue]

    func contains(_ name: String) -> Bool { members[name] != nil }

    /// Any JSON value, or nil when absent.
    func value(_ name: String) -> JSONValue? { members[name] }

    func string(_ name: String, maxLength: Int = 1024) throws(APIError) -> String {
        guard let value = members[name] else { throw .badRequest("missing required field \(name)", code: "missing_field") }
        guard case .string(let text) = value else { throw Self.wrongType(name, "a string", value) }
        guard !text.isEmpty else { throw .badRequest("field \(name) must not be empty", code: "invalid_field") }
        guard text.count <= maxLength else { throw .badRequest("field \(name) is longer than \(maxLength) characters", code: "invalid_field") }
        return text
    }

    func optionalString(_ name: String, maxLength: Int = 1024) throws(APIError) -> String? {
        guard members[name] != nil else { return nil }
        return try string(name, maxLength: maxLength)
    }

    /// A string that may be empty and long (document content); the body limit bounds it.
    func text(_ name: String) throws(APIError) -> String {
        guard let value = members[name] else { throw .badRequest("missing required field \(name)", code: "missing_field") }
        guard case .string(let text) = value else { throw Self.wrongType(name, "a string", value) }
        return text
    }

    /// An id field, checked by ``Identifier``; nil when absent. - Throws: 400 `invalid_id` naming it.
    func optionalIdentifier(_ name: String, as what: String) throws(APIError) -> String? {
        guard let value = members[name] else { return nil }
        guard case .string(let text) = value else { throw Self.wrongType(name, "a string", value) }
        return try Identifier.validated(text, as: what)
    }

    /// A required id field, checked by ``Identifier``. - Throws: 400 naming it.
    func identifier(_ name: String, as what: String) throws(APIError) -> String {
        guard let id = try optionalIdentifier(name, as: what) else {
            throw .badRequest("missing required field \(name)", code: "missing_field")
        }
        return id
    }

    func optionalBool(_ name: String) throws(APIError) -> Bool? {
        guard let value = members[name] else { return nil }
        guard case .bool(let flag) = value else { throw Self.wrongType(name, "a boolean", value) }
        return flag
    }

    private static func wrongType(_ name: String, _ expected: String, _ value: JSONValue) -> APIError {
        .badRequest("field \(name) must be \(expected), not \(value.typeName)", code: "invalid_field")
    }
}
