import Logging
import PluginNative
import PluginWire
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A plugin served by `agentcore plugin-host` children, one at a time: starts the child,
/// relays calls and host services, kills it when a call passes its deadline, and starts a
/// new one (with backoff when it keeps dying) for the next call.
///
/// Every call runs on one of the plugin's threads and owns one of the child's sockets for its
/// duration; the host services the plugin asks for during the call are served on that same
/// thread through the server's `HostServices`, so rate limits and scoping stay the server's.
final class ProcessPluginCode: PluginCode {
    private struct State {
        var child: PluginHostChild?
        var generation: UInt64
        var spawning = false
        /// Deaths since the last successful call.
        var consecutiveFailures = 0
        var restartAt: ContinuousClock.Instant?
        var stopped = false
        var nextInstanceId: UInt64 = 1
    }

    let path: String
    let descriptor: NativeDescriptor
    private let connections: Int
    private let settings: PluginHostSettings
    private let services: any NativeHostServices
    /// Set by the loader once the descriptor passed its checks (the id is known only then).
    private let healthBox = Mutex<PluginHealth?>(nil)
    private let label: String
    private let logger: Logger
    private let state: Mutex<State>

    /// The plugin id once attached, else the file name (for log lines).
    var pluginId: String { healthBox.withLock { $0?.pluginId } ?? label }

    var isolation: PluginIsolation { .process }
    var hasDestroy: Bool { descriptor.hasDestroy }

    /// Starts the first child, which loads and describes the plugin.
    /// - Throws: `PluginHostError` with the loader's message or how the child died.
    init(
        path: String, label: String, connections: Int, settings: PluginHostSettings, services: any NativeHostServices,
        loadTimeout: Duration, logger: Logger
    ) throws(PluginHostError) {
        self.path = path
        self.label = label
        self.connections = connections
        self.settings = settings
        self.services = services
        self.logger = logger
        state = Mutex(State(generation: 1))
        // The first child reports before `self` is complete, so its exit goes through a box.
        let exitHandler = ExitHandlerBox()
        let (child, descriptor) = try PluginHostChild.spawn(
            path: path, connections: connections, settings: settings, generation: 1,
            pluginLabel: label, logger: logger, deadline: .now + loadTimeout,
            onExit: { child, status, reason in exitHandler.handler.withLock { $0 }?(child, status, reason) }
        )
        self.descriptor = descriptor
        state.withLock { $0.child = child }
        exitHandler.handler.withLock { $0 = { [weak self] child, status, reason in self?.childExited(child, status: status, reason: reason) } }
    }

    private final class ExitHandlerBox: Sendable {
        let handler = Mutex<(@Sendable (PluginHostChild, ProcessExitStatus, PluginHostChild.KillReason?) -> Void)?>(nil)
    }

    deinit { stop() }

    /// Crashes are counted in `health` from now on.
    func attach(_ health: PluginHealth) {
        healthBox.withLock { $0 = health }
    }

    private var health: PluginHealth? { healthBox.withLock { $0 } }

    /// The pid of the running child, if any (for tests and the API).
    var childPid: Int32? { state.withLock { $0.child?.pid } }

    func stop() {
        let child = state.withLock { state in
            state.stopped = true
            defer { state.child = nil }
            return state.child
        }
        child?.kill(.stopping)
    }

    // MARK: PluginCode

    func create(context: NativeContext, config: [UInt8], deadline: ContinuousClock.Instant) -> CreateResult {
        let id = state.withLock { state in
            defer { state.nextInstanceId += 1 }
            return state.nextInstanceId
        }
        let instance = RemoteInstance(id: id, context: context, config: config)
        switch acquireChild(deadline: deadline) {
        case .failure(let failure):
            return .failed(failure.status, failure.message)
        case .success(let child):
            if let failure = bind(instance, in: child, deadline: deadline) {
                return .failed(failure.status, failure.message)
            }
            return .created(.remote(instance))
        }
    }

