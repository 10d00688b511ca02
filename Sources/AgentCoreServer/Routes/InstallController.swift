import AgentCoreJSON
import AgentCoreStore
import Hummingbird
import JSONSchema
import PluginRuntime

/// `/api/v1/namespaces/:id/plugins[/:pluginId]`: the plugins a namespace uses and their configs.
///
/// Every successful write invalidates the runtime's cache for the namespace
/// before the response is sent, so a hook call that starts after the response
/// uses the new config.
struct InstallController {
    let store: any DataStore
    let runtime: PluginRuntime

    private var access: NamespaceAccess { NamespaceAccess(store: store) }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("namespaces/:id/plugins", use: list)
        group.get("namespaces/:id/plugins/:pluginId", use: show)
        group.post("namespaces/:id/plugins/:pluginId", use: install)
        group.patch("namespaces/:id/plugins/:pluginId", use: update)
        group.delete("namespaces/:id/plugins/:pluginId", use: uninstall)
        group.get("namespaces/:id/plugins/:pluginId/status", use: status)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let installs: [StoredPluginInstall]
        do {
            installs = try await store.namespaceInstalls(namespaceId: namespace.id)?.installs ?? []
        } catch {
            throw APIError.internalError("cannot read the plugins of namespace \(namespace.id): \(error.message)")
        }
        return JSONResponse.make(body: .array(installs.map(stateJSON)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        return JSONResponse.make(body: stateJSON(try await existingInstall(namespaceId: namespace.id, pluginId: pluginId)))
    }

    /// POST `{config?, enabled?, parallelDelivery?}` -> 201. 404 unknown plugin, 409 already installed, 422 invalid config.
    @Sendable func install(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try requireManagePlugins(principal)
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["config", "enabled", "parallelDelivery"])
        let resolver = try resolver(for: pluginId)
        let (publicConfig, secrets) = try resolver.resolve(body.value("config") ?? .object([:]), previous: nil)
        let now = Timestamp.now()
        let install = StoredPluginInstall(
            namespaceId: namespace.id,
            pluginId: pluginId,
            enabled: try body.optionalBool("enabled") ?? true,
            publicConfig: publicConfig,
            secrets: secrets,
            parallelDelivery: try body.optionalBool("parallelDelivery") ?? false,
            createdAt: now,
            updatedAt: now
        )
        do {
            try await store.insertPluginInstall(install)
        } catch let error where error.isConflict {
            throw APIError.conflict("plugin \(pluginId) is already installed in namespace \(namespace.id); use PATCH to change it")
        } catch let error where error.isNotFound {
            throw APIError.namespaceNotFound(namespace.id)
        } catch {
            throw APIError.internalError("cannot install plugin \(pluginId) in namespace \(namespace.id): \(error.message)")
        }
        await runtime.invalidate(namespaceId: namespace.id, pluginId: pluginId)
        context.logger.info("plugin installed", metadata: ["namespace.id": .string(namespace.id), "plugin.id": .string(pluginId)])
        return JSONResponse.make(status: .created, body: stateJSON(install))
    }

