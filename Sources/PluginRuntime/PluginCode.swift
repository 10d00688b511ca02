import AgentCoreJSON
import PluginNative

/// A hook's input, as the code behind a plugin receives it.
enum HookInput: Sendable {
    case agentQuery(String)
    case approvalCreated([UInt8])
    case documentReady([UInt8])
    case toolInvoke(name: String, input: [UInt8])

    /// The C name of the hook, for messages.
    var hookName: String {
        switch self {
        case .agentQuery: "on_agent_query"
        case .approvalCreated: "on_approval_created"
        case .documentReady: "on_document_ready"
        case .toolInvoke: "on_tool_invoke"
        }
    }
}

/// What a hook call produced, decided on the plugin thread (the output is parsed there, once).
enum HookResult: Sendable {
    case ok(JSONValue?)
    case failed(String)
    /// The plugin-host child died during the call (crash, abort, exit, killed).
    case crashed(String)
    /// The call passed its deadline and its plugin-host child was killed.
    case timedOut(String)
}

/// The outcome of `create`.
enum CreateResult: Sendable {
    case created(InstanceHandle)
    case failed(PluginCallStatus, String)
}

/// A plugin instance as the code behind it knows it.
enum InstanceHandle: Sendable {
    /// The plugin's own `ac_instance_t *`, in this process.
    case native(NativeInstance)
    /// An instance living in a plugin-host child (recreated there after a restart).
    case remote(RemoteInstance)
}

/// How the runtime reaches a loaded plugin's code: in this process or in a plugin-host child.
///
/// Every method blocks its thread until the plugin answers; call them only on the plugin's
/// own threads (`PluginExecutor`), never on the cooperative pool. `deadline` is the call's
/// time bound: in-process code cannot be interrupted and ignores it, isolated code kills its
/// child when it passes.
protocol PluginCode: AnyObject, Sendable {
    var isolation: PluginIsolation { get }
    /// Whether destroy must run for each created instance.
    var hasDestroy: Bool { get }
    func create(context: NativeContext, config: [UInt8], deadline: ContinuousClock.Instant) -> CreateResult
    func destroy(_ instance: InstanceHandle)
    func call(_ input: HookInput, on instance: InstanceHandle, deadline: ContinuousClock.Instant) -> HookResult
    /// Calls a typed tool with arguments already converted to the parameter types.
    func callTyped(tool: String, arguments: [NativeValue], deadline: ContinuousClock.Instant) -> HookResult
    /// Releases what the code holds beyond the library (a child process); later calls fail.
    func stop()
}

extension HookResult {
    /// Interprets a hook's native outcome: success with parsed JSON output (none for
    /// AC_NO_RESULT), or the failure message.
    static func interpreting(_ outcome: NativeCallOutcome, hook: String) -> HookResult {
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

    /// A typed tool's return value as JSON.
    static func interpreting(_ result: Result<NativeValue, TypedCallFailure>, tool: String) -> HookResult {
        switch result {
        case .failure(let failure): return .failed("tool \(tool): \(failure.message)")
        case .success(.void): return .ok(.null)
        case .success(.int64(let value)): return .ok(.number(JSONNumber(value)))
        case .success(.int32(let value)): return .ok(.number(JSONNumber(Int(value))))
        case .success(.bool(let value)): return .ok(.bool(value))
        case .success(.string(let value)): return .ok(.string(value))
        case .success(.double(let value)):
            guard value.isFinite else { return .failed("tool \(tool) returned \(value), which JSON cannot represent") }
            return .ok(.number(JSONNumber(value)))
        }
    }

    static func describe(status: NativeStatus, raw: Int32, hook: String) -> String {
        if status.rawValue != raw { return "\(hook) returned unknown status \(raw)" }
        return "\(hook) returned \(status.name) without a message"
    }
}
