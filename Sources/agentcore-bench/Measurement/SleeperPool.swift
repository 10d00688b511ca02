import Dispatch
import Foundation

/// Threads that each sleep 10 ms when told to, together: the floor of the fan-out scenario
/// (what 20 plugins sleeping in parallel cost with no host around them).
final class SleeperPool: @unchecked Sendable {
    // @unchecked: only semaphores are shared between the threads.
    private let start = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let count: Int
    private let stopping = ManagedAtomicFlag()

    init(threads count: Int, sleepMilliseconds: Int) {
        self.count = count
        for _ in 0..<count {
            let thread = Thread { [start, done, stopping] in
                while true {
                    start.wait()
                    if stopping.isSet { return }
                    var delay = timespec(tv_sec: 0, tv_nsec: sleepMilliseconds * 1_000_000)
                    var remaining = timespec()
                    while nanosleep(&delay, &remaining) != 0 { delay = remaining }
                    done.signal()
                }
            }
            thread.start()
        }
    }

    /// Wakes every thread and waits until all slept: one fan-out round, in nanoseconds.
    func round() -> UInt64 {
        let begin = MonotonicClock.nanoseconds()
        for _ in 0..<count { start.signal() }
        for _ in 0..<count { done.wait() }
        return MonotonicClock.nanoseconds() - begin
    }

    func stop() {
        stopping.set()
        for _ in 0..<count { start.signal() }
    }
}

/// A set-once flag.
final class ManagedAtomicFlag: @unchecked Sendable {
    // @unchecked: guarded by the lock.
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
