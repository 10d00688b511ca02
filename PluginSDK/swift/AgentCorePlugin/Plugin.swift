// The Swift face of the agentcore plugin ABI (PluginSDK/include/agentcore_plugin.h).
//
// A plugin conforms a class to `Plugin` and exports it with one line; the
// SDK builds the C descriptor, converts every borrowed C buffer to Swift
// values and every thrown error to a status with a message. No pointer from
// the header reaches plugin code.

// The plugin's export line names the header's C types; re-exporting the C
// module spares every plugin a second import.
@_exported public import CAgentCorePlugin

/// A plugin: one instance per namespace, created with that namespace's validated config.
///
/// The host may call the hooks of one instance concurrently from several
/// threads (hence `Sendable`): keep the config immutable after `init`. Hooks
/// run on host plugin threads, never on Swift's cooperative pool, so they may
/// block (the host HTTP client does). Implement only the hooks that
/// `descriptor.capabilities` declares: the others keep their defaults and
/// their C hook pointer stays NULL, which tells the host the capability is
/// absent.
public protocol Plugin: AnyObject, Sendable {
    /// What the plugin is and does; read once, when the host loads the library.
    static var descriptor: PluginDescriptor { get }

    /// Creates the instance serving one namespace.
    /// - Parameters:
    ///   - config: the namespace's config, already validated by the host against
    ///     `descriptor.configSchema`, with the schema's defaults applied.
    ///   - context: the namespace, the department and the host services for this instance.
    /// - Throws: any error refuses the instance; its description becomes the host's error message.
    init(config: JSONText, context: PluginContext) throws

    /// agent_query: enriches an agent's query.
    /// - Returns: the JSON result, or nil when there is nothing to add (`AC_NO_RESULT`).
    func agentQuery(_ query: String) throws -> JSONText?

    /// approval.created. Throw to have the host retry the delivery.
    func approvalCreated(_ event: PluginEvent) throws

    /// document.ready. Throw to have the host retry the delivery.
    func documentReady(_ event: PluginEvent) throws

    /// Invokes one of `descriptor.tools` with its input, already validated against the tool's schema.
    /// - Throws: `PluginError.notFound` for an unknown tool name (the default does exactly that).
    func invokeTool(_ name: String, input: JSONText) throws -> JSONText
}

extension Plugin {
    public func agentQuery(_ query: String) throws -> JSONText? {
        throw PluginError.unsupported("\(Self.descriptor.id) declares agent_query but does not implement agentQuery(_:)")
    }

    public func approvalCreated(_ event: PluginEvent) throws {
        throw PluginError.unsupported("\(Self.descriptor.id) declares approval_hook but does not implement approvalCreated(_:)")
    }

    public func documentReady(_ event: PluginEvent) throws {
        throw PluginError.unsupported("\(Self.descriptor.id) declares document_hook but does not implement documentReady(_:)")
    }

    public func invokeTool(_ name: String, input: JSONText) throws -> JSONText {
        throw PluginError.notFound("unknown tool '\(name)'")
    }
}
