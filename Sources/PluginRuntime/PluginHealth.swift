import Logging
import Synchronization

/// A plugin's crash and timeout record, and its quarantine.
///
/// Every crash of its plugin-host child and every call that timed out counts; `threshold`
/// failures within `window` quarantine the plugin: its calls are skipped until an operator
/// re-activates it. One per loaded version, so a new version starts clean.
final class PluginHealth: Sendable {
    private struct State {
        var failures: [ContinuousClock.Instant] = []
        var quarantine: PluginQuarantine?
    }

    private let state = Mutex(State())
    let pluginId: String
    let policy: QuarantinePolicy
    private let logger: Logger

    init(pluginId: String, policy: QuarantinePolicy, logger: Logger) {
        self.pluginId = pluginId
        self.policy = policy
        self.logger = logger
    }

    /// The quarantine in force, or nil while the plugin is active.
    var quarantine: PluginQuarantine? {
        state.withLock { $0.quarantine }
    }

    /// Counts one crash or timeout; quarantines the plugin when the threshold is reached.
    func recordFailure(_ reason: String) {
        guard policy.threshold > 0 else { return }
        let now = ContinuousClock.now
        let quarantined: PluginQuarantine? = state.withLock { state in
            guard state.quarantine == nil else { return nil }
            state.failures.removeAll { $0.duration(to: now) > policy.window }
            state.failures.append(now)
            guard state.failures.count >= policy.threshold else { return nil }
            let quarantine = PluginQuarantine(
                reason: "\(state.failures.count) crashes or timeouts within \(policy.window.components.seconds) s; last: \(reason)"
            )
            state.quarantine = quarantine
            state.failures = []
            return quarantine
        }
        if let quarantined {
            logger.error("plugin quarantined: \(quarantined.reason)", metadata: ["pluginId": "\(pluginId)"])
        }
    }

    /// Puts the plugin in quarantine by an operator's decision.
    func quarantine(reason: String) {
        state.withLock { $0.quarantine = PluginQuarantine(reason: reason) }
        logger.warning("plugin quarantined: \(reason)", metadata: ["pluginId": "\(pluginId)"])
    }

    /// Lifts the quarantine and forgets past failures.
    func reactivate() {
        let was = state.withLock { state in
            defer { state = State() }
            return state.quarantine
        }
        if was != nil { logger.notice("plugin re-activated", metadata: ["pluginId": "\(pluginId)"]) }
    }
}

/// Why a plugin is quarantined.
public struct PluginQuarantine: Sendable, Hashable {
    public let reason: String
}

/// When repeated crashes and timeouts quarantine a plugin.
public struct QuarantinePolicy: Sendable {
    /// Failures within `window` that quarantine the plugin; 0 disables quarantine.
    public var threshold: Int
    public var window: Duration

    public init(threshold: Int = 5, window: Duration = .seconds(60)) {
        self.threshold = threshold
        self.window = window
    }
}