    func destroy(_ handle: InstanceHandle) {
        guard case .remote(let instance) = handle else { return }
        let child = state.withLock { $0.child }
        guard let child, instance.boundGeneration.withLock({ $0 }) == child.generation else { return }
        _ = exchange(.destroy(instanceId: instance.id), context: instance.context, child: child, deadline: .now + .seconds(5))
    }

    func call(_ input: HookInput, on handle: InstanceHandle, deadline: ContinuousClock.Instant) -> HookResult {
        guard case .remote(let instance) = handle else { return .failed("instance belongs to the in-process code") }
        let child: PluginHostChild
        switch acquireChild(deadline: deadline) {
        case .failure(let failure): return failure.hookResult
        case .success(let running): child = running
        }
        if let failure = bind(instance, in: child, deadline: deadline) { return failure.hookResult }
        let request: ServerMessage = switch input {
        case .agentQuery(let query): .hook(instanceId: instance.id, hook: .agentQuery, toolName: "", input: Array(query.utf8))
        case .approvalCreated(let event): .hook(instanceId: instance.id, hook: .approvalCreated, toolName: "", input: event)
        case .documentReady(let event): .hook(instanceId: instance.id, hook: .documentReady, toolName: "", input: event)
        case .toolInvoke(let name, let json): .hook(instanceId: instance.id, hook: .toolInvoke, toolName: name, input: json)
        }
        switch exchange(request, context: instance.context, child: child, deadline: deadline) {
        case .failure(let failure):
            return failure.hookResult
        case .success(.result(let status, let output, let error)):
            callSucceeded()
            let outcome = NativeCallOutcome(status: NativeStatus(rawValue: status) ?? .error, rawStatus: status, output: output, error: error)
            return HookResult.interpreting(outcome, hook: input.hookName)
        case .success:
            child.kill(.protocolError)
            return .crashed("plugin host answered \(input.hookName) with an unexpected frame")
        }
    }

    func callTyped(tool: String, arguments: [NativeValue], deadline: ContinuousClock.Instant) -> HookResult {
        let child: PluginHostChild
        switch acquireChild(deadline: deadline) {
        case .failure(let failure): return failure.hookResult
        case .success(let running): child = running
        }
        // Typed tools get no context; host services are not reachable from them.
        let context = NativeContext(pluginId: pluginId, namespaceId: "", departmentId: "", services: services)
        switch exchange(.typedCall(tool: tool, arguments: arguments), context: context, child: child, deadline: deadline) {
        case .failure(let failure):
            return failure.hookResult
        case .success(.typedResult(let value, let failure)):
            callSucceeded()
            if let value { return HookResult.interpreting(.success(value), tool: tool) }
            return .failed("tool \(tool): \(failure ?? "no result")")
        case .success:
            child.kill(.protocolError)
            return .crashed("plugin host answered a typed call with an unexpected frame")
        }
    }

    // MARK: Children

    private struct Failure: Error {
        let status: PluginCallStatus
        let message: String

        var hookResult: HookResult {
            switch status {
            case .timeout: .timedOut(message)
            case .crashed: .crashed(message)
            default: .failed(message)
            }
        }
    }

