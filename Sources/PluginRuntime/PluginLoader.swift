import AgentCoreJSON
import Foundation
import JSONSchema
import Logging
import PluginNative
import Synchronization
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
    /// How isolated plugins are started, and the services their children reach.
    var isolation: IsolationContext?
    /// Where directory plugins are copied before loading; nil loads them in place (`plugin check`).
    var privateDirectory: String?

    /// What loading a plugin into a plugin-host child needs.
    struct IsolationContext: Sendable {
        let settings: PluginHostSettings
        let services: any NativeHostServices
        let quarantine: QuarantinePolicy
        let loadTimeout: Duration
        /// The isolation a plugin gets: the operator's override for its id, else the default of
        /// its source (which is also what a nil id asks for).
        let policy: @Sendable (_ id: String?, _ source: PluginSource) -> PluginIsolation
    }

    init(maxThreadsPerPlugin: Int, logger: Logger, isolation: IsolationContext? = nil, privateDirectory: String? = nil) {
        self.maxThreadsPerPlugin = maxThreadsPerPlugin
        self.logger = logger
        self.isolation = isolation
        self.privateDirectory = privateDirectory
    }

    struct Result: Sendable {
        var plugins: [LoadedPlugin] = []
        var failures: [PluginLoadFailure] = []
    }

    /// Loads `libagentcore-builtin-*.so` from `builtinDirectory` and `*.so` from each plugin
    /// directory (sorted by file name within a directory). A file reached twice (same device
    /// and inode) is loaded once; a missing plugin directory is skipped with a log line.
    /// Files load concurrently (isolated ones each wait for their child); ids are then
    /// deduplicated in scan order.
    func loadAll(builtinDirectory: String, pluginDirectories: [String]) -> Result {
        var result = Result()
        var seenFiles = Set<FileIdentity>()
        var candidates: [(path: String, source: PluginSource)] = []

        func consider(_ path: String, source: PluginSource) {
            guard let identity = FileIdentity(path: path) else {
                record(PluginLoadError(path: path, reason: "cannot stat file"), into: &result)
                return
            }
            guard seenFiles.insert(identity).inserted else {
                logger.debug("plugin file already loaded through another path", metadata: ["path": "\(path)"])
                return
            }
            if source == .directory, let refusal = safetyRefusal(path) {
                record(refusal, into: &result)
                return
            }
            candidates.append((path, source))
        }

        for path in listFiles(in: builtinDirectory, required: true, prefix: Self.builtinPrefix) {
            consider(path, source: .builtin)
        }
        for directory in pluginDirectories {
            for path in listFiles(in: directory, required: false, prefix: "") {
                consider(path, source: .directory)
            }
        }

        let loads = concurrentMap(candidates, maxThreads: 8) { candidate -> Swift.Result<LoadedPlugin, PluginLoadError> in
            do throws(PluginLoadError) {
                return .success(try load(path: candidate.path, source: candidate.source))
            } catch {
                return .failure(error)
            }
        }
        var byId: [String: LoadedPlugin] = [:]
        for (candidate, outcome) in zip(candidates, loads) {
            switch outcome {
            case .failure(let error):
                record(error, into: &result)
            case .success(let plugin):
                if let existing = byId[plugin.id] {
                    record(PluginLoadError(path: candidate.path, reason: "duplicate plugin id \(plugin.id): already loaded from \(existing.info.path)"), into: &result)
                    continue
                }
                byId[plugin.id] = plugin
                result.plugins.append(plugin)
                logger.info("plugin loaded", metadata: [
                    "pluginId": "\(plugin.id)", "version": "\(plugin.info.version)", "path": "\(candidate.path)",
                    "source": "\(candidate.source.rawValue)", "isolation": "\(plugin.isolation.rawValue)",
                ])
            }
        }
        result.plugins.sort { $0.id < $1.id }
        return result
    }

    /// The directory safety rules (`PluginFileSafety`) as a load error, or nil when the file passes.
    func safetyRefusal(_ path: String) -> PluginLoadError? {
        do {
            _ = try PluginFileSafety.check(file: path, inDirectory: (path as NSString).deletingLastPathComponent)
            return nil
        } catch {
            return PluginLoadError(path: path, reason: error.message)
        }
    }

    /// The `*.so` files of a plugin directory, sorted; empty when it cannot be read.
    func directoryFiles(_ directory: String) -> [String] {
        listFiles(in: directory, required: false, prefix: "", quiet: true)
    }

    private func record(_ error: PluginLoadError, into result: inout Result) {
        // The one log line per refused file.
        logger.error("plugin not loaded: \(error.reason)", metadata: ["path": "\(error.path)"])
        result.failures.append(PluginLoadFailure(path: error.path, reason: error.reason))
    }

    private func listFiles(in directory: String, required: Bool, prefix: String, quiet: Bool = false) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            if quiet { return [] }
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

    /// Opens one file with the isolation the policy gives it and applies every rule except
    /// id uniqueness (which needs the other plugins).
    ///
    /// The file is first opened the way its source defaults to (built-ins in process,
    /// directory plugins in a child, so untrusted code never runs in the server unasked); when
    /// the policy wants the other isolation for its id, it is opened again that way.
    /// - Throws: `PluginLoadError` naming the first rule broken.
    func load(path: String, source: PluginSource) throws(PluginLoadError) -> LoadedPlugin {
        guard let isolation else { return try load(path: path, source: source, isolation: .inprocess) }
        let first = try load(path: path, source: source, isolation: isolation.policy(nil, source))
        let wanted = isolation.policy(first.id, source)
        guard wanted != first.isolation else { return first }
        return try load(path: path, source: source, isolation: wanted)
    }

    /// Opens one file with the given isolation and applies every rule except id uniqueness.
    /// - Throws: `PluginLoadError` naming the first rule broken, or why the child failed.
    func load(path: String, source: PluginSource, isolation wanted: PluginIsolation) throws(PluginLoadError) -> LoadedPlugin {
        let copy: PrivatePluginCopy? = if source == .directory, let privateDirectory {
            try PrivatePluginCopy(of: path, into: privateDirectory)
        } else {
            nil
        }
        let openPath = copy?.path ?? path
        let fileName = (path as NSString).lastPathComponent
        let code: any PluginCode
        let d: NativeDescriptor
        switch wanted {
        case .inprocess:
            do {
                let native = try NativePlugin(path: openPath)
                code = InProcessPluginCode(native: native)
                d = native.descriptor
            } catch {
                throw PluginLoadError(path: path, reason: error.message)
            }
        case .process:
            guard let isolation else { throw PluginLoadError(path: path, reason: "process isolation is not configured") }
            do {
                let process = try ProcessPluginCode(
                    path: openPath, label: fileName, connections: maxThreadsPerPlugin, settings: isolation.settings,
                    services: isolation.services, loadTimeout: isolation.loadTimeout, logger: logger
                )
                code = process
                d = process.descriptor
            } catch {
                throw PluginLoadError(path: path, reason: error.description)
            }
        }
        // Until the plugin is returned, a refusal must also end its child.
        var accepted = false
        defer { if !accepted { code.stop() } }
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
        let health = PluginHealth(pluginId: id, policy: isolation?.quarantine ?? QuarantinePolicy(), logger: logger)
        (code as? ProcessPluginCode)?.attach(health)
        accepted = true
        return LoadedPlugin(
            info: info, code: code, configSchema: configSchema, tools: tools, maxThreads: maxThreadsPerPlugin,
            health: health, copy: copy
        )
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
                    definition: definition, kind: .typed(parameters: tool.parameters),
                    inputSchema: try compile(declared, what: "input schema"), parameterSchema: derivedSchema
                )
            }
            return LoadedTool(
                definition: definition, kind: .typed(parameters: tool.parameters),
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
        (executablePath() as NSString).deletingLastPathComponent
    }

    /// The running executable (`/proc/self/exe`).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? "."
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

/// `transform` applied to every element on up to `maxThreads` threads of their own (the work
/// blocks: dlopen, waiting for a child), results in input order.
func concurrentMap<Element: Sendable, Value: Sendable>(
    _ elements: [Element], maxThreads: Int, _ transform: @escaping @Sendable (Element) -> Value
) -> [Value] {
    guard elements.count > 1 else { return elements.map(transform) }
    let slots = ResultSlots<Value>(count: elements.count)
    let next = Mutex(0)
    let group = DispatchGroup()
    for _ in 0..<min(maxThreads, elements.count) {
        group.enter()
        let thread = Thread {
            while true {
                let index: Int = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < elements.count else { break }
                slots.values[index] = transform(elements[index])
            }
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
    return slots.values.map { $0! }  // every slot was filled before the group finished
}

/// One result slot per element of a `concurrentMap`.
private final class ResultSlots<Value>: @unchecked Sendable {
    // @unchecked: each index is written by exactly one thread, and read after the group waits.
    let values: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: nil)
    }

    deinit {
        values.deinitialize()
        values.deallocate()
    }
}
