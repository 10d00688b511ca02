import AgentCoreJSON
import Foundation
import JSONSchema
import Logging
import PluginNative
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds plugin files, opens them and applies every load rule.
///
/// Rules, in order: the file is an ELF shared object for this machine; dlopen (RTLD_NOW |
/// RTLD_LOCAL) succeeds; `ac_plugin_entry` exists and returns a descriptor; the ABI major is
/// the host's and the minor is not newer; id matches `[a-z0-9][a-z0-9-]*` (at most 64 bytes)
/// and is unique; version is semver; the config schema and every tool schema compile; each
/// declared capability has its hook (tools: tool_count > 0, and `on_tool_invoke` when any tool
/// is a JSON tool); `create` is present. A file that breaks one is skipped with one log line
/// naming the file and the reason; the others still load.
struct PluginLoader: Sendable {
    /// The prefix of built-in plugin files in the built-in directory.
    static let builtinPrefix = "libagentcore-builtin-"

    let maxThreadsPerPlugin: Int
    let logger: Logger

    struct Result: Sendable {
        var plugins: [LoadedPlugin] = []
        var failures: [PluginLoadFailure] = []
    }

    /// Loads `libagentcore-builtin-*.so` from `builtinDirectory` and `*.so` from each plugin
    /// directory (sorted by file name within a directory). A file reached twice (same device
    /// and inode) is loaded once; a missing plugin directory is skipped with a log line.
    func loadAll(builtinDirectory: String, pluginDirectories: [String]) -> Result {
        var result = Result()
        var seenFiles = Set<FileIdentity>()
        var byId: [String: LoadedPlugin] = [:]

        func consider(_ path: String, source: PluginSource) {
            guard let identity = FileIdentity(path: path) else {
                record(PluginLoadError(path: path, reason: "cannot stat file"), into: &result)
                return
            }
            guard seenFiles.insert(identity).inserted else {
                logger.debug("plugin file already loaded through another path", metadata: ["path": "\(path)"])
                return
            }
            do throws(PluginLoadError) {
                let plugin = try load(path: path, source: source)
                if let existing = byId[plugin.id] {
                    throw PluginLoadError(path: path, reason: "duplicate plugin id \(plugin.id): already loaded from \(existing.info.path)")
                }
                byId[plugin.id] = plugin
                result.plugins.append(plugin)
                logger.info("plugin loaded", metadata: [
                    "pluginId": "\(plugin.id)", "version": "\(plugin.info.version)", "path": "\(path)",
                    "source": "\(source.rawValue)",
                ])
            } catch {
                record(error, into: &result)
            }
        }

        for path in listFiles(in: builtinDirectory, required: true, prefix: Self.builtinPrefix) {
            consider(path, source: .builtin)
        }
        for directory in pluginDirectories {
            for path in listFiles(in: directory, required: false, prefix: "") {
                consider(path, source: .directory)
            }
        }
        result.plugins.sort { $0.id < $1.id }
        return result
    }

    private func record(_ error: PluginLoadError, into result: inout Result) {
        // The one log line per refused file.
        logger.error("plugin not loaded: \(error.reason)", metadata: ["path": "\(error.path)"])
        result.failures.append(PluginLoadFailure(path: error.path, reason: error.reason))
    }

