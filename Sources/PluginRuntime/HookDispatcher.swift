import AgentCoreJSON
import PluginNative

/// Runs the hooks of the plugins enabled in a namespace.
///
/// Every plugin failure (error status, timeout, saturation, invalid JSON output, an install
/// that cannot run) becomes that plugin's `PluginCallResult`, logged with its plugin and
/// namespace; only namespace-level problems are thrown.
struct HookDispatcher: Sendable {
    let registry: NamespaceRegistry
    let calls: PluginCallRunner

    /// Starts agent_query on every query plugin of the namespace at once, then gathers the
    /// results in plugin id order (the calls run concurrently on their plugins' threads, so
    /// no child task is needed per plugin).
    func query(namespaceId: String, query: String) async throws(DispatchError) -> [PluginCallResult] {
        let snapshot = try await registry.snapshot(namespaceId: namespaceId)
        let targets = snapshot.queryTargets
        var started: [PluginCallRunner.StartedCall?] = []
        var results: [PluginCallResult?] = []
        started.reserveCapacity(targets.count)
        results.reserveCapacity(targets.count)
        for slot in targets {
            switch slot.state {
            case .ready(let instance):
                let plugin = instance.plugin
                started.append(calls.start(slot, plugin: plugin, namespaceId: namespaceId) { deadline in
                    plugin.code.call(.agentQuery(query), on: instance.handle, deadline: deadline)
                })
                results.append(nil)
            case .unavailable(let status, let message, _):
                started.append(nil)
                results.append(unavailable(slot, status: status, message: message, namespaceId: namespaceId))
            }
        }
        var gathered: [PluginCallResult] = []
        gathered.reserveCapacity(targets.count)
        for index in targets.indices {
            if let result = results[index] {
                gathered.append(result)
            } else if let call = started[index] {
                gathered.append(await calls.finish(call))
            }
        }
        return gathered
    }

    /// Calls the event hook of `pluginId` in `event.namespaceId`.
    func deliver(_ event: PluginEvent, pluginId: String) async -> PluginCallResult {
        let snapshot: NamespaceSnapshot
        do {
            snapshot = try await registry.snapshot(namespaceId: event.namespaceId)
        } catch {
            let status: PluginCallStatus = error.missingNamespaceId != nil ? .skipped : .error
            return PluginCallResult(pluginId: pluginId, status: status, error: error.description, durationMs: 0)
        }
        guard let slot = snapshot.installs[pluginId], let plugin = slot.plugin else {
            return PluginCallResult(
                pluginId: pluginId, status: .skipped,
                error: "plugin \(pluginId) is not enabled in namespace \(event.namespaceId)", durationMs: 0
            )
        }
        guard plugin.info.has(event.kind.capability) else {
            return PluginCallResult(
                pluginId: pluginId, status: .skipped,
                error: "plugin \(pluginId) does not handle \(event.kind.rawValue) events", durationMs: 0
            )
        }
        switch slot.state {
        case .unavailable(let status, let message, _):
            return unavailable(slot, status: status, message: message, namespaceId: event.namespaceId)
        case .ready(let instance):
            let envelope = event.envelope.serializedBytes()
            let input: HookInput = switch event.kind {
            case .approvalCreated: .approvalCreated(envelope)
            case .documentReady: .documentReady(envelope)
            }
            let call = calls.start(slot, plugin: plugin, namespaceId: event.namespaceId) { deadline in
                plugin.code.call(input, on: instance.handle, deadline: deadline)
            }
            return await calls.finish(call)
        }
    }

    /// Enabled installs of the namespace whose plugin has the capability for `kind`, sorted.
    func subscribers(of kind: PluginEventKind, namespaceId: String) async throws(DispatchError) -> [String] {
        try await registry.snapshot(namespaceId: namespaceId).subscribers(of: kind)
    }

    /// Tools of the namespace's ready installs, sorted by plugin id then tool name.
    func tools(namespaceId: String) async throws(DispatchError) -> [(pluginId: String, tool: ToolDefinition)] {
        let snapshot = try await registry.snapshot(namespaceId: namespaceId)
        var tools: [(pluginId: String, tool: ToolDefinition)] = []
        for slot in snapshot.installs.values.sorted(by: { $0.pluginId < $1.pluginId }) {
            guard case .ready = slot.state, let plugin = slot.plugin else { continue }
            for tool in plugin.info.tools { tools.append((slot.pluginId, tool)) }
        }
        return tools
    }

    /// Validates the input, then calls the tool (through `on_tool_invoke` or libffi).
    func invokeTool(namespaceId: String, pluginId: String, tool name: String, input: JSONValue) async throws(ToolInvocationError) -> JSONValue {
        let snapshot: NamespaceSnapshot
        do {
            snapshot = try await registry.snapshot(namespaceId: namespaceId)
        } catch {
            if let missing = error.missingNamespaceId { throw .namespaceNotFound(missing) }
            throw .unavailable(error)
        }
        guard let slot = snapshot.installs[pluginId], let plugin = slot.plugin, plugin.info.has(.tools) else {
            throw .pluginNotEnabled(pluginId: pluginId, namespaceId: namespaceId)
        }
        guard let tool = plugin.tools[name] else { throw .toolNotFound(pluginId: pluginId, tool: name) }
        let errors = tool.validate(input)
        guard errors.isEmpty else { throw .invalidInput(errors) }

        let instance: PluginInstance
        switch slot.state {
        case .unavailable(let status, let message, _):
            throw .failed(unavailable(slot, status: status, message: message, namespaceId: namespaceId))
        case .ready(let ready):
            instance = ready
        }
        let call: PluginCallRunner.StartedCall
        switch tool.kind {
        case .json:
            let inputBytes = input.serializedBytes()
            call = calls.start(slot, plugin: plugin, namespaceId: namespaceId) { deadline in
                plugin.code.call(.toolInvoke(name: name, input: inputBytes), on: instance.handle, deadline: deadline)
            }
        case .typed(let parameters):
            let arguments: [NativeValue]
            switch LoadedTool.arguments(from: input, parameters: parameters) {
            case .success(let converted): arguments = converted
            case .failure(let error):
                throw .failed(unavailable(slot, status: .error, message: error.message, namespaceId: namespaceId))
            }
            call = calls.start(slot, plugin: plugin, namespaceId: namespaceId) { deadline in
                // The library stays open while `instance` (and so `plugin`) is captured.
                withExtendedLifetime(instance) { plugin.code.callTyped(tool: name, arguments: arguments, deadline: deadline) }
            }
        }
        let result = await calls.finish(call)
        guard result.status == .ok else { throw .failed(result) }
        return result.data ?? .null
    }

    /// The result of a call that was not made because the install cannot run.
    private func unavailable(_ slot: InstallSlot, status: PluginCallStatus, message: String, namespaceId: String) -> PluginCallResult {
        let result = PluginCallResult(pluginId: slot.pluginId, status: status, error: message, durationMs: 0)
        calls.report(result, slot: slot, namespaceId: namespaceId)
        return result
    }
}
