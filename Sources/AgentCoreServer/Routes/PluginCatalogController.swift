import AgentCoreJSON
import Hummingbird
import PluginRuntime

/// `GET /api/v1/plugins`: every loaded plugin, optionally of one category.
struct PluginCatalogController {
    let runtime: PluginRuntime

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("plugins", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        let category = request.uri.queryParameters.get("category")
        let plugins = runtime.plugins.filter { category == nil || $0.category == category }
        return JSONResponse.make(body: .array(plugins.map(\.catalogJSON)))
    }
}

extension PluginInfo {
    /// The descriptor as `plugin check` prints it, less the file path, which
    /// is the operator's business, not the API caller's.
    var catalogJSON: JSONValue {
        json.removing(at: JSONPointer(tokens: ["path"]))
    }
}
