/// Why a namespace-level dispatch (query, subscribers, tools) could not start.
///
/// Per-plugin failures are never thrown: they are reported in `PluginCallResult`.
public struct DispatchError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case namespaceNotFound(String)
        case installSourceFailed(namespaceId: String, message: String)
        case shutDown
    }

    private let code: Code

    /// The namespace does not exist in the install source.
    public static func namespaceNotFound(_ namespaceId: String) -> DispatchError {
        DispatchError(code: .namespaceNotFound(namespaceId))
    }

    /// The install source threw while the registry read a namespace's installs.
    public static func installSourceFailed(namespaceId: String, message: String) -> DispatchError {
        DispatchError(code: .installSourceFailed(namespaceId: namespaceId, message: message))
    }

    /// The runtime has been shut down.
    public static let shutDown = DispatchError(code: .shutDown)

    /// The missing namespace, when this is `namespaceNotFound`.
    public var missingNamespaceId: String? {
        if case .namespaceNotFound(let id) = code { return id }
        return nil
    }

    public var description: String {
        switch code {
        case .namespaceNotFound(let id): "namespace \(id) not found"
        case .installSourceFailed(let id, let message): "could not read the installs of namespace \(id): \(message)"
        case .shutDown: "the plugin runtime is shut down"
        }
    }
}
