// my-plugin: an agentcore plugin in Swift. See Package.swift for the build.
//
// A plugin is a class conforming to `Plugin` plus one exported entry point.
// The SDK turns it into the C descriptor of agentcore_plugin.h: hooks that
// `capabilities` does not declare stay NULL, and an error thrown by a hook
// becomes an error status with the error's description as message.
import AgentCorePlugin

/// The namespace's config, validated by the host against `configSchema`
/// (with its defaults applied) before `init` sees it.
struct Config: Decodable, Sendable {
    var greeting: String?
}

final class MyPlugin: Plugin {
    static let descriptor = PluginDescriptor(
        id: "my-plugin",
        name: "my-plugin",
        version: "0.1.0",
        category: "enrichment",
        description: "Greets the agent's query with the namespace's greeting.",
        capabilities: [.agentQuery],
        configSchema: #"{"type":"object","properties":{"greeting":{"type":"string","default":"Hello","maxLength":200}},"additionalProperties":false}"#,
        tools: [
            PluginTool(
                name: "shout",
                description: "Returns the text in upper case.",
                inputSchema: #"{"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}"#
            ),
        ]
    )

    private let greeting: String
    private let context: PluginContext

    // One instance per namespace; hooks may run concurrently, so the
    // instance keeps only immutable state.
    init(config: JSONText, context: PluginContext) throws {
        self.greeting = try config.decode(Config.self).greeting ?? "Hello"
        self.context = context
    }

    private struct Answer: Encodable {
        let greeting: String
        let query: String
        let namespaceId: String
    }

    /// Returns nil ("nothing to add") for an empty query.
    func agentQuery(_ query: String) throws -> JSONText? {
        guard !query.isEmpty else { return nil }
        context.log(.debug, "answering a query", fields: ["characters": String(query.count)])
        return try JSONText(encoding: Answer(greeting: greeting, query: query, namespaceId: context.namespaceId))
    }

    private struct ShoutInput: Decodable {
        let text: String
    }

    func invokeTool(_ name: String, input: JSONText) throws -> JSONText {
        switch name {
        case "shout":
            return .string(try input.decode(ShoutInput.self).text.uppercased())
        default:
            throw PluginError.notFound("unknown tool '\(name)'")
        }
    }
}

// The one exported symbol. Swift 6.3's `@c @implementation` checks it against
// the prototype in agentcore_plugin.h; older compilers use `@_cdecl`. It must
// be public: a release build drops the export of an internal function.
#if compiler(>=6.3.1)
@c @implementation
public func ac_plugin_entry(_ host: UnsafePointer<ac_host_api_t>?) -> UnsafePointer<ac_plugin_descriptor_t>? {
    PluginExport.entry(MyPlugin.self, host: host)
}
#else
@_cdecl("ac_plugin_entry")
public func ac_plugin_entry(_ host: UnsafePointer<ac_host_api_t>?) -> UnsafePointer<ac_plugin_descriptor_t>? {
    PluginExport.entry(MyPlugin.self, host: host)
}
#endif
