import PluginWire
import Synchronization

/// How a native call handed to a plugin thread ended, as seen by the awaiting caller.
enum CallOutcome<Value: Sendable>: Sendable {
    case completed(Value, finishedAt: ContinuousClock.Instant)
    case timedOut(finishedAt: ContinuousClock.Instant)
    case saturated(busy: Int)
    case stopped
}

/// One native call in flight: the job run on a plugin thread, its deadline, and the single
/// waiter awaiting its outcome.
///
/// Exactly one of "the job finished" and "the deadline passed" settles the call; the other is
/// ignored. A call that times out while running keeps its thread and counts as stuck until
/// the native code returns; its late value goes to `late` (e.g. destroy an instance whose
/// `create` finished after its timeout). A call that times out before a thread picked it up is
/// never run.
final class PendingCall<Value: Sendable>: Sendable, DeadlineTarget {
    private enum Phase {
        case queued
        case running
        /// Settled by the job.
        case finished
        /// Settled by the deadline while queued (the job will be skipped).
        case expiredQueued
        /// Settled by the deadline while running (the thread is stuck until the job returns).
        case expiredRunning
    }

    private struct State {
        var phase = Phase.queued
        var work: (@Sendable () -> Value)?
        var outcome: CallOutcome<Value>?
        var waiter: UnsafeContinuation<CallOutcome<Value>, Never>?
    }

    private let state: Mutex<State>
    /// Set once `state.outcome` is, for waiters that poll without the lock.
    private let settled = Atomic<Bool>(false)
    private let late: (@Sendable (Value) -> Void)?
    private let executor: PluginExecutor

    private init(work: @escaping @Sendable () -> Value, late: (@Sendable (Value) -> Void)?, executor: PluginExecutor) {
        state = Mutex(State(work: work))
        self.late = late
        self.executor = executor
    }

    /// Hands `work` to `executor` under a deadline `timeout` from now.
    /// - Returns: the call to await, or the refusal when the executor is saturated or stopped.
    static func start(
        on executor: PluginExecutor, deadlines: DeadlineReaper, timeout: Duration,
        late: (@Sendable (Value) -> Void)? = nil, work: @escaping @Sendable () -> Value
    ) -> Result<PendingCall<Value>, Refusal> {
        let call = PendingCall(work: work, late: late, executor: executor)
        CallLoad.started()
        switch executor.tryRun({ call.runOnPluginThread() }) {
        case .accepted:
            deadlines.add(call, deadline: .now + timeout)
            return .success(call)
        case .saturated(let busy):
            CallLoad.settled()
            return .failure(.saturated(busy: busy))
        case .stopped:
            CallLoad.settled()
            return .failure(.stopped)
        }
    }

    enum Refusal: Error {
        case saturated(busy: Int)
        case stopped

        var outcome: CallOutcome<Value> {
            switch self {
            case .saturated(let busy): .saturated(busy: busy)
            case .stopped: .stopped
            }
        }
    }

    /// Waits for the outcome (at most until the deadline, plus the reaper's latency).
    ///
    /// When the plugin's recent calls were short and no other call is in flight (`CallLoad`),
    /// the caller first spins briefly for the result: suspending and being resumed by the
    /// plugin thread costs a futex wake-up of a pool thread, several times a short call.
    func outcome() async -> CallOutcome<Value> {
        if CallLoad.isQuiet, executor.recentRunTime < Self.spinForCallsUnder {
            _ = SpinWait.until(budget: Self.spinForCallsUnder) { settled.load(ordering: .acquiring) }
        }
        if settled.load(ordering: .acquiring), let outcome = state.withLock({ $0.outcome }) {
            return outcome
        }
        return await withUnsafeContinuation { continuation in
            let ready: CallOutcome<Value>? = state.withLock { state in
                if let outcome = state.outcome { return outcome }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Calls whose recent run time is under this are waited for by spinning first, for at most as long.
    static var spinForCallsUnder: Duration { .microseconds(50) }

    var isSettled: Bool {
        settled.load(ordering: .acquiring)
    }

    private func runOnPluginThread() {
        let work: (@Sendable () -> Value)? = state.withLock { state in
            guard state.phase == .queued else { return nil }
            state.phase = .running
            defer { state.work = nil }
            return state.work
        }
        guard let work else { return }
        let value = work()
        let finishedAt = ContinuousClock.now
        let (waiter, settled): (UnsafeContinuation<CallOutcome<Value>, Never>?, Bool) = state.withLock { state in
            guard state.phase == .running else { return (nil, false) }
            state.phase = .finished
            let outcome = CallOutcome.completed(value, finishedAt: finishedAt)
            state.outcome = outcome
            self.settled.store(true, ordering: .releasing)
            defer { state.waiter = nil }
            return (state.waiter, true)
        }
        if settled {
            CallLoad.settled()
            waiter?.resume(returning: .completed(value, finishedAt: finishedAt))
        } else {
            executor.stuckCount.subtract(1, ordering: .relaxed)
            late?(value)
        }
    }

    func expire() {
        let now = ContinuousClock.now
        let (waiter, stuck, settled): (UnsafeContinuation<CallOutcome<Value>, Never>?, Bool, Bool) = state.withLock { state in
            switch state.phase {
            case .queued: state.phase = .expiredQueued; state.work = nil
            case .running: state.phase = .expiredRunning
            case .finished, .expiredQueued, .expiredRunning: return (nil, false, false)
            }
            state.outcome = .timedOut(finishedAt: now)
            self.settled.store(true, ordering: .releasing)
            defer { state.waiter = nil }
            return (state.waiter, state.phase == .expiredRunning, true)
        }
        guard settled else { return }
        CallLoad.settled()
        if stuck { executor.stuckCount.add(1, ordering: .relaxed) }
        waiter?.resume(returning: .timedOut(finishedAt: now))
    }
}