    /// The running child, or a new one (after the restart backoff) when the last one died.
    private func acquireChild(deadline: ContinuousClock.Instant) -> Result<PluginHostChild, Failure> {
        while true {
            enum Step { case use(PluginHostChild), wait, spawn(after: ContinuousClock.Instant?, generation: UInt64), stopped }
            let step: Step = state.withLock { state in
                if state.stopped { return .stopped }
                if let child = state.child { return .use(child) }
                if state.spawning { return .wait }
                state.spawning = true
                return .spawn(after: state.restartAt, generation: state.generation + 1)
            }
            switch step {
            case .use(let child):
                return .success(child)
            case .stopped:
                return .failure(Failure(status: .skipped, message: "plugin \(pluginId) was unloaded"))
            case .wait:
                if ContinuousClock.now >= deadline {
                    return .failure(Failure(status: .timeout, message: "plugin host did not restart within the call timeout"))
                }
                blockingSleep(.milliseconds(2))
            case .spawn(let after, let generation):
                if let after, after > .now {
                    guard after < deadline else {
                        let failures = state.withLock { state in
                            state.spawning = false
                            return state.consecutiveFailures
                        }
                        return .failure(Failure(
                            status: .crashed,
                            message: "plugin host is restarting after \(failures) consecutive failures; next start in \(ContinuousClock.now.duration(to: after).wholeMilliseconds) ms"
                        ))
                    }
                    blockingSleep(ContinuousClock.now.duration(to: after))
                }
                do throws(PluginHostError) {
                    let (child, _) = try PluginHostChild.spawn(
                        path: path, connections: connections, settings: settings, generation: generation,
                        pluginLabel: pluginId, logger: logger, deadline: deadline,
                        onExit: { [weak self] child, status, reason in self?.childExited(child, status: status, reason: reason) }
                    )
                    let stopped = state.withLock { state in
                        state.spawning = false
                        state.generation = generation
                        if !state.stopped { state.child = child }
                        return state.stopped
                    }
                    if stopped { child.kill(.stopping) }
                    logger.notice("plugin host started", metadata: ["pluginId": "\(pluginId)", "pid": "\(child.pid)", "generation": "\(generation)"])
                    if !stopped { return .success(child) }
                } catch {
                    let failures = state.withLock { state in
                        state.spawning = false
                        state.consecutiveFailures += 1
                        state.restartAt = .now + backoff(after: state.consecutiveFailures)
                        return state.consecutiveFailures
                    }
                    logger.error("plugin host restart failed: \(error)", metadata: ["pluginId": "\(pluginId)", "failures": "\(failures)"])
                    return .failure(Failure(status: .crashed, message: "\(error)"))
                }
            }
        }
    }

    /// Creates the instance in `child` unless it already exists there.
    private func bind(_ instance: RemoteInstance, in child: PluginHostChild, deadline: ContinuousClock.Instant) -> Failure? {
        if instance.boundGeneration.withLock({ $0 }) == child.generation { return nil }
        instance.bindLock.lock()
        defer { instance.bindLock.unlock() }
        if instance.boundGeneration.withLock({ $0 }) == child.generation { return nil }
        let request = ServerMessage.create(
            instanceId: instance.id, namespaceId: instance.context.namespaceId,
            departmentId: instance.context.departmentId, config: instance.config
        )
        switch exchange(request, context: instance.context, child: child, deadline: deadline) {
        case .failure(let failure):
            return failure
        case .success(.created(let status, let error)):
            let native = NativeStatus(rawValue: status) ?? .error
            guard native.isSuccess else {
                return Failure(status: .error, message: "create failed: " + (error ?? HookResult.describe(status: native, raw: status, hook: "create")))
            }
            instance.boundGeneration.withLock { $0 = child.generation }
            return nil
        case .success:
            child.kill(.protocolError)
            return Failure(status: .crashed, message: "plugin host answered create with an unexpected frame")
        }
    }

    /// How long a plugin thread polls for the child's answer before sleeping in poll(2): a
    /// short call's answer is back sooner, and a wake-up by the kernel costs more than the call.
    static let answerSpin: Duration = .microseconds(30)

