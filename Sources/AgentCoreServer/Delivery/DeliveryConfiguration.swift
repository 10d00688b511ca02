#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the delivery worker runs: concurrency, retry schedule and retention.
public struct DeliveryConfiguration: Sendable {
    /// Hook calls in flight at once, across all installs.
    public var concurrency: Int
    /// Delay before the first retry.
    public var retryBase: Duration
    /// Each later retry waits this many times longer than the one before.
    public var retryFactor: Double
    /// No retry waits longer than this.
    public var retryCap: Duration
    /// Attempts in all (the first included); the delivery is dead after the last one fails.
    public var maxAttempts: Int
    /// How often the worker looks for due deliveries when nothing wakes it.
    public var pollInterval: Duration
    /// Delivered records older than this are deleted.
    public var deliveredRetention: Duration
    /// Dead letters older than this are deleted.
    public var deadRetention: Duration
    /// How often retention runs.
    public var pruneInterval: Duration

    public init(
        concurrency: Int = 8,
        retryBase: Duration = .seconds(1),
        retryFactor: Double = 2,
        retryCap: Duration = .seconds(600),
        maxAttempts: Int = 12,
        pollInterval: Duration = .milliseconds(250),
        deliveredRetention: Duration = .seconds(7 * 24 * 3600),
        deadRetention: Duration = .seconds(30 * 24 * 3600),
        pruneInterval: Duration = .seconds(3600)
    ) {
        self.concurrency = concurrency
        self.retryBase = retryBase
        self.retryFactor = retryFactor
        self.retryCap = retryCap
        self.maxAttempts = maxAttempts
        self.pollInterval = pollInterval
        self.deliveredRetention = deliveredRetention
        self.deadRetention = deadRetention
        self.pruneInterval = pruneInterval
    }

    /// The wait before the next attempt after `attempt` (counting from 1) failed:
    /// base × factor^(attempt−1), times a jitter in 0.8…1.2, at most the cap.
    /// - Parameter jitter: a number in 0…1 (random in production; fixed in tests).
    public func retryDelay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let base = Self.seconds(retryBase)
        let exponential = base * pow(retryFactor, Double(max(0, attempt - 1)))
        let jittered = exponential * (0.8 + 0.4 * min(max(jitter, 0), 1))
        let seconds = min(jittered, Self.seconds(retryCap))
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
