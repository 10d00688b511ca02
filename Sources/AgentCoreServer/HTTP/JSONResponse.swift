import AgentCoreJSON
import Hummingbird

/// Builds JSON responses from ``JSONValue`` (compact, keys sorted).
enum JSONResponse {
    static func make(status: HTTPResponse.Status = .ok, body: JSONValue) -> Response {
        let bytes = body.serializedBytes()
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count + 1)
        buffer.writeBytes(bytes)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: buffer)
        )
    }
}
