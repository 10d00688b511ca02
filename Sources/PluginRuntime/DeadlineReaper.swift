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
/// adding to a non-empty FIFO never has to wake it. Settled calls are dropped lazily when
/// they reach the head, which keeps the hot path to one short lock and an append.
final class DeadlineReaper: @unchecked Sendable {
    // @unchecked: `entries`, `head` and `stopped` are accessed only with `condition` locked.
    private let condition = NSCondition()
    private var entries: [(deadline: ContinuousClock.Instant, target: (any DeadlineTarget)?)] = []
    private var head = 0
    private var stopped = false

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "plugin-deadlines"
        thread.start()
    }

    func add(_ target: any DeadlineTarget, deadline: ContinuousClock.Instant) {
        condition.lock()
        let wasEmpty = head == entries.count
        entries.append((deadline, target))
        if wasEmpty { condition.signal() }
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
                condition.wait()
                continue
            }
            let entry = entries[head]
            guard let target = entry.target, !target.isSettled else {
                pop()
                continue
            }
            let remaining = ContinuousClock.now.duration(to: entry.deadline)
            if remaining <= .zero || stopped {
                pop()
                condition.unlock()
                target.expire()
                condition.lock()
            } else {
                let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
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
