import AgentCoreJSON
import AgentCoreStore
import Foundation
import Hummingbird
import PluginRuntime

/// `/api/v1/plugins[/:id]`: the loaded plugins with their isolation and state, the files that
/// failed to load, and the operator controls (isolation, quarantine).
struct PluginCatalogController {
    let store: any DataStore
    let runtime: PluginRuntime

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("plugins", use: list)
        group.get("plugins/:pluginId", use: show)
        group.patch("plugins/:pluginId", use: update)
    }

    /// GET: every loaded plugin (optionally of one `category`), then every file that failed to
    /// load as `{file, state: "failed", error}` (left out when a category is asked for).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        let category = request.uri.queryParameters.get("category")
        let statuses = runtime.statuses
        var entries = statuses.filter { category == nil || $0.info.category == category }.map(\.json)
        if category == nil {
            let serving = Set(statuses.map(\.info.path))
            for failure in runtime.loadFailures where !serving.contains(failure.path) {
                entries.append([
                    "file": .string((failure.path as NSString).lastPathComponent),
                    "state": "failed",
                    "error": .string(failure.reason),
                ])
            }
        }
        return JSONResponse.make(body: .array(entries))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        guard let status = runtime.status(pluginId: pluginId) else { throw APIError.notFound("plugin \(pluginId) not found") }
        return JSONResponse.make(body: status.json)
    }

    /// PATCH `{isolation?: "inprocess"|"process"|null, state?: "active"|"quarantined"}`.
    ///
    /// Needs canManagePlugins and a global token (the change holds for every department).
    /// `isolation` reloads the plugin that way (null returns it to the default of its source)
    /// and is remembered across restarts; `state: "active"` lifts a quarantine.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.permissions.contains(.canManagePlugins) else {
            throw APIError.forbidden("changing a plugin needs the canManagePlugins permission")
        }
        guard principal.isGlobal else {
            throw APIError.forbidden("changing a plugin affects every department; it needs a global token")
        }
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["isolation", "state"])
        guard runtime.status(pluginId: pluginId) != nil else { throw APIError.notFound("plugin \(pluginId) not found") }

        var isolation: PluginIsolation??
        switch body.value("isolation") {
        case nil: isolation = nil
        case .null?: isolation = .some(nil)
        case .string(let text)? where PluginIsolation(rawValue: text) != nil: isolation = .some(PluginIsolation(rawValue: text))
        default:
            throw APIError.validationFailed("invalid plugin settings", errors: [("/isolation", "must be \"inprocess\", \"process\" or null")])
        }
        var state: PluginState?
        switch body.value("state") {
        case nil: state = nil
        case .string(let text)? where PluginState(rawValue: text) != nil: state = PluginState(rawValue: text)
        default:
            throw APIError.validationFailed("invalid plugin settings", errors: [("/state", "must be \"active\" or \"quarantined\"")])
        }

        if let isolation {
            do {
                _ = try await runtime.setIsolation(pluginId: pluginId, to: isolation)
            } catch {
                throw APIError.validationFailed(
                    "plugin \(pluginId) cannot run with isolation \(isolation?.rawValue ?? "default")",
                    errors: [("/isolation", error.reason)]
                )
            }
            do {
                try await store.setPluginIsolation(pluginId: pluginId, isolation: isolation?.rawValue)
            } catch {
                throw APIError.internalError("isolation of \(pluginId) changed but could not be saved: \(error.message)")
            }
            context.logger.notice("plugin isolation set", metadata: ["plugin.id": .string(pluginId), "isolation": .string(isolation?.rawValue ?? "default")])
        }
        switch state {
        case .active?:
            _ = runtime.reactivate(pluginId: pluginId)
        case .quarantined?:
            _ = runtime.quarantine(pluginId: pluginId, reason: "quarantined by \(principal.subject)")
        case nil:
            break
        }
        guard let status = runtime.status(pluginId: pluginId) else { throw APIError.notFound("plugin \(pluginId) not found") }
        return JSONResponse.make(body: status.json)
    }
}

extension PluginInfo {
    /// The descriptor as `plugin check` prints it, less the file path, which
    /// is the operator's business, not the API caller's.
    var catalogJSON: JSONValue {
        json.removing(at: JSONPointer(tokens: ["path"]))
    }
}

extension PluginStatus {
    /// The catalog entry plus `isolation`, `state` and, when they apply, `stateReason`,
    /// `reloadError` (a newer file was refused; this version keeps serving) and
    /// `retiredVersions` (older versions still draining).
    var json: JSONValue {
        guard case .object(var members) = info.catalogJSON else { return info.catalogJSON }
        members["isolation"] = .string(isolation.rawValue)
        members["state"] = .string(state.rawValue)
        if let quarantineReason { members["stateReason"] = .string(quarantineReason) }
        if let reloadError { members["reloadError"] = .string(reloadError) }
        members["retiredVersions"] = .number(JSONNumber(retiredVersions))
        return .object(members)
    }
}
