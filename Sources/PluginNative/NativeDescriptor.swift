/// A plugin's `ac_plugin_descriptor_t`, copied into Swift values.
///
/// Fields beyond the plugin's `struct_size` read as absent (nil / false / 0), which is how a
/// plugin built against an older minor looks. No validation policy lives here (id format,
/// capability/hook agreement, schemas): the loader applies it.
public struct NativeDescriptor: Sendable {
    /// The plugin's `struct_size`.
    public var structSize: Int
    public var abiMajor: Int
    public var abiMinor: Int
    public var id: String?
    public var name: String?
    public var version: String?
    public var category: String?
    public var description: String?
    /// Bitwise OR of `ac_capability_t`.
    public var capabilities: UInt32
    public var configSchema: String?
    public var hasCreate: Bool
    public var hasDestroy: Bool
    public var hasAgentQuery: Bool
    public var hasApprovalCreated: Bool
    public var hasDocumentReady: Bool
    public var hasToolInvoke: Bool
    public var tools: [NativeTool]

    /// `AC_CAP_*` bits.
    public static let capabilityAgentQuery: UInt32 = 1 << 0
    public static let capabilityApprovalHook: UInt32 = 1 << 1
    public static let capabilityDocumentHook: UInt32 = 1 << 2
    public static let capabilityTools: UInt32 = 1 << 3
    public static let knownCapabilities: UInt32 = 0b1111

    /// A descriptor built from values, e.g. one a plugin-host child read and sent over its socket.
    public init(
        structSize: Int, abiMajor: Int, abiMinor: Int, id: String?, name: String?, version: String?,
        category: String?, description: String?, capabilities: UInt32, configSchema: String?,
        hasCreate: Bool, hasDestroy: Bool, hasAgentQuery: Bool, hasApprovalCreated: Bool,
        hasDocumentReady: Bool, hasToolInvoke: Bool, tools: [NativeTool]
    ) {
        self.structSize = structSize
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.id = id
        self.name = name
        self.version = version
        self.category = category
        self.description = description
        self.capabilities = capabilities
        self.configSchema = configSchema
        self.hasCreate = hasCreate
        self.hasDestroy = hasDestroy
        self.hasAgentQuery = hasAgentQuery
        self.hasApprovalCreated = hasApprovalCreated
        self.hasDocumentReady = hasDocumentReady
        self.hasToolInvoke = hasToolInvoke
        self.tools = tools
    }
}

/// One `ac_tool_t`, copied into Swift values.
public struct NativeTool: Sendable {
    public enum Kind: Sendable, Hashable {
        case json
        case typed
        case unknown(UInt32)
    }

    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var type: NativeValueType
        public var description: String?

        public init(name: String, type: NativeValueType, description: String?) {
            self.name = name
            self.type = type
            self.description = description
        }
    }

    public var name: String?
    public var description: String?
    /// Required for JSON tools; optional for typed tools (then derived from `parameters`).
    public var inputSchema: String?
    public var kind: Kind
    public var parameters: [Parameter]
    public var resultType: NativeValueType
    /// The prepared libffi call of a typed tool; nil for JSON tools.
    public var function: TypedToolFunction?

    /// A tool built from values; `function` is nil when the code lives in another process.
    public init(
        name: String?, description: String?, inputSchema: String?, kind: Kind,
        parameters: [Parameter], resultType: NativeValueType, function: TypedToolFunction? = nil
    ) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.kind = kind
        self.parameters = parameters
        self.resultType = resultType
        self.function = function
    }
}