    /// Sends `request` on a free socket of `child` and serves the plugin's host service
    /// requests until the answer arrives, the child dies, or the deadline passes (then the
    /// child is killed).
    private func exchange(
        _ request: ServerMessage, context: NativeContext, child: PluginHostChild, deadline: ContinuousClock.Instant
    ) -> Result<ChildMessage, Failure> {
        guard let (index, channel) = child.takeChannel() else {
            return .failure(died(child))
        }
        var keepChannel = true
        defer { if keepChannel { child.returnChannel(index) } }
        do throws(WireError) {
            let (kind, payload) = request.encoded()
            try channel.send(kind: kind, payload: payload)
            while true {
                let frame = try channel.receive(deadline: deadline, spin: CallLoad.isQuiet ? Self.answerSpin : .zero)
                let message = try ChildMessage(kind: frame.kind, payload: frame.payload)
                switch message {
                case .log(let level, let text, let fields):
                    services.log(context, level: NativeLogLevel(rawValue: level) ?? .info, message: text, fields: fields)
                case .httpRequest(let httpRequest):
                    let response = services.httpRequest(context, httpRequest)
                    try send(.httpResponse(response), on: channel)
                case .keyValueGet(let key):
                    let (status, value) = services.keyValueGet(context, key: key)
                    try send(.keyValueResult(status: status.rawValue, value: value), on: channel)
                case .keyValueSet(let key, let value):
                    try send(.keyValueResult(status: services.keyValueSet(context, key: key, value: value).rawValue, value: nil), on: channel)
                case .keyValueDelete(let key):
                    try send(.keyValueResult(status: services.keyValueDelete(context, key: key).rawValue, value: nil), on: channel)
                default:
                    return .success(message)
                }
            }
        } catch .timedOut {
            keepChannel = false
            child.kill(.timeout)
            logger.warning("plugin host killed: a call passed its deadline", metadata: ["pluginId": "\(pluginId)", "pid": "\(child.pid)"])
            return .failure(Failure(status: .timeout, message: "no result within the call timeout; plugin host killed"))
        } catch .malformed(let detail) {
            keepChannel = false
            child.kill(.protocolError)
            return .failure(Failure(status: .crashed, message: "plugin host sent a malformed frame (\(detail)); killed"))
        } catch {
            keepChannel = false
            return .failure(died(child))
        }
    }

    private func send(_ message: ServerMessage, on channel: WireChannel) throws(WireError) {
        let (kind, payload) = message.encoded()
        try channel.send(kind: kind, payload: payload)
    }

    /// The failure reported by a call whose child died under it.
    private func died(_ child: PluginHostChild) -> Failure {
        let status = child.waitForExit(upTo: .milliseconds(500))
        if child.killReason == .timeout {
            return Failure(status: .crashed, message: "plugin host was killed after another call timed out")
        }
        return Failure(status: .crashed, message: "plugin host crashed: \(status?.description ?? "unknown exit")")
    }

    private func callSucceeded() {
        state.withLock { state in
            state.consecutiveFailures = 0
            state.restartAt = nil
        }
    }

    /// Called by the child's exit watch: forgets the child, schedules the restart, counts the crash.
    private func childExited(_ child: PluginHostChild, status: ProcessExitStatus, reason: PluginHostChild.KillReason?) {
        let failures: Int? = state.withLock { state in
            guard state.child === child else { return nil }
            state.child = nil
            guard reason != .stopping else { return nil }
            state.consecutiveFailures += 1
            state.restartAt = .now + backoff(after: state.consecutiveFailures)
            return state.consecutiveFailures
        }
        let metadata: Logger.Metadata = ["pluginId": "\(pluginId)", "pid": "\(child.pid)"]
        switch reason {
        case .stopping:
            logger.debug("plugin host stopped", metadata: metadata)
        case .timeout:
            logger.warning("plugin host killed after a call timed out: \(status)", metadata: metadata)
        case .protocolError:
            logger.error("plugin host killed after a protocol error: \(status)", metadata: metadata)
            health?.recordFailure("protocol error")
        case nil:
            logger.error("plugin host crashed: \(status)", metadata: metadata.merging(["consecutiveFailures": "\(failures ?? 0)"]) { $1 })
            health?.recordFailure("crashed: \(status)")
        }
    }

    private func backoff(after failures: Int) -> Duration {
        guard failures > 1 else { return .zero }
        let exponent = min(failures - 2, 16)
        return min(.milliseconds(50) * (1 << exponent), settings.maxRestartBackoff)
    }

}

/// Sleeps the calling (plugin) thread.
func blockingSleep(_ duration: Duration) {
    guard duration > .zero else { return }
    var request = timespec(
        tv_sec: Int(duration.components.seconds),
        tv_nsec: Int(duration.components.attoseconds / 1_000_000_000)
    )
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}
