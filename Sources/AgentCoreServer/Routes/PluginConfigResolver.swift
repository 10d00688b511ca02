import AgentCoreJSON
import AgentCoreStore
import JSONSchema

/// Turns the config a client sends into what is stored: stored secrets kept
/// where the client left them out or masked, schema defaults applied, the
/// whole validated, then split into its public part and its secrets.
struct PluginConfigResolver {
    /// How a secret (writeOnly) value is shown in responses, and how a client says "keep it".
    static let mask: JSONValue = "********"

    let pluginId: String
    /// nil: the plugin declares no schema and accepts only an empty object.
    let schema: JSONSchema?

    /// - Parameters:
    ///   - config: The config from the request.
    ///   - previous: The stored install on PATCH; its secrets fill in omitted or masked fields.
    /// - Returns: The config without secrets, and the secrets by pointer.
    /// - Throws: 422 with every validation error as `{path, message}`.
    func resolve(_ config: JSONValue, previous: StoredPluginInstall?) throws(APIError) -> (publicConfig: JSONValue, secrets: [JSONPointer: JSONValue]) {
        var config = config
        if let previous {
            for pointer in previous.secrets.keys.sorted(by: { $0.tokens.count < $1.tokens.count }) {
                let sent = config[pointer]
                if sent == nil || sent == Self.mask {
                    config = config.replacing(at: pointer, with: previous.secrets[pointer]!)
                }
            }
        }
        guard let schema else {
            guard config == .object([:]) else {
                throw APIError.validationFailed(
                    "plugin \(pluginId) accepts no config",
                    errors: [(path: "", message: "must be an empty object: plugin \(pluginId) declares no config schema")]
                )
            }
            return (config, [:])
        }
        let completed = schema.applyingDefaults(to: config)
        let errors = schema.validate(completed)
        guard errors.isEmpty else {
            throw APIError.validationFailed(
                "the config does not match the schema of plugin \(pluginId) (\(errors.count) error\(errors.count == 1 ? "" : "s"))",
                errors: errors.map { (path: $0.instancePath.description, message: $0.message) }
            )
        }
        var secrets: [JSONPointer: JSONValue] = [:]
        var publicConfig = completed
        // Deepest first, so removing a member never moves a pointer still to be handled.
        for pointer in schema.writeOnlyPaths(in: completed).sorted(by: { $0.tokens.count > $1.tokens.count }) {
            guard let value = completed[pointer], secrets[pointer] == nil else { continue }
            secrets[pointer] = value
            publicConfig = Self.removingSecret(at: pointer, from: publicConfig)
        }
        return (publicConfig, secrets)
    }

    /// Removes an object member; an array element becomes null instead, so the indices of the others (and their pointers) stay put.
    private static func removingSecret(at pointer: JSONPointer, from config: JSONValue) -> JSONValue {
        let parent = JSONPointer(tokens: Array(pointer.tokens.dropLast()))
        if case .array? = config[parent] {
            return config.replacing(at: pointer, with: .null)
        }
        return config.removing(at: pointer)
    }
}

extension StoredPluginInstall {
    /// `{pluginId, enabled, parallelDelivery, config, createdAt, updatedAt}` with every secret shown as `"********"`.
    var json: JSONValue {
        .object([
            "pluginId": .string(pluginId),
            "enabled": .bool(enabled),
            "parallelDelivery": .bool(parallelDelivery),
            "config": redactedConfig(placeholder: PluginConfigResolver.mask),
            "createdAt": .string(Timestamp.format(createdAt)),
            "updatedAt": .string(Timestamp.format(updatedAt)),
        ])
    }
}
