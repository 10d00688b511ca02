import Foundation

/// Something with a deadline: expired by the reaper unless already settled.
protocol DeadlineTarget: AnyObject, Sendable {
    var isSettled: Bool { get }
    func expire()
}

/// One thread that expires calls whose deadline passed.
///
/// Every call of one runtime has the same timeout, so deadlines arrive in (almost exactly)
/// increasing order and a FIFO is enough: the thread sleeps until the head's deadline, and
/// adding a later deadline never has to wake it. Settled calls are dropped from the head by
/// `add` (calls mostly settle in order, so the FIFO holds about the calls in flight rather
/// than every call of the last timeout period), which keeps the hot path to one short lock.
final class DeadlineReaper: @unchecked Sendable {
    // @unchecked: `entries`, `head` and `stopped` are accessed only with `condition` locked.
    private let condition = NSCondition()
    private var entries: [(deadline: ContinuousClock.Instant, target: (any DeadlineTarget)?)] = []
    private var head = 0
    private var stopped = false
    /// When the thread will wake by itself: nil while it waits for an entry (or is running).
    private var wakesAt: ContinuousClock.Instant?

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "plugin-deadlines"
        thread.start()
    }

    func add(_ target: any DeadlineTarget, deadline: ContinuousClock.Instant) {
        condition.lock()
        while head < entries.count, entries[head].target?.isSettled ?? true {
            pop()
        }
        entries.append((deadline, target))
        // The thread already wakes by itself no later than this deadline, unless it is waiting without one.
        if wakesAt.map({ deadline < $0 }) ?? true { condition.signal() }
        condition.unlock()
    }

    /// Ends the thread; pending deadlines are expired first.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            if head == entries.count {
                entries.removeAll(keepingCapacity: true)
                head = 0
                if stopped { break }
                wakesAt = nil
                condition.wait()
                continue
            }
            let entry = entries[head]
            let remaining = ContinuousClock.now.duration(to: entry.deadline)
            if remaining <= .zero || stopped {
                pop()
                guard let target = entry.target, !target.isSettled else { continue }
                condition.unlock()
                target.expire()
                condition.lock()
            } else {
                // Sleeps until the head's deadline even when the head is already settled: waking
                // earlier to drop it would cost a wake-up per call, and `add` drops it anyway.
                let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
                wakesAt = entry.deadline
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
                wakesAt = nil
            }
        }
        condition.unlock()
    }

    private func pop() {
        entries[head].target = nil
        head += 1
        if head > 1024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
