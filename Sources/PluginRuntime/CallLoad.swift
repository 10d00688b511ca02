import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How busy the process's native calls are: what decides whether a thread waiting for a
/// hand-off may spin.
///
/// Spinning pays when the machine has a core to spare: one caller making calls back to back.
/// Under concurrent load (many requests, each with its calls) every core has queued work, a
/// spinning thread takes the CPU that the thread it waits for, or another request, needs, and
/// the futex wake-ups it saves are cheap anyway because the woken threads were about to run.
/// So threads spin only while at most one call is in flight and no two calls have overlapped
/// for `quietPeriod`: calls overlap often under load even when each call is short.
enum CallLoad {
    private static let inFlight = Atomic<Int>(0)
    /// CLOCK_MONOTONIC nanoseconds when a call last started while another was in flight.
    private static let lastOverlap = Atomic<Int>(0)
    private static let quietPeriodNanos = 20_000_000

    static func started() {
        if inFlight.wrappingAdd(1, ordering: .relaxed).newValue > 1 {
            lastOverlap.store(now(), ordering: .relaxed)
        }
    }

    static func settled() { inFlight.subtract(1, ordering: .relaxed) }

    /// Whether a thread waiting for the one call in flight (or for the next call) should spin.
    static var isQuiet: Bool {
        inFlight.load(ordering: .relaxed) <= 1 && now() - lastOverlap.load(ordering: .relaxed) > quietPeriodNanos
    }

    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }
}
