public import AgentCoreJSON
public import Foundation

/// One plugin installed in one namespace, as the store hands it out: the
/// config without its secrets, and the secrets (decrypted) beside it.
public struct StoredPluginInstall: Sendable, Equatable {
    public var namespaceId: String
    public var pluginId: String
    public var enabled: Bool
    /// The config with every secret field removed: what `config_json` holds.
    public var publicConfig: JSONValue
    /// The secret (writeOnly) fields, by their place in the config.
    public var secrets: [JSONPointer: JSONValue]
    /// Whether the install's event deliveries may go out concurrently; by default (false) they
    /// go out one at a time, in creation order.
    public var parallelDelivery: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        namespaceId: String,
        pluginId: String,
        enabled: Bool,
        publicConfig: JSONValue,
        secrets: [JSONPointer: JSONValue],
        parallelDelivery: Bool = false,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.namespaceId = namespaceId
        self.pluginId = pluginId
        self.enabled = enabled
        self.publicConfig = publicConfig
        self.secrets = secrets
        self.parallelDelivery = parallelDelivery
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The whole config in clear: the public part with every secret put back in place.
    public var config: JSONValue {
        // Shallow pointers first, so a parent exists before its children are put back.
        secrets.keys.sorted { $0.tokens.count < $1.tokens.count }.reduce(publicConfig) { config, pointer in
            config.replacing(at: pointer, with: secrets[pointer]!)
        }
    }

    /// The whole config with every secret shown as `placeholder`, for responses.
    public func redactedConfig(placeholder: JSONValue) -> JSONValue {
        secrets.keys.sorted { $0.tokens.count < $1.tokens.count }.reduce(publicConfig) { config, pointer in
            config.replacing(at: pointer, with: placeholder)
        }
    }
}
