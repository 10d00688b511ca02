import Synchronization

/// One fill of a namespace's snapshot in progress: the lookup that started it builds the
/// snapshot in its own task, and concurrent lookups of the same generation wait for it here.
///
/// Building inline (rather than in a new `Task`) saves the two scheduler hops of spawning a
/// task and resuming its awaiter on the path that matters most: the first call after a
/// config change.
final class NamespaceFill: Sendable {
    typealias Outcome = Result<NamespaceSnapshot, DispatchError>

    private struct State {
        var outcome: Outcome?
        var waiters: [UnsafeContinuation<Outcome, Never>] = []
    }

    let generation: UInt64
    private let state = Mutex(State())

    init(generation: UInt64) {
        self.generation = generation
    }

    /// Hands the outcome to every waiter, present and future. Called once, by the builder.
    func complete(_ outcome: Outcome) {
        let waiters = state.withLock { state in
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    /// Waits for the builder's outcome.
    func outcome() async -> Outcome {
        await withUnsafeContinuation { continuation in
            let ready: Outcome? = state.withLock { state in
                if let outcome = state.outcome { return outcome }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
