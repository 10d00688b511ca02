import PluginWire
import Foundation
import Synchronization

/// A bounded pool of dedicated threads running one plugin's native calls.
///
/// Native code never runs on the cooperative pool (PITFALLS): callers hand a job to the
/// executor and await a `PendingCall`. Threads are started lazily up to `maxThreads`; a
/// thread whose call timed out stays occupied until the native code returns, so it keeps
/// counting against the cap. When every thread is busy a new call is refused (`saturated`)
/// instead of queuing behind a stuck plugin. Idle threads exit after `idleTimeout`.
///
/// A thread that finishes a job while the runtime is quiet (`CallLoad`) spins for `idleSpin`
/// before parking: a caller that makes calls back to back then hands the next one over
/// without a futex wake-up (the wake-up alone costs several times a no-op plugin call).
final class PluginExecutor: @unchecked Sendable {
    // @unchecked: every mutable property below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var queue = JobQueue()
    private var threadCount = 0
    private var idleCount = 0
    /// Threads spinning between jobs: they look at `queuedJobs` without the lock and take the
    /// lock before popping, so a job enqueued for a spinner needs no signal.
    private var spinningCount = 0
    private var busyCount = 0
    private var stopping = false
    private var nextThreadNumber = 0

    let name: String
    let maxThreads: Int
    /// Calls that timed out and whose native code is still running.
    let stuckCount = Atomic<Int>(0)
    /// `queue.count`, written with `condition` locked, read by spinning threads without it.
    private let queuedJobs = Atomic<Int>(0)
    /// Moving average of recent jobs' run time in nanoseconds (lost updates between threads are harmless).
    private let recentRunNanos = Atomic<Int>(0)
    private static let idleTimeout: TimeInterval = 60
    static let idleSpin: Duration = .microseconds(50)

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

    /// The recent average run time of a job, for callers deciding whether to spin for its result.
    var recentRunTime: Duration {
        .nanoseconds(recentRunNanos.load(ordering: .relaxed))
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
        queuedJobs.store(queue.count, ordering: .releasing)
        // Each queued job needs a thread of its own: a spinning one takes it unasked; otherwise
        // wake an idle one, or start one while under the cap.
        if spinningCount >= queue.count {
            return
        } else if spinningCount + idleCount >= queue.count {
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
            if let job = queue.popFirst() {
                queuedJobs.store(queue.count, ordering: .releasing)
                busyCount += 1
                condition.unlock()
                let started = ContinuousClock.now
                job()
                recordRunTime(started.duration(to: .now))
                condition.lock()
                busyCount -= 1
                continue
            }
            if stopping {
                threadCount -= 1
                condition.unlock()
                return
            }
            if CallLoad.isQuiet {
                spinningCount += 1
                condition.unlock()
                _ = SpinWait.until(budget: Self.idleSpin) { queuedJobs.load(ordering: .acquiring) > 0 }
                condition.lock()
                spinningCount -= 1
            }
            // Checked with the lock held, so a job enqueued while this thread stopped spinning is not missed.
            if !queue.isEmpty || stopping { continue }
            idleCount += 1
            let signalled = condition.wait(until: Date(timeIntervalSinceNow: Self.idleTimeout))
            idleCount -= 1
            if !signalled && queue.isEmpty {
                threadCount -= 1
                condition.unlock()
                return
            }
        }
    }

    private func recordRunTime(_ duration: Duration) {
        let nanos = Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
        let average = recentRunNanos.load(ordering: .relaxed)
        recentRunNanos.store(average == 0 ? nanos : average + (nanos - average) / 8, ordering: .relaxed)
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
