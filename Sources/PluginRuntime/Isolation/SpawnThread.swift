import Foundation
import Synchronization

/// One thread that lives as long as the process and runs every `posix_spawn` of a child.
///
/// The kernel's parent-death signal (PR_SET_PDEATHSIG, which plugin-host children set) fires
/// when the *thread* that created the child exits, not the process: a child spawned from a
/// short-lived loader thread would be killed as soon as that thread ends.
final class SpawnThread: Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private let jobs = Mutex<[@Sendable () -> Void]>([])

    private init() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while jobs.withLock({ $0.isEmpty }) { condition.wait() }
                condition.unlock()
                let batch = jobs.withLock { jobs in
                    defer { jobs = [] }
                    return jobs
                }
                for job in batch { job() }
            }
        }
        thread.name = "plugin-host-spawner"
        thread.start()
    }

    /// Runs `work` on the spawn thread and waits for its result.
    func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Value?>(nil)
        condition.lock()
        jobs.withLock {
            $0.append {
                let value = work()
                result.withLock { $0 = value }
                done.signal()
            }
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return result.withLock { $0! }  // set before the semaphore was signalled
    }
}