    private func listFiles(in directory: String, required: Bool, prefix: String) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            if required {
                logger.warning("cannot read built-in plugin directory", metadata: ["directory": "\(directory)"])
            } else {
                logger.info("plugin directory not found, skipped", metadata: ["directory": "\(directory)"])
            }
            return []
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".so") }
            .sorted()
            .map { base + $0 }
    }

    /// Opens one file and applies every rule except id uniqueness (which needs the other plugins).
    /// - Throws: `PluginLoadError` naming the first rule broken.
    func load(path: String, source: PluginSource) throws(PluginLoadError) -> LoadedPlugin {
        let native: NativePlugin
        do {
            native = try NativePlugin(path: path)
        } catch {
            throw PluginLoadError(path: path, reason: error.message)
        }
        let d = native.descriptor
        func refuse(_ reason: String) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }

        guard let id = d.id else { throw refuse("descriptor has no id") }
        guard Self.isValidId(id) else {
            throw refuse("invalid plugin id \"\(id)\": must match [a-z0-9][a-z0-9-]* and be at most 64 bytes")
        }
        guard let version = d.version else { throw refuse("plugin \(id) has no version") }
        guard SemanticVersion.isValid(version) else { throw refuse("plugin \(id) version \"\(version)\" is not semver") }
        guard d.hasCreate else { throw refuse("plugin \(id) has no create function") }

        // Config schema: NULL accepts only an empty object.
        let schemaValue: JSONValue
        if let text = d.configSchema {
            do {
                schemaValue = try JSONValue(parsing: text)
            } catch {
                throw refuse("config schema is not valid JSON: \(error)")
            }
        } else {
            schemaValue = ["type": "object", "maxProperties": 0]
        }
        let configSchema: JSONSchema
        do {
            configSchema = try JSONSchema(compiling: schemaValue)
        } catch {
            throw refuse("config schema does not compile: \(error)")
        }

        // Capabilities against hooks.
        let unknown = d.capabilities & ~NativeDescriptor.knownCapabilities
        guard unknown == 0 else { throw refuse("unknown capability bits 0x\(String(unknown, radix: 16))") }
        var capabilities: [PluginCapability] = []
        let checks: [(PluginCapability, UInt32, Bool, String)] = [
            (.agentQuery, NativeDescriptor.capabilityAgentQuery, d.hasAgentQuery, "on_agent_query"),
            (.approvalHook, NativeDescriptor.capabilityApprovalHook, d.hasApprovalCreated, "on_approval_created"),
            (.documentHook, NativeDescriptor.capabilityDocumentHook, d.hasDocumentReady, "on_document_ready"),
        ]
        for (capability, bit, present, hook) in checks where d.capabilities & bit != 0 {
            guard present else { throw refuse("capability \(capability.rawValue) declared without \(hook)") }
            capabilities.append(capability)
        }
        var tools: [String: LoadedTool] = [:]
        if d.capabilities & NativeDescriptor.capabilityTools != 0 {
            guard !d.tools.isEmpty else { throw refuse("capability tools declared with tool_count 0") }
            for tool in d.tools {
                let loaded = try loadTool(tool, pluginId: id, hasToolInvoke: d.hasToolInvoke, path: path)
                guard tools.updateValue(loaded, forKey: loaded.definition.name) == nil else {
                    throw refuse("duplicate tool name \(loaded.definition.name)")
                }
            }
            capabilities.append(.tools)
        }

        let info = PluginInfo(
            id: id, name: d.name ?? id, version: version, category: d.category ?? "",
            description: d.description ?? "", capabilities: capabilities, configSchema: schemaValue,
            tools: tools.values.map(\.definition).sorted { $0.name < $1.name },
            source: source, path: path, abiVersion: "\(d.abiMajor).\(d.abiMinor)"
        )
        return LoadedPlugin(info: info, native: native, configSchema: configSchema, tools: tools, maxThreads: maxThreadsPerPlugin)
    }

    private func loadTool(_ tool: NativeTool, pluginId: String, hasToolInvoke: Bool, path: String) throws(PluginLoadError) -> LoadedTool {
        func refuse(_ reason: String) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }
        guard let name = tool.name, Self.isValidToolName(name) else {
            throw refuse("invalid tool name \"\(tool.name ?? "NULL")\": must match [a-z0-9_]+")
        }
        func compile(_ value: JSONValue, what: String) throws(PluginLoadError) -> JSONSchema {
            do {
                return try JSONSchema(compiling: value)
            } catch {
                throw refuse("tool \(name) \(what) does not compile: \(error)")
            }
        }
        var declared: JSONValue?
        if let text = tool.inputSchema {
            do {
                declared = try JSONValue(parsing: text)
            } catch {
                throw refuse("tool \(name) input schema is not valid JSON: \(error)")
            }
        }
        switch tool.kind {
        case .json:
            guard hasToolInvoke else { throw refuse("JSON tool \(name) declared without on_tool_invoke") }
            guard let declared else { throw refuse("JSON tool \(name) has no input schema") }
            return LoadedTool(
                definition: ToolDefinition(name: name, description: tool.description ?? "", inputSchema: declared),
                kind: .json, inputSchema: try compile(declared, what: "input schema"), parameterSchema: nil
            )
        case .typed:
            guard let function = tool.function else { throw refuse("typed tool \(name) has no function") }
            var seen = Set<String>()
            for parameter in tool.parameters {
                guard !parameter.name.isEmpty, seen.insert(parameter.name).inserted else {
                    throw refuse("typed tool \(name) has an empty or duplicate parameter name \"\(parameter.name)\"")
                }
            }
            let derived = LoadedTool.derivedSchema(for: tool.parameters)
            let derivedSchema = try compile(derived, what: "derived input schema")
            let definition = ToolDefinition(name: name, description: tool.description ?? "", inputSchema: declared ?? derived)
            if let declared {
                return LoadedTool(
                    definition: definition, kind: .typed(function, parameters: tool.parameters),
                    inputSchema: try compile(declared, what: "input schema"), parameterSchema: derivedSchema
                )
            }
            return LoadedTool(
                definition: definition, kind: .typed(function, parameters: tool.parameters),
                inputSchema: derivedSchema, parameterSchema: nil
            )
        case .unknown(let kind):
            throw refuse("tool \(name) has unknown kind \(kind)")
        }
    }

    /// `[a-z0-9][a-z0-9-]*`, at most 64 bytes.
    static func isValidId(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= 64, isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9_]+`.
    static func isValidToolName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The directory holding the running executable (`/proc/self/exe`'s directory).
    static func executableDirectory() -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "."
        return (executable as NSString).deletingLastPathComponent
    }
}

/// A file's device and inode (symlinks followed): two paths to the same file have the same identity.
private struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
