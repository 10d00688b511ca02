public import Foundation

/// Counters of the calls made to one plugin in one namespace since the runtime started.
public struct PluginCallStatistics: Sendable, Codable, Hashable {
    /// Every create and hook call that was attempted (skipped calls included).
    public var calls: Int
    /// Calls that ended in error, timeout or skipped.
    public var failures: Int
    /// Calls that timed out (also counted in `failures`).
    public var timeouts: Int
    public var lastError: String?
    public var lastErrorAt: Date?

    public init(calls: Int = 0, failures: Int = 0, timeouts: Int = 0, lastError: String? = nil, lastErrorAt: Date? = nil) {
        self.calls = calls
        self.failures = failures
        self.timeouts = timeouts
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
    }
}
