import Foundation

/// Runs blocking `work` (dlopen, starting plugin-host children) on a thread of its own and
/// awaits it, so the cooperative pool is never blocked by it.
func runBlocking<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: work())
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
