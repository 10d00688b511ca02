import AgentCoreJSON
import AgentCoreStore
import Foundation
import Hummingbird
import PluginRuntime

/// `/api/v1/namespaces`: create, list, read and delete namespaces.
struct NamespaceController {
    let store: any DataStore
    let runtime: PluginRuntime

    private var access: NamespaceAccess { NamespaceAccess(store: store) }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("namespaces", use: create)
        group.get("namespaces", use: list)
        group.get("namespaces/:id", use: show)
        group.delete("namespaces/:id", use: delete)
    }

    /// POST: `{id?, name, departmentId}` -> 201. Needs canManageNamespaces; a non-global caller only into its departments.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.canManageNamespaces else {
            throw APIError.forbidden("creating a namespace needs the canManageNamespaces permission")
        }
        let body = try await RequestBodyReader.object(from: request, allowedFields: ["id", "name", "departmentId"])
        let id = try body.optionalIdentifier("id", as: "namespace id") ?? Self.generatedId()
        let name = try body.string("name", maxLength: 200)
        let departmentId = try body.identifier("departmentId", as: "department id")
        guard principal.canSee(departmentId: departmentId) else {
            throw APIError.forbidden("you cannot create a namespace in department \(departmentId): it is not one of yours")
        }
        let namespace = NamespaceRecord(id: id, name: name, departmentId: departmentId, createdAt: Timestamp.now())
        do {
            try await store.createNamespace(namespace)
        } catch let error where error.isConflict {
            throw APIError.conflict("namespace \(id) already exists")
        } catch {
            throw APIError.internalError("cannot create namespace \(id): \(error.message)")
        }
        context.logger.info("namespace created", metadata: ["namespace.id": .string(id), "department.id": .string(departmentId)])
        return JSONResponse.make(status: .created, body: namespace.json)
    }

    /// GET: the namespaces in the caller's scope, sorted by id.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespaces: [NamespaceRecord]
        do {
            namespaces = try await store.namespaces(inDepartments: principal.isGlobal ? nil : principal.departments.sorted())
        } catch {
            throw APIError.internalError("cannot list namespaces: \(error.message)")
        }
        return JSONResponse.make(body: .array(namespaces.map(\.json)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        return JSONResponse.make(body: namespace.json)
    }

    /// DELETE: removes the namespace with its plugin configs and records, and drops its cached instances. Needs canManageNamespaces.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.canManageNamespaces else {
            throw APIError.forbidden("deleting a namespace needs the canManageNamespaces permission")
        }
        let namespace = try await access.namespace(try context.identifier("id", as: "namespace id"), for: principal)
        let deleted: Bool
        do {
            deleted = try await store.deleteNamespace(id: namespace.id)
        } catch {
            throw APIError.internalError("cannot delete namespace \(namespace.id): \(error.message)")
        }
        guard deleted else { throw APIError.namespaceNotFound(namespace.id) }
        // Before answering: a hook call that starts after the response must not find the old instances.
        await runtime.invalidate(namespaceId: namespace.id)
        context.logger.info("namespace deleted", metadata: ["namespace.id": .string(namespace.id)])
        return Response(status: .noContent)
    }

    private static func generatedId() -> String {
        "ns-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }
}
