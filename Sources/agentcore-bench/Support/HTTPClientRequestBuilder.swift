import AsyncHTTPClient
import NIOCore

/// Raw POSTs with custom headers (the webhook floor), through the shared AsyncHTTPClient.
enum HTTPClientRequestBuilder {
    static func post(url: String, body: [UInt8]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// Executes and returns the status code (the body is drained).
    static func execute(_ request: HTTPClientRequest) async throws -> Int {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
