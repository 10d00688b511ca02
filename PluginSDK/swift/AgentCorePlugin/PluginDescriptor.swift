/// What a plugin is and does: identity, capabilities, config schema and tools.
///
/// The SDK copies it once into C storage that lives as long as the library,
/// as the ABI requires (`ac_plugin_descriptor_t`).
public struct PluginDescriptor: Sendable {
    /// `[a-z0-9][a-z0-9-]*`, at most 64 bytes, unique among the host's plugins.
    public var id: String
    public var name: String
    /// Semantic version, e.g. "1.0.0".
    public var version: String
    /// Free-form, e.g. "enrichment", "integration".
    public var category: String
    public var description: String
    /// The hooks the plugin implements. `.tools` is added automatically when `tools` is not empty.
    public var capabilities: PluginCapabilities
    /// JSON Schema (draft 2020-12) of the per-namespace config; nil accepts only an empty object.
    public var configSchema: String?
    public var tools: [PluginTool]

    public init(
        id: String,
        name: String,
        version: String,
        category: String,
        description: String,
        capabilities: PluginCapabilities,
        configSchema: String? = nil,
        tools: [PluginTool] = []
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.category = category
        self.description = description
        self.capabilities = tools.isEmpty ? capabilities : capabilities.union(.tools)
        self.configSchema = configSchema
        self.tools = tools
    }
}

/// The capabilities a plugin declares (`ac_capability_t`); each one installs the matching hook.
public struct PluginCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `Plugin.agentQuery(_:)`.
    public static let agentQuery = PluginCapabilities(rawValue: AC_CAP_AGENT_QUERY.rawValue)
    /// `Plugin.approvalCreated(_:)`.
    public static let approvalHook = PluginCapabilities(rawValue: AC_CAP_APPROVAL_HOOK.rawValue)
    /// `Plugin.documentReady(_:)`.
    public static let documentHook = PluginCapabilities(rawValue: AC_CAP_DOCUMENT_HOOK.rawValue)
    /// `Plugin.invokeTool(_:input:)`; implied by a non-empty `PluginDescriptor.tools`.
    public static let tools = PluginCapabilities(rawValue: AC_CAP_TOOLS.rawValue)
}

/// A JSON tool an agent can call (`AC_TOOL_JSON`): the host validates its input
/// against `inputSchema` and calls `Plugin.invokeTool(_:input:)`.
///
/// Typed tools (`AC_TOOL_TYPED`, a plain C function called through libffi)
/// are for C plugins: a Swift function has no C signature the SDK could
/// check, so the helper does not offer them.
public struct PluginTool: Sendable {
    /// `[a-z0-9_]+`, unique within the plugin.
    public var name: String
    public var description: String
    /// JSON Schema of the tool's input.
    public var inputSchema: String

    public init(name: String, description: String, inputSchema: String) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}
