import AgentCoreStore
import PluginRuntime

/// The runtime's view of the stored installs: namespace, department and every
/// install with its config in clear (secrets decrypted), read in one transaction.
struct StoreInstallSource: PluginInstallSource {
    let store: any DataStore

    func installs(namespaceId: String) async throws -> NamespaceInstalls? {
        guard let (namespace, installs) = try await store.namespaceInstalls(namespaceId: namespaceId) else { return nil }
        return NamespaceInstalls(
            namespaceId: namespace.id,
            departmentId: namespace.departmentId,
            installs: installs.map { PluginInstall(pluginId: $0.pluginId, enabled: $0.enabled, config: $0.config) }
        )
    }
}
