public import AgentCoreJSON

/// One enabled-or-disabled install of a plugin in a namespace, with its config in clear (secrets decrypted).
public struct PluginInstall: Sendable, Hashable {
    public var pluginId: String
    public var enabled: Bool
    /// The stored config; the registry validates it and applies the schema's defaults before `create`.
    public var config: JSONValue

    public init(pluginId: String, enabled: Bool, config: JSONValue) {
        self.pluginId = pluginId
        self.enabled = enabled
        self.config = config
    }
}

/// Every install of one namespace.
public struct NamespaceInstalls: Sendable, Hashable {
    public var namespaceId: String
    public var departmentId: String
    public var installs: [PluginInstall]

    public init(namespaceId: String, departmentId: String, installs: [PluginInstall]) {
        self.namespaceId = namespaceId
        self.departmentId = departmentId
        self.installs = installs
    }
}

/// Where the registry reads installs on a cache miss (the server's store implements it).
public protocol PluginInstallSource: Sendable {
    /// The installs of `namespaceId`; nil when the namespace does not exist.
    func installs(namespaceId: String) async throws -> NamespaceInstalls?
}
