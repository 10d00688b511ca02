import Synchronization

/// Token buckets of outbound HTTP requests, one per (plugin, namespace).
///
/// A bucket holds at most `requestsPerMinute` tokens and refills continuously at
/// `requestsPerMinute / 60` per second; each request takes one. A request that finds the
/// bucket empty is refused (the plugin gets AC_ERR_RATE_LIMITED and nothing is sent): refusing
/// keeps the plugin thread free, where delaying would occupy it against the call timeout.
final class HTTPRateLimiter: Sendable {
    private struct Key: Hashable {
        var pluginId: String
        var namespaceId: String
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let capacity: Double
    private let refillPerSecond: Double
    private let buckets = Mutex<[Key: Bucket]>([:])

    init(requestsPerMinute: Int) {
        capacity = Double(max(0, requestsPerMinute))
        refillPerSecond = capacity / 60
    }

    /// Takes a token from the (plugin, namespace) bucket; false when it is empty.
    func tryAcquire(pluginId: String, namespaceId: String, now: ContinuousClock.Instant = .now) -> Bool {
        let key = Key(pluginId: pluginId, namespaceId: namespaceId)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * refillPerSecond)
            bucket.updated = now
            let granted = bucket.tokens >= 1
            if granted { bucket.tokens -= 1 }
            buckets[key] = bucket
            return granted
        }
    }
}
