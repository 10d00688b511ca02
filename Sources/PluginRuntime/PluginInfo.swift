public import AgentCoreJSON

/// Where a loaded plugin came from.
public enum PluginSource: String, Sendable, Codable {
    /// A `libagentcore-builtin-*.so` next to the server's executable (or in `--builtin-dir`).
    case builtin
    /// A `.so` found in one of the configured plugin directories.
    case directory
}

/// A tool a plugin offers to agents.
public struct ToolDefinition: Sendable, Hashable {
    /// `[a-z0-9_]+`, unique within its plugin.
    public let name: String
    public let description: String
    /// The JSON Schema the input is validated against before the plugin sees it
    /// (derived from the parameters for typed tools).
    public let inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// What the host knows about one loaded plugin (what `GET /api/v1/plugins` shows).
public struct PluginInfo: Sendable {
    public let id: String
    public let name: String
    public let version: String
    public let category: String
    public let description: String
    /// Declared capabilities, in `PluginCapability.allCases` order.
    public let capabilities: [PluginCapability]
    /// The config JSON Schema as declared by the plugin.
    public let configSchema: JSONValue
    public let tools: [ToolDefinition]
    public let source: PluginSource
    /// The file the plugin was loaded from.
    public let path: String
    /// The C ABI version the plugin was built for, e.g. "1.0".
    public let abiVersion: String

    public init(
        id: String, name: String, version: String, category: String, description: String,
        capabilities: [PluginCapability], configSchema: JSONValue, tools: [ToolDefinition],
        source: PluginSource, path: String, abiVersion: String
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.category = category
        self.description = description
        self.capabilities = capabilities
        self.configSchema = configSchema
        self.tools = tools
        self.source = source
        self.path = path
        self.abiVersion = abiVersion
    }

    /// True when the plugin declared `capability`.
    public func has(_ capability: PluginCapability) -> Bool {
        capabilities.contains(capability)
    }

    /// The descriptor as JSON, as `agentcore plugin check` prints it.
    public var json: JSONValue {
        .object([
            "id": .string(id),
            "name": .string(name),
            "version": .string(version),
            "category": .string(category),
            "description": .string(description),
            "abiVersion": .string(abiVersion),
            "capabilities": .array(capabilities.map { .string($0.rawValue) }),
            "configSchema": configSchema,
            "tools": .array(tools.map(\.json)),
            "source": .string(source.rawValue),
            "path": .string(path),
        ])
    }
}

extension ToolDefinition {
    /// `{name, description, inputSchema}`, as the API and `plugin check` show a tool.
    public var json: JSONValue {
        .object([
            "name": .string(name),
            "description": .string(description),
            "inputSchema": inputSchema,
        ])
    }
}
