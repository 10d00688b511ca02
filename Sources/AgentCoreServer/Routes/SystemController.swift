import AgentCoreJSON
import Hummingbird

/// Routes without auth: the health check and the OpenAPI document.
struct SystemController {
    /// The text of `docs/openapi.yaml`, or nil when it was not found at startup.
    let openAPIDocument: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz", use: health)
        router.get("openapi.yaml", use: openAPI)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        JSONResponse.make(body: ["status": "ok"])
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let openAPIDocument else {
            throw APIError.notFound("the OpenAPI document was not found next to the server (docs/openapi.yaml)")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: openAPIDocument))
        )
    }
}
