import AgentCoreJSON
import Logging
import PluginNative

/// Runs native calls on plugin threads under the call timeout and turns their outcomes into
/// `PluginCallResult`s, recording statistics and logging every failure.
struct PluginCallRunner: Sendable {
    let deadlines: DeadlineReaper
    let timeout: Duration
    let logger: Logger

    /// Runs `work` on one of `plugin`'s threads and waits for it, at most until the timeout.
    func run<Value: Sendable>(
        _ plugin: LoadedPlugin, late: (@Sendable (Value) -> Void)? = nil, work: @escaping @Sendable () -> Value
    ) async -> CallOutcome<Value> {
        switch PendingCall.start(on: plugin.executor, deadlines: deadlines, timeout: timeout, late: late, work: work) {
        case .success(let call): await call.outcome()
        case .failure(let refusal): refusal.outcome
        }
    }

    /// A hook call handed to a plugin thread, not yet awaited (lets a fan-out start every call before waiting).
    struct StartedCall: Sendable {
        enum Start: Sendable {
            case pending(PendingCall<HookResult>)
            case refused(PendingCall<HookResult>.Refusal)
            case quarantined(String)
        }

        let slot: InstallSlot
        let plugin: LoadedPlugin
        let namespaceId: String
        let startedAt: ContinuousClock.Instant
        let start: Start
    }

    /// Starts `work` on the slot's plugin thread, unless the plugin is quarantined. `work`
    /// receives the call's deadline (isolated code kills its child when it passes).
    func start(
        _ slot: InstallSlot, plugin: LoadedPlugin, namespaceId: String,
        work: @escaping @Sendable (ContinuousClock.Instant) -> HookResult
    ) -> StartedCall {
        let now = ContinuousClock.now
        if let quarantine = plugin.health.quarantine {
            return StartedCall(slot: slot, plugin: plugin, namespaceId: namespaceId, startedAt: now, start: .quarantined(Self.quarantinedMessage(plugin.id, quarantine)))
        }
        let deadline = now + timeout
        let start: StartedCall.Start = switch PendingCall.start(on: plugin.executor, deadlines: deadlines, timeout: timeout, work: { work(deadline) }) {
        case .success(let pending): .pending(pending)
        case .failure(let refusal): .refused(refusal)
        }
        return StartedCall(slot: slot, plugin: plugin, namespaceId: namespaceId, startedAt: now, start: start)
    }

    static func quarantinedMessage(_ pluginId: String, _ quarantine: PluginQuarantine) -> String {
        "plugin \(pluginId) is quarantined (\(quarantine.reason)); an operator re-activates it with PATCH /api/v1/plugins/\(pluginId) {\"state\":\"active\"}"
    }

    /// Waits for a started call and reports it.
    func finish(_ call: StartedCall) async -> PluginCallResult {
        let outcome: CallOutcome<HookResult>
        switch call.start {
        case .pending(let pending): outcome = await pending.outcome()
        case .refused(let refusal): outcome = refusal.outcome
        case .quarantined(let message):
            let result = PluginCallResult(pluginId: call.slot.pluginId, status: .skipped, error: message, durationMs: 0)
            report(result, slot: call.slot, namespaceId: call.namespaceId)
            return result
        }
        let milliseconds: (ContinuousClock.Instant) -> Double = { end in
            let elapsed = call.startedAt.duration(to: end)
            return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
        }
        let result: PluginCallResult = switch outcome {
        case .completed(.ok(let data), let end):
            PluginCallResult(pluginId: call.slot.pluginId, status: .ok, data: data, durationMs: milliseconds(end))
        case .completed(.failed(let message), let end):
            PluginCallResult(pluginId: call.slot.pluginId, status: .error, error: message, durationMs: milliseconds(end))
        case .completed(.crashed(let message), let end):
            PluginCallResult(pluginId: call.slot.pluginId, status: .crashed, error: message, durationMs: milliseconds(end))
        case .completed(.timedOut(let message), let end):
            PluginCallResult(pluginId: call.slot.pluginId, status: .timeout, error: message, durationMs: milliseconds(end))
        case .timedOut(let end):
            PluginCallResult(
                pluginId: call.slot.pluginId, status: .timeout,
                error: "no result within \(timeout.wholeMilliseconds) ms", durationMs: milliseconds(end)
            )
        case .saturated(let busy):
            PluginCallResult(pluginId: call.slot.pluginId, status: .skipped, error: Self.saturatedMessage(busy: busy), durationMs: milliseconds(.now))
        case .stopped:
            PluginCallResult(pluginId: call.slot.pluginId, status: .skipped, error: "the plugin runtime is shutting down", durationMs: milliseconds(.now))
        }
        if result.status == .timeout { call.plugin.health.recordFailure("timeout") }
        report(result, slot: call.slot, namespaceId: call.namespaceId)
        return result
    }

    /// Records `result` in the slot's statistics and logs it when it is a failure.
    func report(_ result: PluginCallResult, slot: InstallSlot, namespaceId: String) {
        slot.statistics.record(result.status, error: result.error)
        guard result.status != .ok else { return }
        logger.warning("plugin call \(result.status.rawValue): \(result.error ?? "")", metadata: [
            "pluginId": .string(result.pluginId), "namespaceId": .string(namespaceId),
        ])
    }

    static func saturatedMessage(busy: Int) -> String {
        "plugin saturated: \(busy) threads busy"
    }

}
