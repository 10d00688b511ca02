import AgentCoreJSON
import AgentCoreStore

/// Resolves a namespace for a caller, hiding those outside its departments:
/// an out-of-scope namespace answers exactly like a missing one (404).
struct NamespaceAccess: Sendable {
    let store: any DataStore

    /// The namespace `id`, if it exists and `principal` may see it.
    /// - Throws: 400 for an invalid id, 404 when missing or out of scope, 500 when the store fails.
    func namespace(_ id: String, for principal: Principal) async throws(APIError) -> NamespaceRecord {
        _ = try Identifier.validated(id, as: "namespace id")
        let namespace: NamespaceRecord?
        do {
            namespace = try await store.namespace(id: id)
        } catch {
            throw .internalError("cannot read namespace \(id): \(error.message)")
        }
        guard let namespace, principal.canSee(departmentId: namespace.departmentId) else {
            throw .namespaceNotFound(id)
        }
        return namespace
    }
}

extension NamespaceRecord {
    /// `{id, name, departmentId, createdAt}`.
    var json: JSONValue {
        [
            "id": .string(id),
            "name": .string(name),
            "departmentId": .string(departmentId),
            "createdAt": .string(Timestamp.format(createdAt)),
        ]
    }
}
