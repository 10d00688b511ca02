import CSpinWait
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Bounded busy-waiting for a hand-off between threads that usually completes within microseconds.
///
/// Parking a thread on a futex and waking it again costs 5–15 µs on each side on a small
/// virtual machine, many times the cost of a no-op plugin call; a short spin lets back-to-back
/// hand-offs (caller → plugin thread → caller) skip the kernel. After a microsecond or two the
/// spin yields the CPU every half microsecond or so, so that on a loaded machine the thread being
/// waited for can run on this core instead of being starved by the waiter.
public enum SpinWait {
    /// Spins until `done()` returns true or `budget` has passed.
    /// - Returns: whether `done()` returned true.
    @inline(__always)
    public static func until(budget: Duration, _ done: () -> Bool) -> Bool {
        if done() { return true }
        let limit = ContinuousClock.now + budget
        var iteration = 0
        while true {
            ac_spin_pause()
            if done() { return true }
            iteration &+= 1
            if iteration & 15 == 0 {
                if ContinuousClock.now >= limit { return false }
                // Past the first microsecond or two the other thread may be waiting for this very core
                // (both threads on one CPU of a busy machine): let it run.
                if iteration >= 64 { sched_yield() }
            }
        }
    }
}
