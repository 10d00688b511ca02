import PluginNative

/// A plugin loaded into the server's own address space.
final class InProcessPluginCode: PluginCode {
    let native: NativePlugin

    var isolation: PluginIsolation { .inprocess }
    var hasDestroy: Bool { native.descriptor.hasDestroy }

    init(native: NativePlugin) {
        self.native = native
    }

    func create(context: NativeContext, config: [UInt8], deadline: ContinuousClock.Instant) -> CreateResult {
        let outcome = native.create(context: context, config: config)
        if outcome.status.isSuccess { return .created(.native(outcome.instance)) }
        let message = outcome.error ?? HookResult.describe(status: outcome.status, raw: outcome.rawStatus, hook: "create")
        return .failed(.error, "create failed: " + message)
    }

    func destroy(_ instance: InstanceHandle) {
        guard case .native(let handle) = instance else { return }
        native.destroy(handle)
    }

    func call(_ input: HookInput, on instance: InstanceHandle, deadline: ContinuousClock.Instant) -> HookResult {
        guard case .native(let handle) = instance else { return .failed("instance belongs to another plugin host") }
        let outcome = switch input {
        case .agentQuery(let query): native.agentQuery(handle, query: query)
        case .approvalCreated(let event): native.approvalCreated(handle, event: event)
        case .documentReady(let event): native.documentReady(handle, event: event)
        case .toolInvoke(let name, let input): native.invokeTool(handle, name: name, input: input)
        }
        return HookResult.interpreting(outcome, hook: input.hookName)
    }

    func callTyped(tool: String, arguments: [NativeValue], deadline: ContinuousClock.Instant) -> HookResult {
        guard let function = native.typedTools[tool] else { return .failed("no typed tool \(tool)") }
        return HookResult.interpreting(function.call(arguments), tool: tool)
    }

    func stop() {}
}
