public import JSONSchema

/// Why a tool invocation did not produce an output.
public enum ToolInvocationError: Error, Sendable, CustomStringConvertible {
    case namespaceNotFound(String)
    /// The plugin is not installed, not enabled, or cannot run in the namespace (reason given).
    case pluginNotEnabled(pluginId: String, namespaceId: String)
    case toolNotFound(pluginId: String, tool: String)
    /// The input does not match the tool's input schema; the plugin was not called.
    case invalidInput([ValidationError])
    /// The plugin was called and failed (error, timeout, skipped, invalid output).
    case failed(PluginCallResult)
    /// The namespace's installs could not be read, or the runtime is shut down.
    case unavailable(DispatchError)

    public var description: String {
        switch self {
        case .namespaceNotFound(let id): "namespace \(id) not found"
        case .pluginNotEnabled(let pluginId, let namespaceId): "plugin \(pluginId) is not enabled in namespace \(namespaceId)"
        case .toolNotFound(let pluginId, let tool): "plugin \(pluginId) has no tool \(tool)"
        case .invalidInput(let errors): "invalid tool input: " + errors.map(\.description).joined(separator: "; ")
        case .failed(let result): "tool call \(result.status.rawValue): \(result.error ?? "no message")"
        case .unavailable(let error): error.description
        }
    }
}
