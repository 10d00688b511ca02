import AgentCoreServer
import Testing

/// The retry schedule: exponential from the base, jittered ±20 %, capped.
@Suite("Delivery retry schedule")
struct DeliveryScheduleTests {
    let defaults = DeliveryConfiguration()

    @Test func theDefaultsDoubleFromOneSecond() {
        #expect(defaults.retryDelay(afterAttempt: 1, jitter: 0.5) == .seconds(1))
        #expect(defaults.retryDelay(afterAttempt: 2, jitter: 0.5) == .seconds(2))
        #expect(defaults.retryDelay(afterAttempt: 5, jitter: 0.5) == .seconds(16))
        #expect(defaults.maxAttempts == 12)
    }

    @Test func jitterStaysWithinTwentyPercent() {
        #expect(defaults.retryDelay(afterAttempt: 1, jitter: 0) == .milliseconds(800))
        #expect(defaults.retryDelay(afterAttempt: 1, jitter: 1) == .milliseconds(1200))
    }

    @Test func noWaitExceedsTheCap() {
        #expect(defaults.retryDelay(afterAttempt: 11, jitter: 1) == .seconds(600))
        #expect(defaults.retryDelay(afterAttempt: 40, jitter: 0) == .seconds(600))
    }
}
