import AgentCoreJSON
import PluginRuntime
import Synchronization

/// Namespaces and their installs held in memory: the registry reads them on a cache miss, as
/// it reads the server's store (without SQLite, so registry figures measure the registry).
final class InMemoryInstallSource: PluginInstallSource {
    private let namespaces = Mutex<[String: NamespaceInstalls]>([:])

    func installs(namespaceId: String) async throws -> NamespaceInstalls? {
        namespaces.withLock { $0[namespaceId] }
    }

    /// Creates or replaces a namespace with every plugin of `pluginIds` enabled with `config`.
    func setNamespace(_ namespaceId: String, pluginIds: [String], config: JSONValue = [:], departmentId: String = "bench") {
        let installs = pluginIds.map { PluginInstall(pluginId: $0, enabled: true, config: config) }
        namespaces.withLock { $0[namespaceId] = NamespaceInstalls(namespaceId: namespaceId, departmentId: departmentId, installs: installs) }
    }

    /// Replaces the config of one install (what a PATCH of the install does in the server).
    func setConfig(_ config: JSONValue, namespaceId: String, pluginId: String) {
        namespaces.withLock { namespaces in
            guard var namespace = namespaces[namespaceId] else { return }
            for index in namespace.installs.indices where namespace.installs[index].pluginId == pluginId {
                namespace.installs[index].config = config
            }
            namespaces[namespaceId] = namespace
        }
    }
}
