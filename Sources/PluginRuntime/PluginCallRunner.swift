import AgentCoreJSON
import Logging
import PluginNative

/// What a hook produced, decided on the plugin thread (the output is parsed there, once).
enum HookResult: Sendable {
    case ok(JSONValue?)
    case failed(String)
}

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
        let slot: InstallSlot
        let namespaceId: String
        let startedAt: ContinuousClock.Instant
        let pending: Result<PendingCall<HookResult>, PendingCall<HookResult>.Refusal>
    }

    /// Starts `work` on the slot's plugin thread.
    func start(_ slot: InstallSlot, plugin: LoadedPlugin, namespaceId: String, work: @escaping @Sendable () -> HookResult) -> StartedCall {
        StartedCall(
            slot: slot, namespaceId: namespaceId, startedAt: .now,
            pending: PendingCall.start(on: plugin.executor, deadlines: deadlines, timeout: timeout, work: work)
        )
    }

    /// Waits for a started call and reports it.
    func finish(_ call: StartedCall) async -> PluginCallResult {
        let outcome: CallOutcome<HookResult> = switch call.pending {
        case .success(let pending): await pending.outcome()
        case .failure(let refusal): refusal.outcome
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
        case .timedOut(let end):
            PluginCallResult(
                pluginId: call.slot.pluginId, status: .timeout,
                error: "no result within \(Self.milliseconds(timeout)) ms", durationMs: milliseconds(end)
            )
        case .saturated(let busy):
            PluginCallResult(pluginId: call.slot.pluginId, status: .skipped, error: Self.saturatedMessage(busy: busy), durationMs: milliseconds(.now))
        case .stopped:
            PluginCallResult(pluginId: call.slot.pluginId, status: .skipped, error: "the plugin runtime is shutting down", durationMs: milliseconds(.now))
        }
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

    /// Interprets a hook's native outcome (on the plugin thread): success with parsed JSON
    /// output (none for AC_NO_RESULT), or the failure message.
    static func interpret(_ outcome: NativeCallOutcome, hook: String) -> HookResult {
        switch outcome.status {
        case .noResult:
            return .ok(nil)
        case .ok:
            guard let output = outcome.output else { return .ok(nil) }
            do {
                return .ok(try JSONValue(parsing: output))
            } catch {
                return .failed("plugin returned invalid JSON: \(error)")
            }
        default:
            return .failed(outcome.error ?? describe(status: outcome.status, raw: outcome.rawStatus, hook: hook))
        }
    }

    static func describe(status: NativeStatus, raw: Int32, hook: String) -> String {
        if status.rawValue != raw { return "\(hook) returned unknown status \(raw)" }
        return "\(hook) returned \(status.name) without a message"
    }

    static func saturatedMessage(busy: Int) -> String {
        "plugin saturated: \(busy) threads busy"
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
