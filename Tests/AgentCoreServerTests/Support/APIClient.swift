import AgentCoreJSON
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A response as the tests look at it.
struct APIResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let bytes: [UInt8]

    /// The body parsed as JSON; `.null` when empty or not JSON.
    var json: JSONValue { (try? JSONValue(parsing: bytes)) ?? .null }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `error.code` of a JSON error body.
    var errorCode: String? { json["error"]?["code"]?.stringValue }
    var errorMessage: String? { json["error"]?["message"]?.stringValue }
}

/// Drives the server's HTTP API with AsyncHTTPClient.
struct APIClient: Sendable {
    let baseURL: String

    func get(_ path: String, token: String? = TestToken.admin, headers: [(String, String)] = []) async throws -> APIResponse {
        try await send(.GET, path, token: token, headers: headers)
    }

    func delete(_ path: String, token: String? = TestToken.admin) async throws -> APIResponse {
        try await send(.DELETE, path, token: token)
    }

    func post(_ path: String, _ body: JSONValue, token: String? = TestToken.admin) async throws -> APIResponse {
        try await send(.POST, path, token: token, body: body.serializedBytes())
    }

    func patch(_ path: String, _ body: JSONValue, token: String? = TestToken.admin) async throws -> APIResponse {
        try await send(.PATCH, path, token: token, body: body.serializedBytes())
    }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        token: String? = TestToken.admin,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil
    ) async throws -> APIResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return APIResponse(status: Int(response.status.code), headers: response.headers, bytes: Array(buffer.readableBytesView))
    }

    // MARK: Shortcuts used by many tests

    /// Creates a namespace as admin; returns its id.
    @discardableResult
    func createNamespace(_ id: String, department: String = "d1", token: String = TestToken.admin) async throws -> String {
        let response = try await post("/api/v1/namespaces", ["id": .string(id), "name": .string("Namespace \(id)"), "departmentId": .string(department)], token: token)
        guard response.status == 201 else { throw UnexpectedResponse(response: response) }
        return id
    }

    /// Installs `pluginId` in `namespace` with `config`; returns the response body.
    @discardableResult
    func install(_ pluginId: String, in namespace: String, config: JSONValue = [:], enabled: Bool = true) async throws -> JSONValue {
        let response = try await post("/api/v1/namespaces/\(namespace)/plugins/\(pluginId)", ["config": config, "enabled": .bool(enabled)])
        guard response.status == 201 else { throw UnexpectedResponse(response: response) }
        return response.json
    }

    struct UnexpectedResponse: Error, CustomStringConvertible {
        let response: APIResponse
        var description: String { "unexpected \(response.status): \(response.text)" }
    }
}
