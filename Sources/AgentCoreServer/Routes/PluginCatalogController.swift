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
    /// `{id, name, version, category, description, capabilities, configSchema, tools, source}`.
    var catalogJSON: JSONValue {
        .object([
            "id": .string(id),
            "name": .string(name),
            "version": .string(version),
            "category": .string(category),
            "description": .string(description),
            "capabilities": .array(capabilities.map { .string($0.rawValue) }),
            "configSchema": configSchema,
            "tools": .array(tools.map(\.json)),
            "source": .string(source.rawValue),
        ])
    }
}

extension ToolDefinition {
    /// `{name, description, inputSchema}`.
    var json: JSONValue {
        .object([
            "name": .string(name),
            "description": .string(description),
            "inputSchema": inputSchema,
        ])
    }
}
