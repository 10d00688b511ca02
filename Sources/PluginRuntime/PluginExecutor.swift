import Foundation
import Synchronization

/// A bounded pool of dedicated threads running one plugin's native calls.
///
/// Native code never runs on the cooperative pool (PITFALLS): callers hand a job to the
/// executor and await a `PendingCall`. Threads are started lazily up to `maxThreads`; a
/// thread whose call timed out stays occupied until the native code returns, so it keeps
/// counting against the cap. When every thread is busy a new call is refused (`saturated`)
/// instead of queuing behind a stuck plugin. Idle threads exit after `idleTimeout`.
final class PluginExecutor: @unchecked Sendable {
    // @unchecked: every mutable property below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var queue = JobQueue()
    private var threadCount = 0
    private var idleCount = 0
    private var busyCount = 0
    private var stopping = false
    private var nextThreadNumber = 0

    let name: String
    let maxThreads: Int
    /// Calls that timed out and whose native code is still running.
    let stuckCount = Atomic<Int>(0)
    private static let idleTimeout: TimeInterval = 60

    init(name: String, maxThreads: Int) {
        self.name = name
        self.maxThreads = max(1, maxThreads)
    }

    enum Admission {
        case accepted
        /// Every thread is occupied; `busy` threads are running (or stuck in) native calls.
        case saturated(busy: Int)
        case stopped
    }

    /// Runs `job` on a plugin thread unless every thread is occupied.
    func tryRun(_ job: @escaping @Sendable () -> Void) -> Admission {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return .stopped }
        if busyCount + queue.count >= maxThreads { return .saturated(busy: busyCount) }
        enqueueLocked(job)
        return .accepted
    }

    /// Runs `job` as soon as a thread is free, even past the cap's admission check or while
    /// stopping: used for `destroy`, which must happen exactly once per instance.
    func runEventually(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        enqueueLocked(job)
    }

    /// Threads currently running a job (including stuck ones) and jobs waiting for a thread.
    var load: (busy: Int, queued: Int, threads: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (busyCount, queue.count, threadCount)
    }

    /// Lets idle threads exit; threads finish their current job (and any queued one) first.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func enqueueLocked(_ job: @escaping @Sendable () -> Void) {
        queue.append(job)
        // Each queued job needs a thread of its own: wake an idle one, or start one while under the cap.
        if idleCount >= queue.count {
            condition.signal()
        } else if threadCount < maxThreads {
            threadCount += 1
            nextThreadNumber += 1
            let thread = Thread { [self] in workerLoop() }
            thread.name = "plugin-\(name)-\(nextThreadNumber)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func workerLoop() {
        condition.lock()
        while true {
            while queue.isEmpty && !stopping {
                idleCount += 1
                let signalled = condition.wait(until: Date(timeIntervalSinceNow: Self.idleTimeout))
                idleCount -= 1
                if !signalled && queue.isEmpty {
                    threadCount -= 1
                    condition.unlock()
                    return
                }
            }
            guard let job = queue.popFirst() else {
                // Stopping and nothing left to run.
                threadCount -= 1
                condition.unlock()
                return
            }
            busyCount += 1
            condition.unlock()
            job()
            condition.lock()
            busyCount -= 1
        }
    }
}

/// A FIFO of jobs: an array with a moving head, compacted when the head passes half of it.
private struct JobQueue {
    private var storage: [(@Sendable () -> Void)?] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    mutating func append(_ job: @escaping @Sendable () -> Void) {
        storage.append(job)
    }

    mutating func popFirst() -> (@Sendable () -> Void)? {
        guard head < storage.count else { return nil }
        let job = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return job
    }
}
