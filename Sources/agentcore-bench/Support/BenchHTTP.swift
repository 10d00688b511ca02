import AgentCoreJSON
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The bench's HTTP client (AsyncHTTPClient, keep-alive), for setup calls and latency samples.
enum BenchHTTP {
    struct Response: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let bytes: [UInt8]
        var json: JSONValue { (try? JSONValue(parsing: bytes)) ?? .null }
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func send(_ method: HTTPMethod, _ url: String, token: String? = nil, body: [UInt8]? = nil) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, bytes: Array(buffer.readableBytesView))
    }

    /// Sends and requires `expecting` as the status.
    @discardableResult
    static func expect(_ expecting: Int, _ method: HTTPMethod, _ url: String, token: String?, json: JSONValue? = nil) async throws -> Response {
        let response = try await send(method, url, token: token, body: json?.serializedBytes())
        guard response.status == expecting else {
            throw BenchError("\(method) \(url) answered \(response.status), expected \(expecting): \(response.text.prefix(500))")
        }
        return response
    }
}