    /// PATCH `{config?, enabled?, parallelDelivery?}` -> 200. `config` replaces the stored one, except secrets
    /// omitted or sent as the mask; an absent field keeps its value.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try requireManagePlugins(principal)
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["config", "enabled", "parallelDelivery"])
        var install = try await existingInstall(namespaceId: namespace.id, pluginId: pluginId)
        if let enabled = try body.optionalBool("enabled") {
            install.enabled = enabled
        }
        if let parallelDelivery = try body.optionalBool("parallelDelivery") {
            install.parallelDelivery = parallelDelivery
        }
        if let config = body.value("config") {
            let (publicConfig, secrets) = try resolver(for: pluginId).resolve(config, previous: install)
            install.publicConfig = publicConfig
            install.secrets = secrets
        }
        install.updatedAt = Timestamp.now()
        do {
            try await store.updatePluginInstall(install)
        } catch let error where error.isNotFound {
            throw APIError.notFound("plugin \(pluginId) is not installed in namespace \(namespace.id)")
        } catch {
            throw APIError.internalError("cannot update plugin \(pluginId) in namespace \(namespace.id): \(error.message)")
        }
        await runtime.invalidate(namespaceId: namespace.id, pluginId: pluginId)
        context.logger.info("plugin config updated", metadata: ["namespace.id": .string(namespace.id), "plugin.id": .string(pluginId)])
        return JSONResponse.make(body: stateJSON(install))
    }

    /// DELETE -> 204.
    @Sendable func uninstall(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try requireManagePlugins(principal)
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        let deleted: Bool
        do {
            deleted = try await store.deletePluginInstall(namespaceId: namespace.id, pluginId: pluginId)
        } catch {
            throw APIError.internalError("cannot remove plugin \(pluginId) from namespace \(namespace.id): \(error.message)")
        }
        guard deleted else { throw APIError.notFound("plugin \(pluginId) is not installed in namespace \(namespace.id)") }
        await runtime.invalidate(namespaceId: namespace.id, pluginId: pluginId)
        context.logger.info("plugin removed", metadata: ["namespace.id": .string(namespace.id), "plugin.id": .string(pluginId)])
        return Response(status: .noContent)
    }

    /// GET status: the runtime's counters of calls to this install since the server started.
    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let pluginId = try context.identifier("pluginId", as: "plugin id")
        let install = try await existingInstall(namespaceId: namespace.id, pluginId: pluginId)
        let statistics = runtime.statistics(namespaceId: namespace.id, pluginId: pluginId)
        return JSONResponse.make(body: .object([
            "pluginId": .string(pluginId),
            "enabled": .bool(install.enabled),
            "loaded": .bool(runtime.plugin(id: pluginId) != nil),
            "calls": .number(JSONNumber(statistics.calls)),
            "failures": .number(JSONNumber(statistics.failures)),
            "timeouts": .number(JSONNumber(statistics.timeouts)),
            "lastError": statistics.lastError.map(JSONValue.string) ?? .null,
            "lastErrorAt": statistics.lastErrorAt.map { .string(Timestamp.format($0)) } ?? .null,
        ]))
    }

    // MARK: Helpers

    /// The install's JSON plus `state` — `active`, `disabled`, `plugin-missing` (no loaded plugin
    /// has its id), `invalid-config` (the loaded version's schema rejects the stored config,
    /// e.g. after a reload; the install is skipped, nothing is deleted) or `quarantined` — and
    /// `stateReason` when it is not active.
    private func stateJSON(_ install: StoredPluginInstall) -> JSONValue {
        guard case .object(var members) = install.json else { return install.json }
        var state = "active"
        var reason: String?
        if !install.enabled {
            state = "disabled"
        } else if let status = runtime.status(pluginId: install.pluginId) {
            let errors = runtime.configSchema(pluginId: install.pluginId)?.validate(install.config) ?? []
            if !errors.isEmpty {
                state = "invalid-config"
                reason = "config rejected by the plugin's schema (version \(status.info.version)): " + errors.map(\.description).joined(separator: "; ")
            } else if status.state == .quarantined {
                state = "quarantined"
                reason = status.quarantineReason
            }
        } else {
            state = "plugin-missing"
            reason = "plugin \(install.pluginId) is not loaded"
        }
        members["state"] = .string(state)
        if let reason { members["stateReason"] = .string(reason) }
        return .object(members)
    }

    private func requireManagePlugins(_ principal: Principal) throws(APIError) {
        guard principal.canManagePlugins else {
            throw .forbidden("managing a namespace's plugins needs the canManagePlugins or canManageNamespaces permission")
        }
    }

    private func resolver(for pluginId: String) throws(APIError) -> PluginConfigResolver {
        guard let plugin = runtime.plugin(id: pluginId) else { throw .notFound("plugin \(pluginId) not found") }
        let schema = runtime.configSchema(pluginId: plugin.id)
        return PluginConfigResolver(pluginId: plugin.id, schema: schema)
    }

    private func existingInstall(namespaceId: String, pluginId: String) async throws(APIError) -> StoredPluginInstall {
        let install: StoredPluginInstall?
        do {
            install = try await store.pluginInstall(namespaceId: namespaceId, pluginId: pluginId)
        } catch {
            throw .internalError("cannot read plugin \(pluginId) of namespace \(namespaceId): \(error.message)")
        }
        guard let install else { throw .notFound("plugin \(pluginId) is not installed in namespace \(namespaceId)") }
        return install
    }
}
